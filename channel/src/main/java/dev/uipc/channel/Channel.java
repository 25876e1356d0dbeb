package dev.uipc.channel;

import dev.uipc.uring.Errno;

/**
 * The creator's handle on a channel it made with {@link Registry#create}. Closing it destroys
 * the channel, unless the channel was created persistent, as the io_uring RFC "io_uring: add
 * IPC channel infrastructure" ties a channel to the ring that created it; the creator's death
 * does the same, through the next registry user.
 */
public final class Channel implements AutoCloseable {
    private final Registry registry;
    private final int id;
    private final ChannelOptions options;
    private final long incarnation;
    private boolean closed;

    Channel(Registry registry, int id, ChannelOptions options, long incarnation) {
        this.registry = registry;
        this.id = id;
        this.options = options;
        this.incarnation = incarnation;
    }

    /**
     * The channel's id, which the broker gave it: pass it to peers, which attach with
     * {@link Registry#attachById}.
     *
     * @return the id, 1 or more
     */
    public int id() {
        return id;
    }

    /**
     * The key peers can find the channel by with {@link Registry#attachByKey}, as created.
     *
     * @return the key, or 0 if it was created without one
     */
    public long key() {
        return options.key();
    }

    /**
     * How the channel delivers its messages, as created.
     *
     * @return unicast, broadcast or multicast
     */
    public Mode mode() {
        return options.mode();
    }

    /**
     * Everything the channel was created with.
     *
     * @return the options given to {@link Registry#create}
     */
    public ChannelOptions options() {
        return options;
    }

    /**
     * Attaches this process to the channel, as {@link Registry#attachById} does.
     *
     * @param access whether the subscriber sends, receives or both
     * @return the subscriber; close it to detach
     * @throws ChannelException ENOENT if the channel was destroyed, ENOSPC if its subscriber
     *                          table is full
     */
    public Subscriber attach(Access access) {
        return registry.attachById(id, access);
    }

    /**
     * The channel as the broker sees it now: positions, subscribers, counters.
     *
     * @return a snapshot, taken without attaching
     * @throws ChannelException ENOENT if the channel was destroyed
     */
    public ChannelSnapshot snapshot() {
        return registry.snapshot(id);
    }

    /**
     * Destroys the channel now.
     *
     * @throws ChannelException ENOENT if it was destroyed already
     */
    public void destroy() {
        closed = true;
        registry.destroy(id, incarnation);
    }

    /** Destroys the channel unless it is persistent (then only forgets this handle). Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (!options.persistent()) {
            try {
                registry.destroy(id, incarnation);
            } catch (ChannelException e) {
                if (e.errno() != Errno.ENOENT) {
                    throw e;
                }
            }
        }
    }

    @Override
    public String toString() {
        return "Channel[" + id + (options.key() != 0 ? ", key " + "0x" + Long.toHexString(options.key()) : "") + ", "
                + options.mode() + "]";
    }
}
