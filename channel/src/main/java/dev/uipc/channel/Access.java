package dev.uipc.channel;

import dev.uipc.channel.layout.SubscriberDescriptor;

/**
 * What a subscriber may do: IOIPC_SUB_SEND, IOIPC_SUB_RECV and IOIPC_SUB_BOTH of
 * the io_uring RFC "io_uring: add IPC channel infrastructure".
 */
public enum Access {
    SEND(SubscriberDescriptor.SEND),
    RECV(SubscriberDescriptor.RECV),
    BOTH(SubscriberDescriptor.SEND | SubscriberDescriptor.RECV);

    private final int bits;

    Access(int bits) {
        this.bits = bits;
    }

    /** The bits of a subscriber row's {@code access} field. */
    public int bits() {
        return bits;
    }

    public boolean canSend() {
        return (bits & SubscriberDescriptor.SEND) != 0;
    }

    public boolean canReceive() {
        return (bits & SubscriberDescriptor.RECV) != 0;
    }

    /** The access a row's bits describe, or null if they describe none. */
    public static Access ofBits(int bits) {
        return switch (bits & (SubscriberDescriptor.SEND | SubscriberDescriptor.RECV)) {
            case SubscriberDescriptor.SEND -> SEND;
            case SubscriberDescriptor.RECV -> RECV;
            case SubscriberDescriptor.SEND | SubscriberDescriptor.RECV -> BOTH;
            default -> null;
        };
    }
}
