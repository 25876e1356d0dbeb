package dev.uipc.channel;

import dev.uipc.channel.layout.SubscriberDescriptor;

/**
 * What a subscriber may do: IOIPC_SUB_SEND, IOIPC_SUB_RECV and IOIPC_SUB_BOTH of
 * the io_uring RFC "io_uring: add IPC channel infrastructure".
 */
public enum Access {
    /** Sends only: needs the channel's write permission; the subscriber maps the ring writable. */
    SEND(SubscriberDescriptor.SEND),
    /** Receives only: needs the read permission; the subscriber gets the ring read-only. */
    RECV(SubscriberDescriptor.RECV),
    /** Sends and receives: needs both permissions. */
    BOTH(SubscriberDescriptor.SEND | SubscriberDescriptor.RECV);

    private final int bits;

    Access(int bits) {
        this.bits = bits;
    }

    /**
     * The access as a subscriber row's {@code access} field holds it ({@code docs/LAYOUT.md}).
     *
     * @return the SEND and RECV bits of {@link SubscriberDescriptor}
     */
    public int bits() {
        return bits;
    }

    /**
     * Whether a subscriber with this access may send.
     *
     * @return true for SEND and BOTH
     */
    public boolean canSend() {
        return (bits & SubscriberDescriptor.SEND) != 0;
    }

    /**
     * Whether a subscriber with this access may receive.
     *
     * @return true for RECV and BOTH
     */
    public boolean canReceive() {
        return (bits & SubscriberDescriptor.RECV) != 0;
    }

    /**
     * The access a subscriber row's bits describe.
     *
     * @param bits a row's {@code access} field; other bits are ignored
     * @return the access, or null if the bits describe none
     */
    public static Access ofBits(int bits) {
        return switch (bits & (SubscriberDescriptor.SEND | SubscriberDescriptor.RECV)) {
            case SubscriberDescriptor.SEND -> SEND;
            case SubscriberDescriptor.RECV -> RECV;
            case SubscriberDescriptor.SEND | SubscriberDescriptor.RECV -> BOTH;
            default -> null;
        };
    }
}
