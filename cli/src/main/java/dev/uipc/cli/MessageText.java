package dev.uipc.cli;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * A message's bytes as one line of text: UTF-8 as it is, except that a backslash, control
 * characters and bytes that are not UTF-8 are escaped ({@code \\}, {@code \n}, {@code \t},
 * {@code \xNN}), so every message stays on its own line and no byte is lost: the line can be
 * read back unambiguously. For the bytes themselves, {@code recv} has {@code --raw}, {@code -0}
 * and {@code --json}.
 */
final class MessageText {
    private MessageText() {
    }

    static String line(byte[] data, int length) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(data, 0, length);
        CharBuffer text = CharBuffer.allocate(length);
        StringBuilder s = new StringBuilder(length + 16);
        while (true) {
            CoderResult result = decoder.decode(in, text, true);
            text.flip();
            escape(text, s);
            text.clear();
            if (result.isError()) {
                // Bytes that are not UTF-8: each as \xNN, then carry on with the rest.
                for (int i = 0; i < result.length(); i++) {
                    s.append(String.format("\\x%02x", in.get() & 0xff));
                }
            } else if (result.isUnderflow()) {
                return s.toString();
            }
        }
    }

    private static void escape(CharSequence text, StringBuilder s) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\\' -> s.append("\\\\");
                case '\n' -> s.append("\\n");
                case '\r' -> s.append("\\r");
                case '\t' -> s.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        s.append(String.format("\\x%02x", (int) c));
                    } else {
                        s.append(c);
                    }
                }
            }
        }
    }
}
