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

    /**
     * The defaults: unicast, 64 entries of up to 4096 bytes, permissions 0600 (this user only),
     * no key, 64 subscribers, dying with its creator, not private.
     *
     * @return the default options, to adjust with the {@code with} methods
     */
    public static ChannelOptions defaults() {
        return new ChannelOptions(Mode.UNICAST, 64, 4096, 0600, 0, 64, false, false);
    }

    /**
     * The defaults with another mode.
     *
     * @param mode unicast, broadcast or multicast
     * @return the default options in that mode
     */
    public static ChannelOptions of(Mode mode) {
        return defaults().withMode(mode);
    }

    /**
     * These options with another delivery mode.
     *
     * @param value unicast, broadcast or multicast
     * @return a copy with that mode
     */
    public ChannelOptions withMode(Mode value) {
        return new ChannelOptions(value, entries, maxMessageSize, permissions, key, maxSubscribers, persistent, isPrivate);
    }

    /**
     * These options with another ring size: how many messages may wait at once before senders
     * find the channel full.
     *
     * @param value a power of two, 1 to 65536
     * @return a copy with that many entries
     */
    public ChannelOptions withEntries(int value) {
        return new ChannelOptions(mode, value, maxMessageSize, permissions, key, maxSubscribers, persistent, isPrivate);
    }

    /**
     * These options with another largest message; every slot has room for one, so memory is
     * entries times this.
     *
     * @param value 1 to 1048576 bytes
     * @return a copy with that maximum
     */
    public ChannelOptions withMaxMessageSize(int value) {
        return new ChannelOptions(mode, entries, value, permissions, key, maxSubscribers, persistent, isPrivate);
    }

    /**
     * These options with other permission bits: read lets a user receive, write lets it send,
     * for the owner, the owner's group and others, as in a file mode ({@code 0660}: owner and
     * group may do both).
     *
     * @param value the bits; only those of 0666 count
     * @return a copy with those permissions
     */
    public ChannelOptions withPermissions(int value) {
        return new ChannelOptions(mode, entries, maxMessageSize, value, key, maxSubscribers, persistent, isPrivate);
    }

    /**
     * These options with a key: a 64-bit name peers can find the channel by, unique among the
     * broker's channels while the channel lives.
     *
     * @param value the key, or 0 for none (peers then need the id)
     * @return a copy with that key
     */
    public ChannelOptions withKey(long value) {
        return new ChannelOptions(mode, entries, maxMessageSize, permissions, value, maxSubscribers, persistent, isPrivate);
    }

    /**
     * These options with another subscriber table size: how many senders and receivers may be
     * attached at once.
     *
     * @param value 1 to 4096
     * @return a copy with that many rows
     */
    public ChannelOptions withMaxSubscribers(int value) {
        return new ChannelOptions(mode, entries, maxMessageSize, permissions, key, value, persistent, isPrivate);
    }

    /**
     * These options, persistent or not: a persistent channel outlives the registry (and
     * process) that created it, until someone destroys it.
     *
     * @param value whether the channel outlives its creator
     * @return a copy, persistent or not
     */
    public ChannelOptions withPersistent(boolean value) {
        return new ChannelOptions(mode, entries, maxMessageSize, permissions, key, maxSubscribers, value, isPrivate);
    }

    /**
     * These options with the PRIVATE flag set or not: recorded and shown, with no effect on who
     * may attach (the permission bits decide that).
     *
     * @param value whether to set the flag
     * @return a copy with the flag so
     */
    public ChannelOptions withPrivate(boolean value) {
        return new ChannelOptions(mode, entries, maxMessageSize, permissions, key, maxSubscribers, persistent, value);
    }

    /**
     * Checks the options as {@link Registry#create} will, without asking the broker.
     *
     * @return why these options cannot make a channel, as a sentence, or {@code null} if they can
     */
    public String problem() {
        if (mode == null) {
            return "a mode is required (unicast, broadcast or multicast)";
        }
        return ChannelGeometry.problem(entries, maxMessageSize, maxSubscribers);
    }
}
