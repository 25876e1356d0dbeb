package dev.uipc.channel;

import dev.uipc.channel.layout.ChannelGeometry;

/**
 * How to create a channel: the arguments of {@code io_uring_ipc_channel_create} in
 * the io_uring RFC "io_uring: add IPC channel infrastructure", plus the size of the
 * subscriber table and whether the channel outlives its creator. Immutable; each {@code with}
 * method returns a copy. Validated by {@link Registry#create}, which reports EINVAL with the
 * reason.
 *
 * @param mode           unicast (the default), broadcast or multicast
 * @param entries        slots in the ring: a power of two, 1 to 65536
 * @param maxMessageSize largest message, 1 byte to 1 MiB
 * @param permissions    receive (read) and send (write) bits for owner, group and others, as in
 *                       a file mode; only the bits of 0666 count, as in the RFC
 * @param key            a 64-bit key others can find the channel by, or 0 for none
 * @param maxSubscribers how many subscribers may be attached at once, 1 to 4096
 * @param persistent     whether the channel outlives the process that created it, until
 *                       destroyed; otherwise it dies with its creator
 * @param isPrivate      that RFC's PRIVATE flag: recorded and shown, and no effect on who may
 *                       attach (the permission bits decide)
 */
public record ChannelOptions(Mode mode, int entries, int maxMessageSize, int permissions, long key,
                             int maxSubscribers, boolean persistent, boolean isPrivate) {

    /** Unicast, 64 entries of up to 4096 bytes, permissions 0600, no key, 64 subscribers. */
    public static ChannelOptions defaults() {
        return new ChannelOptions(Mode.UNICAST, 64, 4096, 0600, 0, 64, false, false);
    }

    public static ChannelOptions of(Mode mode) {
        return defaults().withMode(mode);
    }

    public ChannelOptions withMode(Mode value) {
        return new ChannelOptions(value, entries, maxMessageSize, permissions, key, maxSubscribers, persistent, isPrivate);
    }

    public ChannelOptions withEntries(int value) {
        return new ChannelOptions(mode, value, maxMessageSize, permissions, key, maxSubscribers, persistent, isPrivate);
    }

    public ChannelOptions withMaxMessageSize(int value) {
        return new ChannelOptions(mode, entries, value, permissions, key, maxSubscribers, persistent, isPrivate);
    }

    public ChannelOptions withPermissions(int value) {
        return new ChannelOptions(mode, entries, maxMessageSize, value, key, maxSubscribers, persistent, isPrivate);
    }

    public ChannelOptions withKey(long value) {
        return new ChannelOptions(mode, entries, maxMessageSize, permissions, value, maxSubscribers, persistent, isPrivate);
    }

    public ChannelOptions withMaxSubscribers(int value) {
        return new ChannelOptions(mode, entries, maxMessageSize, permissions, key, value, persistent, isPrivate);
    }

    public ChannelOptions withPersistent(boolean value) {
        return new ChannelOptions(mode, entries, maxMessageSize, permissions, key, maxSubscribers, value, isPrivate);
    }

    public ChannelOptions withPrivate(boolean value) {
        return new ChannelOptions(mode, entries, maxMessageSize, permissions, key, maxSubscribers, persistent, value);
    }

    /** Why these options cannot make a channel, as a sentence; {@code null} if they can. */
    public String problem() {
        if (mode == null) {
            return "a mode is required (unicast, broadcast or multicast)";
        }
        return ChannelGeometry.problem(entries, maxMessageSize, maxSubscribers);
    }
}
