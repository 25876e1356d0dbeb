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

    /** The channel id, by which others may attach (with key 0). */
    public int id() {
        return id;
    }

    public long key() {
        return options.key();
    }

    public Mode mode() {
        return options.mode();
    }

    public ChannelOptions options() {
        return options;
    }

    /** Attaches to this channel. */
    public Subscriber attach(Access access) {
        return registry.attachById(id, access);
    }

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
