package dev.uipc.channel.broker;

import dev.uipc.channel.ChannelException;
import dev.uipc.channel.layout.ChannelGeometry;
import dev.uipc.channel.layout.RingFileDescriptor;
import dev.uipc.channel.layout.SubscriberDescriptor;
import dev.uipc.channel.memory.ChannelFormat;
import dev.uipc.channel.memory.ChannelHeader;
import dev.uipc.channel.memory.ControlHeader;
import dev.uipc.channel.memory.SubscriberTable;
import dev.uipc.uring.Errno;
import dev.uipc.uring.ErrnoException;
import dev.uipc.uring.ProcessIdentity;
import dev.uipc.uring.Ring;
import dev.uipc.uring.RingOptions;
import dev.uipc.uring.Sqe;
import dev.uipc.uring.linux.EventFd;
import dev.uipc.uring.linux.OwnedFd;
import dev.uipc.uring.linux.Sockets;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The broker: one thread, one io_uring, and every channel's memory. It waits in one
 * {@code io_uring_enter} for a new connection, a request on any connection, a connection that
 * closed, or the stop signal — polls, never blocking reads, so that no client can hold it — and
 * handles each in turn. All state belongs to this thread, so nothing here takes a lock.
 *
 * <p>What it does for clients: create (memfds, fully allocated, sealed, mode 0600), attach
 * (after checking the caller's credentials against the channel's mode bits: it writes the
 * subscriber's row itself, with the pid and uid the kernel vouched for, and passes the ring —
 * read-only to a receiver — and the control memory by SCM_RIGHTS), detach, destroy (owner or
 * root), list and snapshot. What it does for everyone: when a connection closes it reaps, by the
 * protocol's rules ({@code docs/LAYOUT.md} section 6), every subscriber made through it, and
 * destroys the channels it created that are not persistent — at once, and so wakes whoever the
 * death concerns.
 */
public final class BrokerLoop implements Runnable {
    private static final System.Logger LOG = System.getLogger("dev.uipc.broker");
    private static final SecureRandom RANDOM = new SecureRandom();

    private static final long LISTENER = 1;
    private static final long STOP = 2;
    private static final long FIRST_TOKEN = 16;
    private static final int POLLRDHUP = 0x2000;
    private static final int CONNECTION_EVENTS = Sqe.POLLIN | Sqe.POLLHUP | Sqe.POLLERR | POLLRDHUP;
    /** Requests served from one connection before the others get a turn. */
    private static final int REQUESTS_PER_TURN = 16;
    private static final long TICK_NANOS = 1_000_000_000L;
    private static final long PENDING_TICK_NANOS = 1_000_000L;
    private static final long MAX_PENDING_WAIT_NANOS = 1_000_000_000L;

    private final BrokerSettings settings;
    private final OwnedFd listener;
    private final OwnedFd stopSignal;
    private final FileChannel lockFile;
    private final FileLock lock;
    private final BrokerJournal journal;
    private final BrokerProtocol.BrokerInfo info;

    private final Map<Integer, BrokerChannel> channels = new TreeMap<>();
    private final Map<Long, BrokerChannel> byKey = new HashMap<>();
    private final Map<Long, Connection> connections = new HashMap<>();
    /** Rows whose departed producer's claim could not be judged yet: judged again every millisecond. */
    private final List<Pending> pending = new ArrayList<>();
    private int nextId = 1;
    private long nextToken = FIRST_TOKEN;
    private long idleSince = System.nanoTime();
    private volatile boolean stopping;
    private volatile Thread thread;

    /**
     * A row whose claim is judged again at {@code due}; each time it still cannot be, the wait
     * doubles (up to a second), so that a producer stuck between announcing and claiming — or a
     * row a hostile peer rewrote to look like one — costs next to nothing while it lasts.
     */
    private record Pending(BrokerChannel channel, int index, boolean death, long due, long backoff) {
    }

    /**
     * Takes the socket: checks its directory, makes sure no other broker serves it (a lock held
     * for the broker's life, then a connection attempt to a socket file found there), binds it,
     * and says what a predecessor that did not stop cleanly lost.
     *
     * @throws ChannelException EADDRINUSE if a broker already serves there, EPERM if the
     *                          directory could let another user replace the socket
     */
    public BrokerLoop(BrokerSettings settings) {
        this.settings = settings;
        Path socket = settings.socket();
        Path directory = socket.getParent();
        prepareDirectory(directory, settings.shared());
        Path lockPath = socket.resolveSibling(socket.getFileName() + ".lock");
        FileChannel file = null;
        OwnedFd bound = null;
        try {
            file = FileChannel.open(lockPath, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock held = file.tryLock();
            if (held == null) {
                throw new ChannelException(Errno.EADDRINUSE, "a broker already serves " + socket + " (it holds "
                        + lockPath + "); use it, or stop it first");
            }
            removeStaleSocket(socket);
            bound = Sockets.listen(socket, Sockets.SOCK_SEQPACKET, 128);
            Files.setAttribute(socket, "unix:mode", settings.shared() ? 0666 : 0600);
            this.lockFile = file;
            this.lock = held;
            this.listener = bound;
            this.stopSignal = EventFd.create(0, EventFd.CLOEXEC | EventFd.NONBLOCK);
        } catch (IOException e) {
            closeQuietly(bound);
            closeQuietly(file);
            throw new ChannelException(Errno.EIO, "cannot serve at " + socket + ": " + e, e);
        } catch (ErrnoException e) {
            closeQuietly(bound);
            closeQuietly(file);
            throw new ChannelException(e.error(), "cannot serve at " + socket + ": " + e.getMessage(), e);
        } catch (RuntimeException | Error e) {
            closeQuietly(bound);
            closeQuietly(file);
            throw e;
        }
        this.journal = new BrokerJournal(socket);
        List<String> lost = journal.leftBehind();
        if (!lost.isEmpty()) {
            LOG.log(Level.WARNING, "the previous broker at {0} ended without stopping; its channels were lost with it: "
                    + "{1}", socket, String.join("; ", lost));
        }
        journal.record(List.of());
        this.info = new BrokerProtocol.BrokerInfo(BrokerProtocol.VERSION, ProcessIdentity.pid(), ProcessIdentity.uid(),
                socket.equals(BrokerAddress.SYSTEM_SOCKET), uipcVersion());
    }

    private static String uipcVersion() {
        String v = BrokerLoop.class.getPackage().getImplementationVersion();
        return v == null ? "development" : v;
    }

    /** Creates the directory if needed (0755 shared, 0700 private) and refuses one others could write. */
    private static void prepareDirectory(Path directory, boolean shared) {
        try {
            if (!Files.exists(directory, LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectories(directory);
                Files.setAttribute(directory, "unix:mode", shared ? 0755 : 0700);
            }
            Map<String, Object> a = Files.readAttributes(directory, "unix:uid,mode,isDirectory",
                    LinkOption.NOFOLLOW_LINKS);
            int mode = (Integer) a.get("mode");
            int owner = (Integer) a.get("uid");
            if (!(Boolean) a.get("isDirectory")) {
                throw new ChannelException(Errno.ENOTDIR, directory + " is not a directory; choose another socket path");
            }
            if ((mode & 022) != 0) {
                throw new ChannelException(Errno.EPERM, "will not serve from " + directory + ": others may write it (mode "
                        + String.format("%04o", mode & 07777) + "), so they could replace the socket, and clients "
                        + "refuse such a broker; choose a directory only its owner can write");
            }
            int uid = ProcessIdentity.uid();
            if (owner != uid && owner != 0) {
                throw new ChannelException(Errno.EPERM, "will not serve from " + directory + ": it belongs to uid " + owner
                        + ", and clients trust only a broker running as its owner or root");
            }
        } catch (IOException e) {
            throw new ChannelException(Errno.EACCES, "cannot prepare the broker's directory " + directory + ": " + e, e);
        }
    }

    /** A socket file with nothing listening (a broker that died) is removed; one that answers is in use. */
    private static void removeStaleSocket(Path socket) throws IOException {
        if (!Files.exists(socket, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (OwnedFd probe = Sockets.connect(socket, Sockets.SOCK_SEQPACKET)) {
            throw new ChannelException(Errno.EADDRINUSE, "a broker already answers at " + socket);
        } catch (ErrnoException refused) {
            Files.delete(socket);           // the file of a broker that is gone
        }
    }

    public BrokerSettings settings() {
        return settings;
    }

    /** Asks the loop to stop, from any thread; it closes everything on its way out. */
    public void stop() {
        stopping = true;
        try {
            EventFd.write(stopSignal.value(), 1);
        } catch (ErrnoException | IllegalStateException e) {
            // already closed: the loop has stopped (a second stop, or a close after it)
        }
    }

    /** Serves until stopped, or (on demand) until idle for the configured time. */
    @Override
    public void run() {
        thread = Thread.currentThread();
        // Numbers as strings: MessageFormat would print pid 12345 as "12,345".
        LOG.log(Level.INFO, "serving at {0} (pid {1}, uid {2}, {3})", settings.socket(), Integer.toString(info.pid()),
                Integer.toString(info.uid()),
                settings.shared() ? "any user may connect" : "only uid " + info.uid() + " may connect");
        try (Ring ring = Ring.open(RingOptions.defaults().withEntries(1024))) {
            ring.prepare().pollAdd(listener.value(), Sqe.POLLIN).userData(LISTENER);
            ring.prepare().pollAdd(stopSignal.value(), Sqe.POLLIN).userData(STOP);
            while (!stopping) {
                ring.submitAndWait(1, nextWait());
                ring.drain((result, flags, userData) -> handle(ring, result, userData));
                judgePending();
                if (idleTooLong()) {
                    LOG.log(Level.INFO, "no client and no channel for {0}; exiting", settings.idleExit());
                    break;
                }
            }
        } finally {
            shutDown();
        }
    }

    private void handle(Ring ring, int result, long userData) {
        if (userData == STOP) {
            stopping = true;
        } else if (userData == LISTENER) {
            if (result >= 0) {
                accept(ring);
            }
            if (!stopping) {
                ring.prepare().pollAdd(listener.value(), Sqe.POLLIN).userData(LISTENER);
            }
        } else {
            Connection connection = connections.get(userData);
            if (connection != null && serve(connection, result)) {
                ring.prepare().pollAdd(connection.socket.value(), CONNECTION_EVENTS).userData(connection.token);
            }
        }
    }

    private void accept(Ring ring) {
        OwnedFd socket;
        try {
            socket = Sockets.acceptNonBlocking(listener.value());
        } catch (ErrnoException e) {
            LOG.log(Level.WARNING, "accept failed: {0}", e.getMessage());
            return;
        }
        try {
            Connection connection = new Connection(nextToken++, socket, Credentials.of(socket.value()));
            connections.put(connection.token, connection);
            ring.prepare().pollAdd(socket.value(), CONNECTION_EVENTS).userData(connection.token);
            LOG.log(Level.DEBUG, "{0} connected", connection);
        } catch (RuntimeException e) {
            socket.close();
            LOG.log(Level.WARNING, "dropped a connection whose credentials could not be read: {0}", e.getMessage());
        }
    }

    /** Serves the requests waiting on {@code connection}; returns whether to keep polling it. */
    private boolean serve(Connection connection, int pollResult) {
        if (pollResult < 0) {
            disconnect(connection);
            return false;
        }
        for (int served = 0; served < REQUESTS_PER_TURN; served++) {
            Sockets.Received received;
            try {
                received = Sockets.receiveFds(connection.socket.value(), BrokerProtocol.MAX_REQUEST, 0);
            } catch (ErrnoException e) {
                if (e.error() == Errno.EAGAIN) {
                    return true;                       // nothing more for now
                }
                disconnect(connection);                // reset, or a message too long to be ours
                return false;
            }
            if (received.isEndOfStream()) {
                disconnect(connection);
                return false;
            }
            Reply reply = answer(connection, received.data());
            try {
                Sockets.sendFds(connection.socket.value(), reply.bytes(), reply.fds());
            } catch (ErrnoException e) {
                // Gone, or not reading its replies (EAGAIN: its socket buffer is full): a client
                // that does not read cannot hold the broker, so it is dropped.
                disconnect(connection);
                return false;
            }
        }
        return true;
    }

    private record Reply(byte[] bytes, int... fds) {
    }

    private Reply answer(Connection connection, byte[] message) {
        try {
            return switch (BrokerProtocol.decode(message)) {
                case BrokerProtocol.Hello hello -> new Reply(BrokerProtocol.helloReply(info));
                case BrokerProtocol.Create create -> new Reply(BrokerProtocol.createReply(create(connection, create)));
                case BrokerProtocol.Attach attach -> attach(connection, attach);
                case BrokerProtocol.Detach detach -> {
                    detach(connection, detach);
                    yield new Reply(BrokerProtocol.done());
                }
                case BrokerProtocol.Destroy destroy -> {
                    destroy(connection, destroy);
                    yield new Reply(BrokerProtocol.done());
                }
                case BrokerProtocol.ListChannels list -> new Reply(BrokerProtocol.listReply(
                        channels.keySet().stream().mapToInt(Integer::intValue).toArray()));
                case BrokerProtocol.PublishRing publish -> new Reply(BrokerProtocol.publishRingReply(
                        publishRing(connection, publish)));
                case BrokerProtocol.FindRing find -> findRing(connection, find);
                case BrokerProtocol.Snapshot snapshot -> {
                    ChannelSnapshots.Taken taken = ChannelSnapshots.of(find(snapshot.id(), snapshot.key()));
                    yield new Reply(BrokerProtocol.snapshotReply(taken.snapshot(), taken.rows(), snapshot.fromRow()));
                }
            };
        } catch (ChannelException e) {
            return new Reply(BrokerProtocol.failure(e));
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "a request from " + connection + " failed inside the broker", e);
            return new Reply(BrokerProtocol.failure(new ChannelException(Errno.EIO, "the broker failed serving this "
                    + "request (" + e + "); its log has the details")));
        }
    }

    // --- the requests ---------------------------------------------------------------------------

    private BrokerProtocol.Created create(Connection connection, BrokerProtocol.Create request) {
        int flags = request.flags();
        if ((flags & ~RingFileDescriptor.KNOWN_FLAGS) != 0 || (flags & (RingFileDescriptor.BROADCAST
                | RingFileDescriptor.MULTICAST)) == (RingFileDescriptor.BROADCAST | RingFileDescriptor.MULTICAST)) {
            throw new ChannelException(Errno.EINVAL, "flags 0x" + Integer.toHexString(flags) + " are invalid: BROADCAST "
                    + "and MULTICAST exclude each other");
        }
        String problem = ChannelGeometry.problem(Integer.toUnsignedLong(request.entries()),
                Integer.toUnsignedLong(request.maxMessageSize()), Integer.toUnsignedLong(request.maxSubscribers()));
        if (problem != null) {
            throw new ChannelException(Errno.EINVAL, problem);
        }
        if ((request.permissions() & ~0777) != 0) {
            throw new ChannelException(Errno.EINVAL, "permissions 0" + Integer.toOctalString(request.permissions())
                    + " are not permission bits (0 to 0777)");
        }
        if (request.key() != 0 && byKey.containsKey(request.key())) {
            throw new ChannelException(Errno.EEXIST, "key 0x" + Long.toHexString(request.key()) + " is in use by channel "
                    + byKey.get(request.key()).id() + "; destroy it first, or choose another key");
        }
        if (nextId == Integer.MAX_VALUE) {
            throw new ChannelException(Errno.ENOSPC, "this broker has used every channel id; restart it");
        }
        ChannelGeometry geometry = new ChannelGeometry(request.entries(), request.maxMessageSize(),
                request.maxSubscribers());
        long needed = ChannelFormat.ringLength(geometry) + ChannelFormat.controlLength(geometry);
        long room = MemoryBudget.available();
        if (room != Long.MAX_VALUE && needed + MemoryBudget.MARGIN > room) {
            throw new ChannelException(Errno.ENOSPC, "no memory for a channel of " + needed + " bytes: "
                    + Math.max(0, room - MemoryBudget.MARGIN) + " bytes are left to this broker (what the system has "
                    + "available, and its memory cgroup's limit); create it with fewer entries or a smaller maximum "
                    + "message size, or free memory");
        }
        Credentials who = connection.credentials;
        ChannelHeader header = new ChannelHeader(nextId, RANDOM.nextLong(), flags, request.key(), geometry,
                request.permissions() & 0666, who.uid(), who.gid(), who.pid(), 0, System.currentTimeMillis());
        BrokerChannel channel = BrokerChannel.create(header, connection);
        nextId++;
        channels.put(channel.id(), channel);
        if (header.key() != 0) {
            byKey.put(header.key(), channel);
        }
        connection.created.add(channel);
        journal.record(channels.values());
        LOG.log(Level.DEBUG, "{0} created {1} for {2}", connection, channel, who);
        return new BrokerProtocol.Created(channel.id(), header.incarnation());
    }

    private Reply attach(Connection connection, BrokerProtocol.Attach request) {
        BrokerChannel channel = find(request.id(), request.key());
        Credentials who = connection.credentials;
        ChannelHeader h = channel.header;
        if (request.access().canReceive() && !Permissions.allows(who, h.permissions(), h.ownerUid(), h.ownerGid(),
                Permissions.READ)) {
            throw denied(channel, who, "receive", "r");
        }
        if (request.access().canSend() && !Permissions.allows(who, h.permissions(), h.ownerUid(), h.ownerGid(),
                Permissions.WRITE)) {
            throw denied(channel, who, "send", "w");
        }
        SubscriberTable rows = channel.memory.subscribers();
        for (int index = 0; index < rows.rows(); index++) {
            if (rows.tryReserve(index)) {
                int id = rows.writeIdentity(index, request.access().bits(), who.pid(), 0, who.uid(), who.gid(),
                        System.currentTimeMillis());
                channel.mode.join(index);
                channel.memory.control().advanceMembershipEpoch();
                channel.subscribers++;
                connection.memberships.add(new Connection.Membership(channel, index, id));
                return new Reply(BrokerProtocol.attachReply(new BrokerProtocol.Attached(channel.id(), id, index,
                        request.access().canSend())), channel.descriptorsFor(request.access().canSend()));
            }
        }
        throw new ChannelException(Errno.ENOSPC, channel + " already has " + rows.rows() + " subscribers, the most it "
                + "was created for; detach one, or create the channel with more");
    }

    private static ChannelException denied(BrokerChannel channel, Credentials who, String what, String bit) {
        ChannelHeader h = channel.header;
        return new ChannelException(Errno.EACCES, channel + " (permissions " + String.format("%04o", h.permissions())
                + ", owner uid " + h.ownerUid() + " gid " + h.ownerGid() + ") does not let uid " + who.uid() + " "
                + what + ": that needs the '" + bit + "' bit for its class; ask the owner, or attach with less access");
    }

    private void detach(Connection connection, BrokerProtocol.Detach request) {
        Connection.Membership m = connection.leave(request.channelId(), request.subscriberId());
        if (m == null) {
            throw new ChannelException(Errno.ENOENT, "subscriber " + request.subscriberId() + " of channel "
                    + request.channelId() + " was not attached through this connection");
        }
        leave(m.channel(), m.index(), m.subscriberId(), false);
    }

    private void destroy(Connection connection, BrokerProtocol.Destroy request) {
        BrokerChannel channel = find(request.id(), request.key());
        if (request.incarnation() != 0 && channel.header.incarnation() != request.incarnation()) {
            throw new ChannelException(Errno.ENOENT, "channel " + request.id() + " was already destroyed");
        }
        if (!Permissions.mayDestroy(connection.credentials, channel.header.ownerUid())) {
            throw new ChannelException(Errno.EPERM, channel + " belongs to uid " + channel.header.ownerUid()
                    + "; only its owner (or root) may destroy it");
        }
        destroy(channel);
    }

    /**
     * Records where MSG_RING reaches one of the caller's own subscribers (its completion loop's
     * ring, by descriptor number in the caller's process), or withdraws it; writes the new
     * publication number into the subscriber's row, where wakers see that there is one.
     */
    private int publishRing(Connection connection, BrokerProtocol.PublishRing request) {
        Connection.Membership m = connection.membership(request.channelId(), request.subscriberId());
        if (m == null) {
            throw new ChannelException(Errno.ENOENT, "subscriber " + request.subscriberId() + " of channel "
                    + request.channelId() + " was not attached through this connection; a process may publish a ring "
                    + "only for its own subscribers");
        }
        BrokerChannel channel = m.channel();
        SubscriberTable rows = channel.memory.subscribers();
        if (request.ringFd() < 0) {
            channel.rings.remove(m.subscriberId());
            rows.publishRingRelease(m.index(), 0);
            return 0;
        }
        if (connection.process == null) {
            try {
                connection.process = Sockets.peerPidFd(connection.socket.value());
            } catch (ErrnoException e) {
                throw new ChannelException(e.error(), "cannot name this client's process for its wakers: "
                        + e.getMessage() + "; its subscribers are woken by futex", e);
            }
        }
        int publication = channel.nextPublication();
        channel.rings.put(m.subscriberId(), new BrokerChannel.PublishedRing(publication, connection, request.ringFd(),
                request.token()));
        rows.publishRingRelease(m.index(), publication);
        return publication;
    }

    /**
     * Tells a member of a channel where MSG_RING reaches another of its subscribers: the
     * publication, descriptor number and token, with a pidfd of the subscriber's process, from
     * which the kernel lets the asker take the ring only if it may ptrace that process.
     */
    private Reply findRing(Connection connection, BrokerProtocol.FindRing request) {
        BrokerChannel channel = connection.memberOf(request.channelId());
        if (channel == null) {
            throw new ChannelException(Errno.EACCES, "only a subscriber of channel " + request.channelId()
                    + " may ask where its subscribers' rings are");
        }
        BrokerChannel.PublishedRing ring = channel.rings.get(request.subscriberId());
        if (ring == null || !ring.owner().open) {
            throw new ChannelException(Errno.ENOENT, "subscriber " + request.subscriberId() + " of channel "
                    + request.channelId() + " has published no ring; wake it by futex");
        }
        return new Reply(BrokerProtocol.findRingReply(new BrokerProtocol.RingFound(ring.publication(), ring.ringFd(),
                ring.token())), ring.owner().process.value());
    }

    /** The live channel with key {@code key}, or with id {@code id} when the key is 0. */
    private BrokerChannel find(int id, long key) {
        BrokerChannel channel = key != 0 ? byKey.get(key) : channels.get(id);
        if (channel == null) {
            throw new ChannelException(Errno.ENOENT, key != 0 ? "no channel has key 0x" + Long.toHexString(key)
                    : "no channel " + Integer.toUnsignedString(id) + " (it was never created, or was destroyed)");
        }
        return channel;
    }

    // --- departures -----------------------------------------------------------------------------

    /** A connection closed: its subscribers are reaped and its channels that are not persistent destroyed. */
    private void disconnect(Connection connection) {
        if (!connection.open) {
            return;
        }
        connection.open = false;
        connections.remove(connection.token);
        connection.socket.close();
        closeQuietly(connection.process);
        // Every row of the dead connection is LEAVING before any is judged, so that none counts
        // as a live claimant while another's claim is judged.
        for (Connection.Membership m : connection.memberships) {
            beginLeaving(m.channel(), m.index());
        }
        for (Connection.Membership m : connection.memberships) {
            leave(m.channel(), m.index(), m.subscriberId(), true);
        }
        int reaped = connection.memberships.size();
        connection.memberships.clear();
        for (BrokerChannel channel : connection.created) {
            if (!channel.persistent() && !channel.destroyed) {
                destroy(channel);
            }
        }
        if (reaped > 0) {
            LOG.log(Level.DEBUG, "{0} closed; reaped {1} subscriber(s)", connection, Integer.toString(reaped));
        }
    }

    private static void beginLeaving(BrokerChannel channel, int index) {
        SubscriberTable rows = channel.memory.subscribers();
        int state = rows.stateAcquire(index);
        if (state == SubscriberDescriptor.ACTIVE || state == SubscriberDescriptor.JOINING) {
            rows.tryBeginLeaving(index, state);
        }
    }

    /** Row {@code index} leaves: what it held is recovered, and it is freed — or judged again later. */
    private void leave(BrokerChannel channel, int index, int id, boolean death) {
        channel.rings.remove(id);
        SubscriberTable rows = channel.memory.subscribers();
        if (rows.id(index) != id) {
            return;                                    // not ours any more (a peer rewrote the row)
        }
        beginLeaving(channel, index);
        finishLeaving(channel, index, death);
    }

    private void finishLeaving(BrokerChannel channel, int index, boolean death) {
        finishLeaving(channel, index, death, PENDING_TICK_NANOS);
    }

    private void finishLeaving(BrokerChannel channel, int index, boolean death, long wait) {
        if (!channel.recovery.recover(index)) {
            pending.add(new Pending(channel, index, death, System.nanoTime() + wait, wait));
            return;
        }
        SubscriberTable rows = channel.memory.subscribers();
        int id = rows.id(index);
        int pid = rows.pid(index);
        channel.recovery.free(index);
        if (death) {
            channel.memory.control().increment(ControlHeader.Counter.REAPED);
            LOG.log(Level.INFO, "channel {0}: reaped subscriber {1} of pid {2}, whose process died; what it held is "
                    + "recovered", Integer.toString(channel.header.id()), Integer.toString(id), Integer.toString(pid));
        }
        channel.subscribers--;
        releaseIfDone(channel);
    }

    /** How long the loop may wait for an event: until the next pending judgment, or a tick. */
    private long nextWait() {
        long wait = TICK_NANOS;
        long now = System.nanoTime();
        for (Pending p : pending) {
            wait = Math.min(wait, Math.max(0, p.due() - now));
        }
        return wait;
    }

    private void judgePending() {
        if (pending.isEmpty()) {
            return;
        }
        long now = System.nanoTime();
        List<Pending> due = new ArrayList<>();
        for (Iterator<Pending> it = pending.iterator(); it.hasNext(); ) {
            Pending p = it.next();
            if (now - p.due() >= 0) {
                due.add(p);
                it.remove();
            }
        }
        for (Pending p : due) {
            finishLeaving(p.channel(), p.index(), p.death(), Math.min(2 * p.backoff(), MAX_PENDING_WAIT_NANOS));
        }
    }

    private void destroy(BrokerChannel channel) {
        channel.destroy();
        channels.remove(channel.id());
        if (channel.header.key() != 0) {
            byKey.remove(channel.header.key(), channel);
        }
        journal.record(channels.values());
        LOG.log(Level.DEBUG, "destroyed {0}", channel);
        releaseIfDone(channel);
    }

    /** A destroyed channel no subscriber holds any more: the broker lets go of its memory. */
    private static void releaseIfDone(BrokerChannel channel) {
        if (channel.destroyed && channel.subscribers == 0) {
            channel.close();
        }
    }

    private boolean idleTooLong() {
        if (settings.idleExit() == null) {
            return false;
        }
        if (!connections.isEmpty() || !channels.isEmpty() || !pending.isEmpty()) {
            idleSince = System.nanoTime();
            return false;
        }
        return System.nanoTime() - idleSince > settings.idleExit().toNanos();
    }

    private void shutDown() {
        for (Connection connection : new ArrayList<>(connections.values())) {
            connection.open = false;
            connection.socket.close();
        }
        connections.clear();
        for (Iterator<BrokerChannel> it = channels.values().iterator(); it.hasNext(); ) {
            BrokerChannel channel = it.next();
            channel.destroy();
            channel.close();
            it.remove();
        }
        byKey.clear();
        try {
            Files.deleteIfExists(settings.socket());
        } catch (IOException e) {
            LOG.log(Level.WARNING, "could not remove {0}: {1}", settings.socket(), e);
        }
        listener.close();
        stopSignal.close();
        journal.remove();
        try {
            lock.release();
            lockFile.close();
        } catch (IOException e) {
            // the lock goes with the process anyway
        }
        LOG.log(Level.INFO, "stopped serving at {0}", settings.socket());
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c != null) {
            try {
                c.close();
            } catch (Exception e) {
                // closing on the way out of a failure; the first failure is what matters
            }
        }
    }

    /** The thread serving, once it runs. */
    Thread thread() {
        return thread;
    }
}
