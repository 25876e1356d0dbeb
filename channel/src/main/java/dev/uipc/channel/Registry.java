package dev.uipc.channel;

import dev.uipc.channel.broker.BrokerAddress;
import dev.uipc.channel.broker.BrokerClient;
import dev.uipc.channel.broker.Requests;
import dev.uipc.channel.layout.RingFileDescriptor;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The channels of a broker, as one connection sees them: the calls of the io_uring RFC
 * "io_uring: add IPC channel infrastructure" — create, attach, detach (closing a
 * {@link Subscriber}), destroy — plus listing and snapshots for observers.
 *
 * <p>{@link #open()} finds the broker by one rule: an explicit socket if one is named (the
 * system property {@code uipc.broker} or the environment variable {@code UIPC_BROKER}); else
 * the system broker, if one runs; else this user's own, started on demand. {@link #connect(Path)}
 * names one. Either checks that the broker is who it must be before trusting it.
 *
 * <p>The connection stands for this process to the broker, as a ring did for its creator in the
 * RFC: channels created through it that are not persistent die when it closes (or this process
 * dies), and closing it detaches every subscriber attached through it. Thread-safe.
 */
public final class Registry implements AutoCloseable {
    /** The system property naming the broker's socket; it wins over {@link #BROKER_ENVIRONMENT}. */
    public static final String BROKER_PROPERTY = "uipc.broker";
    /** The environment variable naming the broker's socket. */
    public static final String BROKER_ENVIRONMENT = "UIPC_BROKER";

    private final BrokerClient client;
    private final Set<Subscriber> subscribers = Collections.newSetFromMap(new IdentityHashMap<>());
    private boolean closed;

    private Registry(BrokerClient client) {
        this.client = client;
    }

    /**
     * Connects to the broker the rule finds, starting this user's broker if none runs. Close the
     * registry when done: that detaches what was attached through it and destroys the channels
     * it created that are not persistent.
     *
     * @return a registry connected to that broker, for this process
     * @throws ChannelException EPERM if what answers cannot be trusted; ENOENT or ECONNREFUSED
     *                          if a named broker does not run; EINVAL, EISDIR or ENOTSOCK if the
     *                          setting does not name a socket (each message says what to do)
     */
    public static Registry open() {
        return new Registry(BrokerClient.connect(BrokerAddress.resolve()));
    }

    /**
     * Connects to the broker serving at {@code socket}, such as one this program started with
     * {@link Broker#start(Path)}; never starts one. The broker must run as root or as the owner
     * of the socket's directory, and only its owner may write that directory.
     *
     * @param socket the broker's socket
     * @return a registry connected to that broker
     * @throws ChannelException ENOENT or ECONNREFUSED if no broker serves there, EPERM if it
     *                          cannot be trusted
     */
    public static Registry connect(Path socket) {
        return new Registry(BrokerClient.connect(new BrokerAddress(socket.toAbsolutePath(), BrokerAddress.Kind.EXPLICIT)));
    }

    /**
     * Where the broker of this registry listens: what other processes must reach to see the
     * same channels.
     *
     * @return the broker's socket
     */
    public Path brokerSocket() {
        return client.address().socket();
    }

    // --- create ---------------------------------------------------------------------------------

    /**
     * Creates a channel. The handle's {@link Channel#close()} destroys it unless it is
     * persistent; so does closing this registry, or this process's death.
     *
     * @param options what to create; {@link ChannelOptions#problem()} says beforehand whether
     *                they can make a channel
     * @return the creator's handle; others attach by its {@link Channel#id()} or by the key
     * @throws ChannelException EINVAL for invalid options (with the reason), EEXIST if the key is
     *                          in use, ENOSPC if there is no memory for it
     */
    public Channel create(ChannelOptions options) {
        String problem = options.problem();
        if (problem != null) {
            throw new ChannelException(dev.uipc.uring.Errno.EINVAL, problem);
        }
        int flags = options.mode().flag() | (options.persistent() ? RingFileDescriptor.PERSISTENT : 0)
                | (options.isPrivate() ? RingFileDescriptor.PRIVATE : 0);
        Requests.Created created = Requests.create(client(), flags, options.entries(), options.maxMessageSize(),
                options.permissions(), options.key(), options.maxSubscribers());
        return new Channel(this, created.id(), options, created.incarnation());
    }

    // --- attach ---------------------------------------------------------------------------------

    /**
     * Attaches to the channel with key {@code key}: the broker checks this process's
     * credentials against the channel's permission bits and hands over its memory. Close the
     * subscriber to detach; closing this registry detaches it too.
     *
     * @param key    the channel's key, not 0
     * @param access whether the subscriber sends, receives or both
     * @return the subscriber, ready to send or receive
     * @throws ChannelException ENOENT if no channel has that key, EACCES if its permissions do
     *                          not allow {@code access} to this process's user, ENOSPC if its
     *                          subscriber table is full, EINVAL for key 0, EBADMSG if the
     *                          channel's memory is not valid
     */
    public Subscriber attachByKey(long key, Access access) {
        if (key == 0) {
            throw new ChannelException(dev.uipc.uring.Errno.EINVAL, "key 0 means no key; attach by channel id instead");
        }
        return attach(0, key, access);
    }

    /**
     * Attaches to channel {@code id}, as {@link #attachByKey} does by key.
     *
     * @param id     the channel's id, 1 or more
     * @param access whether the subscriber sends, receives or both
     * @return the subscriber, ready to send or receive
     * @throws ChannelException ENOENT if there is no such channel (or {@code id} is not
     *                          positive), EACCES, ENOSPC or EBADMSG as for {@link #attachByKey}
     */
    public Subscriber attachById(int id, Access access) {
        if (id <= 0) {
            throw new ChannelException(dev.uipc.uring.Errno.ENOENT, "no channel " + Integer.toUnsignedString(id)
                    + ": channel ids start at 1");
        }
        return attach(id, 0, access);
    }

    private Subscriber attach(int id, long key, Access access) {
        Objects.requireNonNull(access, "access");
        Requests.Attachment a = Requests.attach(client(), id, key, access);
        Subscriber subscriber = new Subscriber(this, a.memory(), a.index(), a.subscriberId(), access);
        synchronized (subscribers) {
            subscribers.add(subscriber);
        }
        return subscriber;
    }

    /** A subscriber closed: the broker frees its row. Called by {@link Subscriber#close()}. */
    void detached(Subscriber subscriber) {
        synchronized (subscribers) {
            if (!subscribers.remove(subscriber)) {
                return;
            }
        }
        if (!isClosed()) {
            Requests.detach(client, subscriber.channelId(), subscriber.id());
        }
    }

    // --- destroy --------------------------------------------------------------------------------

    /**
     * Destroys channel {@code id}: no new attach, no new message; attached receivers may still
     * drain what was sent. Only its owner (or root) may.
     *
     * @param id the channel's id
     * @throws ChannelException ENOENT if there is no such channel (a second destroy), EPERM if
     *                          this process's user does not own it
     */
    public void destroy(int id) {
        Requests.destroy(client(), id, 0, 0);
    }

    /**
     * Destroys the channel with key {@code key}, as {@link #destroy(int)} does by id.
     *
     * @param key the channel's key
     * @throws ChannelException ENOENT if no channel has that key, EPERM if this process's user
     *                          does not own it
     */
    public void destroyByKey(long key) {
        Requests.destroy(client(), 0, key, 0);
    }

    /** Destroys channel {@code id} if it is still incarnation {@code incarnation}. */
    void destroy(int id, long incarnation) {
        Requests.destroy(client(), id, 0, incarnation);
    }

    // --- observing ------------------------------------------------------------------------------

    /**
     * Every channel the broker holds, as {@code uipc ls} shows them: a snapshot of each, taken
     * one after the other (a channel destroyed meanwhile is left out). Anyone may look.
     *
     * @return the channels by id, ascending
     */
    public List<ChannelSnapshot> list() {
        List<ChannelSnapshot> result = new ArrayList<>();
        for (int id : Requests.list(client())) {
            try {
                result.add(snapshot(id));
            } catch (ChannelException e) {
                if (e.errno() != dev.uipc.uring.Errno.ENOENT) {
                    throw e;                          // ENOENT: destroyed since the list was taken
                }
            }
        }
        return result;
    }

    /**
     * A snapshot of channel {@code id}, taken by the broker: anyone may look, without
     * attaching.
     *
     * @param id the channel's id
     * @return its positions, subscribers and counters as they are now
     * @throws ChannelException ENOENT if it does not exist
     */
    public ChannelSnapshot snapshot(int id) {
        return Requests.snapshot(client(), id, 0);
    }

    /**
     * A snapshot of the channel with key {@code key}, as {@link #snapshot(int)} takes one by id.
     *
     * @param key the channel's key
     * @return its positions, subscribers and counters as they are now
     * @throws ChannelException ENOENT if no channel has that key
     */
    public ChannelSnapshot snapshotByKey(long key) {
        return Requests.snapshot(client(), 0, key);
    }

    /**
     * The id of the channel with key {@code key}: what {@link #attachById} and the snapshots
     * take, and what a process that was told the key can pass on.
     *
     * @param key the channel's key
     * @return the channel's id
     * @throws ChannelException ENOENT if no channel has that key
     */
    public int idOf(long key) {
        return snapshotByKey(key).id();
    }

    // --- closing --------------------------------------------------------------------------------

    /** Where MSG_RING reaches subscriber {@code subscriberId} of channel {@code channelId}, or null: see {@link dev.uipc.channel.waiting.RingDirectory}. */
    dev.uipc.channel.waiting.RingDirectory.Published findRing(int channelId, int subscriberId) {
        return Requests.findRing(client(), channelId, subscriberId);
    }

    /** Publishes ({@code ringFd} &ge; 0) or withdraws (-1) where MSG_RING reaches {@code subscriber}. */
    void publishRing(Subscriber subscriber, int ringFd, long token) {
        Requests.publishRing(client(), subscriber.channelId(), subscriber.id(), ringFd, token);
    }

    private BrokerClient client() {
        if (isClosed()) {
            throw new ChannelException(dev.uipc.uring.Errno.ENOTCONN, "this registry is closed; open another");
        }
        return client;
    }

    private synchronized boolean isClosed() {
        return closed;
    }

    /**
     * Detaches every subscriber still attached through this registry, then closes the
     * connection: the broker destroys the channels created through it that are not persistent.
     * Idempotent.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
        }
        List<Subscriber> open;
        synchronized (subscribers) {
            open = new ArrayList<>(subscribers);
        }
        for (Subscriber s : open) {
            try {
                s.close();
            } catch (RuntimeException e) {
                // the connection closes below, which detaches it just the same
            }
        }
        synchronized (this) {
            closed = true;
        }
        client.close();
    }

    @Override
    public String toString() {
        return "Registry[" + client.address() + "]";
    }
}
