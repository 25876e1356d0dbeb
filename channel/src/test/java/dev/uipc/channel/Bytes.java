package dev.uipc.channel;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Small helpers for messages in tests. */
final class Bytes {
    private Bytes() {
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** The text of the first {@code n} bytes of {@code buffer}. */
    static String text(byte[] buffer, int n) {
        return new String(Arrays.copyOf(buffer, n), StandardCharsets.UTF_8);
    }

    /** Receives one message as text, failing the test if there is none. */
    static String receiveText(Subscriber s) {
        byte[] buffer = new byte[s.maxMessageSize()];
        MessageInfo info = new MessageInfo();
        int n = s.tryReceive(buffer, info);
        if (n < 0) {
            throw new AssertionError("expected a message, got " + Outcome.describe(n));
        }
        return text(buffer, n);
    }
}
