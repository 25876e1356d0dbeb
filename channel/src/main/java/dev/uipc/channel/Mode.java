package dev.uipc.channel;

import dev.uipc.channel.layout.RingFileDescriptor;

/** How a channel delivers its messages. */
public enum Mode {
    /** Each message is received once, by whichever receiver takes it first (or only by its target). */
    UNICAST(0),
    /** Every receiver receives every message; the slowest receiver holds the senders back. */
    BROADCAST(RingFileDescriptor.BROADCAST),
    /** Each message is received once, the messages spread round-robin over the receivers. */
    MULTICAST(RingFileDescriptor.MULTICAST);

    private final int flag;

    Mode(int flag) {
        this.flag = flag;
    }

    /** The bit in the ring file's flags. */
    public int flag() {
        return flag;
    }

    /** The mode the ring file's flags describe. */
    public static Mode ofFlags(int flags) {
        if ((flags & RingFileDescriptor.BROADCAST) != 0) {
            return BROADCAST;
        }
        return (flags & RingFileDescriptor.MULTICAST) != 0 ? MULTICAST : UNICAST;
    }
}
