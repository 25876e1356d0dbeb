package dev.uipc.bench.rfc;

import java.util.Locale;

/** How one sender's messages reach several receivers. */
enum Delivery {
    /** One receiver. */
    UNICAST,
    /** Every receiver gets every message. */
    BROADCAST,
    /** Each message goes to one receiver, round-robin. */
    MULTICAST;

    String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    static Delivery parse(String s) {
        return valueOf(s.toUpperCase(Locale.ROOT));
    }
}
