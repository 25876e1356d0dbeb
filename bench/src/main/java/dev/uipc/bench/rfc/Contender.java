package dev.uipc.bench.rfc;

/**
 * One column of a table: a transport, how it delivers to several receivers, and whether its
 * receivers copy each message out or read it in place.
 *
 * @param inPlace the receiver reads the message's first 8 bytes where it lies, instead of
 *                copying the whole message into a buffer of its own
 */
record Contender(Transport transport, Delivery delivery, boolean inPlace) {
    Contender {
        if (inPlace && !transport.canReadInPlace()) {
            throw new IllegalArgumentException(transport.label() + " cannot be read in place");
        }
    }

    static Contender copying(Transport transport) {
        return new Contender(transport, Delivery.UNICAST, false);
    }

    static Contender inPlace(Transport transport) {
        return new Contender(transport, Delivery.UNICAST, true);
    }

    static Contender fanOut(Transport transport, Delivery delivery) {
        return new Contender(transport, delivery, false);
    }

    /** The column heading. */
    String label() {
        String base = transport == Transport.UIPC ? "uipc " + delivery.id()
                : transport == Transport.AGRONA_BROADCAST ? transport.label() + " (lossy)" : transport.label();
        return inPlace ? base + ", in place" : base;
    }

    /** A stable name for JSON and file names. */
    String id() {
        return transport.id() + (transport == Transport.UIPC ? "-" + delivery.id() : "") + (inPlace ? "-in-place" : "");
    }
}
