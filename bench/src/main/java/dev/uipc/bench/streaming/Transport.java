package dev.uipc.bench.streaming;

import java.util.Locale;

/** What carries the messages in a streaming run. */
enum Transport {
    /** A uipc unicast channel: one sender subscriber, one receiver subscriber. */
    UIPC,
    /** A pipe(2): one write(2) per message, read(2) until the message is complete. */
    PIPE,
    /** An AF_UNIX SOCK_STREAM socket pair, used the same way as the pipe. */
    UNIX_SOCKET;

    String label() {
        return switch (this) {
            case UIPC -> "uipc unicast";
            case PIPE -> "pipe";
            case UNIX_SOCKET -> "unix socket";
        };
    }

    static Transport parse(String s) {
        return valueOf(s.toUpperCase(Locale.ROOT).replace('-', '_'));
    }
}
