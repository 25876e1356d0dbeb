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

    /**
     * The bit that marks this mode in the ring header's {@code flags} ({@code docs/LAYOUT.md}).
     *
     * @return the BROADCAST or MULTICAST bit of {@link RingFileDescriptor}, 0 for unicast
     */
    public int flag() {
        return flag;
    }

    /**
     * The mode a ring header's flags describe.
     *
     * @param flags the ring header's {@code flags} field
     * @return the mode; unicast when neither mode bit is set
     */
    public static Mode ofFlags(int flags) {
        if ((flags & RingFileDescriptor.BROADCAST) != 0) {
            return BROADCAST;
        }
        return (flags & RingFileDescriptor.MULTICAST) != 0 ? MULTICAST : UNICAST;
    }
}
