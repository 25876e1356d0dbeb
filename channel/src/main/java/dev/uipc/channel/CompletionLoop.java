package dev.uipc.channel;

import dev.uipc.channel.waiting.Parking;
import dev.uipc.uring.CompletionHandler;
import dev.uipc.uring.CqeFlag;
import dev.uipc.uring.Errno;
import dev.uipc.uring.Ring;
import dev.uipc.uring.RingOptions;
import dev.uipc.uring.Sqe;
import dev.uipc.uring.linux.EventFd;
import dev.uipc.uring.linux.OwnedFd;

import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One thread serving many channels and any other I/O from one io_uring, in the io_uring
 * completion style the io_uring RFC "io_uring: add IPC channel infrastructure" meant channel
 * traffic to have. A {@link Subscription} delivers a subscriber's messages to a
 * {@link MessageHandler} (in place, its {@link MessageInfo} filled), or tells a
 * {@link RoomHandler} that a full channel has room again; beside them the loop carries
 * ordinary io_uring operations — socket and file reads and writes, polls, timers, anything an
 * SQE can say — each completing to a {@link CompletionHandler} with its result, flags and the
 * operation's id. One call to {@code io_uring_enter} waits for all of it.
 *
 * <pre>{@code
 * try (CompletionLoop loop = CompletionLoop.open()) {
 *     loop.receive(orders, (message, info) -> handle(message, info));
 *     loop.recv(socketFd, buffer, (result, flags, op) -> onBytes(result));
 *     loop.timeout(Duration.ofSeconds(1), (result, flags, op) -> tick());
 *     loop.run();                        // until loop.stop(), from any thread
 * }
 * }</pre>
 *
 * <p><b>How it waits.</b> A subscription with work is polled each turn; one that has been idle
 * for a few turns while others have work is parked: it announces itself on its subscriber's
 * doorbell (the Dekker pair of the blocking path), looks once more, and leaves an io_uring
 * FUTEX_WAIT in flight on the doorbell — from then on it costs nothing until a peer rings. When
 * no subscription and no completion has work, the {@link WaitStrategy} decides between spinning —
 * still polling the subscriptions that were active, so that a message arriving meanwhile costs
 * its sender no wake — and parking them all and sleeping in {@code io_uring_enter};
 * {@link #stats()} counts the turns, spins, parks and wakes, so that the price of spinning is
 * visible.
 *
 * <p><b>Ring doorbells.</b> Each subscription also tells the broker where the loop's ring is, so
 * that a peer waking it can post a completion straight into this ring (MSG_RING) instead of
 * waking the futex — the kernel lets it take the ring only if it may ptrace this process (the
 * same user). Peers that may not, and the broker, wake the futex, which the loop keeps listening
 * to; {@link Stats#ringWakes()} counts the wakes that came by ring. Set the system property
 * {@code uipc.ringDoorbells} to {@code false} to publish no ring. A busy subscription drains at most a budget of messages per turn,
 * so it cannot starve the others.
 *
 * <p><b>Threads.</b> A loop belongs to the thread that opened it, which must be a platform
 * thread: every method but {@link #stop()} must be called on it, handlers run on it, and it is
 * the thread that calls {@link #run()}. Handlers must not block.
 *
 * <p>Nothing is allocated per message or per completion; registering a subscription or
 * submitting an operation allocates only while the loop's tables grow.
 */
public final class CompletionLoop implements AutoCloseable {
    /** What a subscription calls when its channel, full before, has room again. */
    @FunctionalInterface
    public interface RoomHandler {
        /**
         * The channel had room when the loop looked; send now (a send may still find it full if
         * others were quicker).
         *
         * @param subscription the subscription that asked for room
         */
        void onRoom(Subscription subscription);
    }

    /** Fills one SQE for {@link #submit}: any operation the uring binding can prepare. */
    @FunctionalInterface
    public interface Preparer {
        /**
         * Fills the entry: opcode, descriptor, buffers, flags — everything but its user data.
         *
         * @param sqe the entry the loop took from its submission queue
         */
        void prepare(Sqe sqe);
    }

    /**
     * The loop's counters, for anyone watching what its waiting costs.
     *
     * @param turns       passes through the loop
     * @param spins       idle turns spent spinning before sleeping
     * @param parks       times the loop slept in {@code io_uring_enter}
     * @param wakes       subscriptions woken by a peer ringing their doorbell (by futex or ring)
     * @param ringWakes   of those, wakes a peer posted into the loop's ring (MSG_RING)
     * @param completions completions handled (subscriptions' and operations')
     * @param messages    messages delivered to handlers
     */
    public record Stats(long turns, long spins, long parks, long wakes, long ringWakes, long completions,
                        long messages) {
    }

    // A completion's user data: what it is in the top two bits, a generation, a table slot.
    private static final long KIND_SHIFT = 62;
    private static final long KIND_OPERATION = 0;
    private static final long KIND_DOORBELL = 1;
    /** A wake a peer posted into this ring with MSG_RING: the token the loop published. */
    private static final long KIND_RING = 2;
    private static final long KIND_INTERNAL = 3;
    private static final long WAKEUP = (KIND_INTERNAL << KIND_SHIFT) | 1;
    private static final long CANCELLATION = (KIND_INTERNAL << KIND_SHIFT) | 2;
    /** Turns a subscription stays polled with nothing for it, while others have work, before it is parked. */
    private static final int IDLE_TURNS_BEFORE_PARKING = 4;
    private static final int DEFAULT_BUDGET = 16;
    private static final int SOCK_CLOEXEC = dev.uipc.uring.linux.Sockets.SOCK_CLOEXEC;
    private static final boolean RING_DOORBELLS = !"false".equals(System.getProperty("uipc.ringDoorbells"));

    private static final System.Logger LOG = System.getLogger("dev.uipc.loop");

    private final Ring ring;
    private final Thread owner;
    private final WaitStrategy strategy;
    private final int budget;
    private final OwnedFd wakeup;
    private final MemorySegment wakeupBuffer;
    private final Handler handler = new Handler();

    // Operations: a handler per slot, a generation per slot, and a stack of free slots.
    private CompletionHandler[] operations = new CompletionHandler[64];
    private int[] operationGenerations = new int[64];
    private int[] freeOperations = new int[64];
    private int freeOperationCount;
    private int operationSlots;

    // Subscriptions: by slot, the ones being polled, and which subscriber each serves.
    private Subscription[] subscriptions = new Subscription[16];
    private int subscriptionSlots;
    private Subscription[] hot = new Subscription[16];
    private int hotCount;
    private int rotation;
    private final Map<Subscriber, Subscription> bySubscriber = new IdentityHashMap<>();

    private volatile boolean stopping;
    /** Guarded by {@code wakeup}: {@link #stop()} may race with {@link #close()}. */
    private boolean wakeupClosed;
    private boolean closed;
    private long idleSince;
    private int idleRounds;
    private long turns;
    private long spins;
    private long parks;
    private long wakes;
    private long ringWakes;
    private long completions;
    private long messages;

    private CompletionLoop(int entries, WaitStrategy strategy, int budget) {
        this.owner = Thread.currentThread();
        if (owner.isVirtual()) {
            throw new IllegalStateException("a completion loop needs a platform thread of its own: its io_uring belongs "
                    + "to one thread (SINGLE_ISSUER), which a virtual thread is not");
        }
        this.ring = Ring.open(RingOptions.defaults().withEntries(entries));
        this.strategy = strategy;
        this.budget = budget;
        // Blocking: io_uring answers a read of a non-blocking descriptor with EAGAIN at once
        // instead of waiting for it to become readable.
        this.wakeup = EventFd.create(0, EventFd.CLOEXEC);
        this.wakeupBuffer = java.lang.foreign.Arena.ofAuto().allocate(8, 8);
        ring.prepare().read(wakeup.value(), wakeupBuffer, 0).userData(WAKEUP);
    }

    /**
     * A loop for the calling thread: 256 ring entries, spinning 10 microseconds before sleeping,
     * 16 messages a turn.
     *
     * @return the loop, owned by the calling thread
     */
    public static CompletionLoop open() {
        return open(256, WaitStrategy.defaultStrategy(), DEFAULT_BUDGET);
    }

    /**
     * A loop for the calling thread.
     *
     * @param entries  submission queue entries (a power of two): operations in flight may exceed it
     * @param strategy how long to spin, when nothing is ready, before sleeping in the kernel
     * @param budget   the most messages one subscription delivers per turn before the others' turn
     * @return the loop, owned by the calling thread
     */
    public static CompletionLoop open(int entries, WaitStrategy strategy, int budget) {
        Objects.requireNonNull(strategy, "strategy");
        if (budget < 1) {
            throw new IllegalArgumentException("the budget per turn must be at least one message, not " + budget);
        }
        return new CompletionLoop(entries, strategy, budget);
    }

    // --- channel subscriptions -----------------------------------------------------------------

    /**
     * Delivers {@code subscriber}'s messages to {@code handler}, in place: the slot is valid only
     * until the handler returns, and is released then (even if it throws).
     *
     * @param subscriber a subscriber attached with RECV, not yet served by this loop
     * @param handler    what each message is given to, on the loop's thread
     * @return the subscription, to pause, resume or close
     * @throws IllegalStateException if the subscriber is already served by this loop
     */
    public Subscription receive(Subscriber subscriber, MessageHandler handler) {
        return subscribe(subscriber, Objects.requireNonNull(handler, "handler"), null);
    }

    /**
     * A subscription for sending: {@code onRoom} runs once there is room, each time after
     * {@link Subscription#requestRoom()} — after a send found the channel full.
     *
     * @param subscriber a subscriber attached with SEND, not yet served by this loop
     * @param onRoom     what is told of room, on the loop's thread
     * @return the subscription, whose {@link Subscription#requestRoom()} asks to be told
     */
    public Subscription send(Subscriber subscriber, RoomHandler onRoom) {
        return subscribe(subscriber, null, Objects.requireNonNull(onRoom, "onRoom"));
    }

    /**
     * Both: messages to {@code onMessage}, room to {@code onRoom}.
     *
     * @param subscriber a subscriber not yet served by this loop, with the access the handlers need
     * @param onMessage  what each message is given to, or null to take none
     * @param onRoom     what is told of room, or null to be told of none
     * @return the subscription
     * @throws IllegalStateException if the subscriber is already served by this loop
     */
    public Subscription subscribe(Subscriber subscriber, MessageHandler onMessage, RoomHandler onRoom) {
        checkOwner();
        Objects.requireNonNull(subscriber, "subscriber");
        if (bySubscriber.containsKey(subscriber)) {
            throw new IllegalStateException(subscriber + " is already served by this loop; one subscription per subscriber");
        }
        if (onMessage != null && subscriber.receiving() == null) {
            throw new ChannelException(Errno.EACCES, subscriber + " was attached to send only; attach with RECV to "
                    + "receive through the loop");
        }
        if (onRoom != null && subscriber.sending() == null) {
            throw new ChannelException(Errno.EACCES, subscriber + " was attached to receive only; attach with SEND to "
                    + "send through the loop");
        }
        if (subscriptionSlots == subscriptions.length) {
            subscriptions = Arrays.copyOf(subscriptions, subscriptions.length * 2);
        }
        Subscription s = new Subscription(subscriber, subscriptionSlots, onMessage, onRoom);
        subscriptions[subscriptionSlots++] = s;
        bySubscriber.put(subscriber, s);
        if (RING_DOORBELLS) {
            publishRing(s);
        }
        makeHot(s);
        return s;
    }

    /** One subscriber's service by the loop. Closing it stops the service; the subscriber stays attached. */
    public final class Subscription implements AutoCloseable {
        private final Subscriber subscriber;
        private final int slot;
        private final MessageHandler onMessage;
        private final RoomHandler onRoom;
        private final MessageInfo info = new MessageInfo();
        private final Parking parking;
        private boolean roomRequested;
        private boolean paused;
        private boolean isHot;
        private boolean parked;
        private boolean parkedReceiving;
        private boolean parkedSending;
        private boolean futexInFlight;
        private boolean ringPublished;
        private int idleTurns;
        private int generation;
        private boolean closed;

        private Subscription(Subscriber subscriber, int slot, MessageHandler onMessage, RoomHandler onRoom) {
            this.subscriber = subscriber;
            this.slot = slot;
            this.onMessage = onMessage;
            this.onRoom = onRoom;
            this.parking = subscriber.parking();
        }

        /**
         * The subscriber served.
         *
         * @return the subscriber this subscription serves
         */
        public Subscriber subscriber() {
            return subscriber;
        }

        /** Asks for {@link RoomHandler#onRoom} once the channel has room; call it when a send found it full. */
        public void requestRoom() {
            checkOwner();
            if (onRoom == null) {
                throw new IllegalStateException("this subscription has no RoomHandler; subscribe with one to be told of room");
            }
            roomRequested = true;
            makeHot(this);
        }

        /**
         * Stops delivering messages — they stay in the channel — until {@link #resume()}: for a
         * handler with nowhere to put more (a full socket buffer, say). Called from its own
         * handler, no message is delivered after that handler returns.
         */
        public void pause() {
            checkOwner();
            paused = true;
        }

        /** Delivers messages again after {@link #pause()}. */
        public void resume() {
            checkOwner();
            if (paused) {
                paused = false;
                makeHot(this);
            }
        }

        /**
         * Stops serving the subscriber: no handler of it runs after this returns, and nothing is
         * taken from its channel that was not delivered. Idempotent.
         */
        @Override
        public void close() {
            checkOwner();
            if (closed) {
                return;
            }
            closed = true;
            if (parked && !subscriber.isClosed()) {   // a detached subscriber's memory is gone, and its row with it
                parking.withdraw(parkedReceiving, parkedSending);
            }
            parked = false;
            if (futexInFlight) {
                ring.prepare().cancel(doorbellToken(this), 0).userData(CANCELLATION);
            }
            withdrawRing(this);
            generation++;
            bySubscriber.remove(subscriber);
            removeHot(this);
        }

        @Override
        public String toString() {
            return "Subscription[" + subscriber + (parked ? ", parked" : isHot ? ", polled" : "") + "]";
        }
    }

    private long doorbellToken(Subscription s) {
        return token(KIND_DOORBELL, s);
    }

    private static long token(long kind, Subscription s) {
        return (kind << KIND_SHIFT) | ((long) (s.generation & 0x3fffffff) << 32) | s.slot;
    }

    /**
     * Tells the broker where this ring is for {@code s}'s subscriber, so that peers may wake it
     * by MSG_RING. If the broker cannot record it, peers wake the futex as before: nothing is lost
     * but the shortcut.
     */
    private void publishRing(Subscription s) {
        try {
            s.subscriber.publishRing(ring.fd(), token(KIND_RING, s));
            s.ringPublished = true;
        } catch (ChannelException e) {
            LOG.log(System.Logger.Level.DEBUG, "{0} is woken by futex only: {1}", s.subscriber, e.getMessage());
        }
    }

    private void withdrawRing(Subscription s) {
        if (!s.ringPublished) {
            return;
        }
        s.ringPublished = false;
        if (s.subscriber.isClosed()) {
            return;                          // detaching took the publication with it
        }
        try {
            s.subscriber.publishRing(-1, 0);
        } catch (ChannelException e) {
            // The broker is gone or the registry closed: the publication went with them. A peer
            // that took the ring already posts into a ring nobody serves for this subscriber,
            // which the stale token makes harmless, until it sees the row's publication change.
            LOG.log(System.Logger.Level.DEBUG, "could not withdraw the ring of {0}: {1}", s.subscriber, e.getMessage());
        }
    }

    private void makeHot(Subscription s) {
        if (s.isHot || s.closed) {
            return;
        }
        if (hotCount == hot.length) {
            hot = Arrays.copyOf(hot, hot.length * 2);
        }
        hot[hotCount++] = s;
        s.isHot = true;
        s.idleTurns = 0;
    }

    private void removeHot(Subscription s) {
        if (!s.isHot) {
            return;
        }
        for (int i = 0; i < hotCount; i++) {
            if (hot[i] == s) {
                hot[i] = hot[--hotCount];
                hot[hotCount] = null;
                break;
            }
        }
        s.isHot = false;
    }

    // --- io_uring operations --------------------------------------------------------------------

    /**
     * Submits any operation: {@code preparer} fills the SQE (its user data is the loop's; do not
     * set it), and {@code handler} gets the completion with the operation's id as user data.
     *
     * @param preparer fills the entry
     * @param handler  gets the completion (or completions, for a multishot operation)
     * @return the operation's id, for {@link #cancel}
     */
    public long submit(Preparer preparer, CompletionHandler handler) {
        long id = operation(handler);
        Sqe sqe = ring.prepare();
        preparer.prepare(sqe);
        sqe.userData(id);
        return id;
    }

    /** Takes an operation slot for {@code handler}; returns the operation's id, its user data. */
    private long operation(CompletionHandler handler) {
        checkOwner();
        Objects.requireNonNull(handler, "handler");
        int slot = freeOperationCount > 0 ? freeOperations[--freeOperationCount] : newOperationSlot();
        operations[slot] = handler;
        return (KIND_OPERATION << KIND_SHIFT) | ((long) (operationGenerations[slot] & 0x3fffffff) << 32) | slot;
    }

    private int newOperationSlot() {
        if (operationSlots == operations.length) {
            operations = Arrays.copyOf(operations, operations.length * 2);
            operationGenerations = Arrays.copyOf(operationGenerations, operationGenerations.length * 2);
            freeOperations = Arrays.copyOf(freeOperations, freeOperations.length * 2);
        }
        return operationSlots++;
    }

    /**
     * Reads from {@code fd} into {@code buffer} at {@code fileOffset}.
     *
     * @param fd         a file, pipe or socket
     * @param buffer     native memory, valid until the completion
     * @param fileOffset where in the file, or -1 for its current position
     * @param handler    gets the bytes read, 0 at the end, or -errno
     * @return the operation's id, for {@link #cancel}
     */
    public long read(int fd, MemorySegment buffer, long fileOffset, CompletionHandler handler) {
        long id = operation(handler);
        ring.prepare().read(fd, buffer, fileOffset).userData(id);
        return id;
    }

    /**
     * Writes {@code buffer} to {@code fd} at {@code fileOffset}.
     *
     * @param fd         a file, pipe or socket
     * @param buffer     native memory, valid until the completion
     * @param fileOffset where in the file, or -1 for its current position
     * @param handler    gets the bytes written, or -errno
     * @return the operation's id, for {@link #cancel}
     */
    public long write(int fd, MemorySegment buffer, long fileOffset, CompletionHandler handler) {
        long id = operation(handler);
        ring.prepare().write(fd, buffer, fileOffset).userData(id);
        return id;
    }

    /**
     * Receives from a socket into {@code buffer}.
     *
     * @param socket  a connected socket
     * @param buffer  native memory, valid until the completion
     * @param handler gets the bytes received, 0 when the peer closed, or -errno
     * @return the operation's id, for {@link #cancel}
     */
    public long recv(int socket, MemorySegment buffer, CompletionHandler handler) {
        long id = operation(handler);
        ring.prepare().recv(socket, buffer, 0).userData(id);
        return id;
    }

    /**
     * Sends {@code buffer} on a socket; a stream socket may take fewer bytes than given.
     *
     * @param socket  a connected socket
     * @param buffer  native memory, valid until the completion
     * @param handler gets the bytes sent, or -errno
     * @return the operation's id, for {@link #cancel}
     */
    public long send(int socket, MemorySegment buffer, CompletionHandler handler) {
        long id = operation(handler);
        ring.prepare().send(socket, buffer, 0).userData(id);
        return id;
    }

    /**
     * Accepts the next connection on a listening socket (such as one from
     * {@link dev.uipc.uring.linux.TcpSockets#listen}); the handler's result is the new
     * connection's descriptor, close-on-exec, which it then owns
     * ({@link OwnedFd#adopt}), or -errno.
     *
     * @param listener a listening socket
     * @param handler  gets the new connection's descriptor, or -errno
     * @return the operation's id, for {@link #cancel}
     */
    public long accept(int listener, CompletionHandler handler) {
        long id = operation(handler);
        ring.prepare().accept(listener, SOCK_CLOEXEC).userData(id);
        return id;
    }

    /**
     * Completes once {@code fd} has one of the poll {@code events}.
     *
     * @param fd      any pollable descriptor
     * @param events  {@link Sqe#POLLIN}, {@link Sqe#POLLOUT} ...
     * @param handler gets the events that are ready, or -errno
     * @return the operation's id, for {@link #cancel}
     */
    public long poll(int fd, int events, CompletionHandler handler) {
        long id = operation(handler);
        ring.prepare().pollAdd(fd, events).userData(id);
        return id;
    }

    /**
     * A timer.
     *
     * @param after   how long from now
     * @param handler gets {@code -ETIME} when it fires, or {@code -ECANCELED}
     * @return the operation's id, for {@link #cancel}
     */
    public long timeout(Duration after, CompletionHandler handler) {
        long nanos = Subscriber.nanos(after);
        long id = operation(handler);
        ring.prepare().timeout(nanos, 0, 0).userData(id);
        return id;
    }

    /**
     * Asks the kernel to cancel an operation; it then completes with {@code -ECANCELED}, or has
     * already completed.
     *
     * @param id what {@link #submit} or another operation method returned
     */
    public void cancel(long id) {
        checkOwner();
        ring.prepare().cancel(id, 0).userData(CANCELLATION);
    }

    // --- running --------------------------------------------------------------------------------

    /** Runs turns until {@link #stop()} is called. */
    public void run() {
        checkOwner();
        while (!stopping) {
            turn(Long.MAX_VALUE);
        }
        stopping = false;
    }

    /**
     * Runs until something was done, at most {@code maxWait}: handles the completions that are
     * in and serves the subscriptions being polled; while there is nothing, spins or sleeps as
     * the strategy says.
     *
     * @param maxWait the longest to wait for something to do; {@link Duration#ZERO}: one look
     * @return how much was done (completions and messages); 0 if {@code maxWait} passed idle
     */
    public int runOnce(Duration maxWait) {
        checkOwner();
        long nanos = Subscriber.nanos(maxWait);
        long deadline = nanos >= Long.MAX_VALUE / 2 ? Long.MAX_VALUE : System.nanoTime() + nanos;
        for (;;) {
            long left = deadline == Long.MAX_VALUE ? Long.MAX_VALUE : Math.max(0, deadline - System.nanoTime());
            int work = turn(left);
            if (work > 0 || left == 0 || stopping) {
                return work;
            }
        }
    }

    /** Makes {@link #run()} return, from any thread, as soon as the loop's current turn ends. */
    public void stop() {
        stopping = true;
        synchronized (wakeup) {
            if (!wakeupClosed) {            // a closed loop has nothing to stop, and its fd number may be another's now
                EventFd.write(wakeup.value(), 1);
            }
        }
    }

    /**
     * What the loop has done so far.
     *
     * @return its counters now
     */
    public Stats stats() {
        return new Stats(turns, spins, parks, wakes, ringWakes, completions, messages);
    }

    private int turn(long maxWaitNanos) {
        turns++;
        int work = ring.drain(handler) + serveHot();
        if (work > 0) {
            idleRounds = 0;
            return work;
        }
        long now = System.nanoTime();
        if (idleRounds == 0) {
            idleSince = now;
        }
        if (maxWaitNanos > 0 && !strategy.idle(++idleRounds, now - idleSince)) {
            spins++;
            return 0;
        }
        work = parkAllHot();                 // each parks, or turns out to have work after all
        if (work > 0 || maxWaitNanos == 0) {
            idleRounds = 0;
            return work;
        }
        parks++;
        ring.submitAndWait(1, maxWaitNanos);
        idleRounds = 0;
        return ring.drain(handler);
    }

    /** Polls each subscription being polled, round-robin; while some have work, parks those idle for a few turns. */
    private int serveHot() {
        int work = 0;
        int n = hotCount;
        if (n == 0) {
            ring.submit();
            return 0;
        }
        int start = rotation++ % n;
        for (int k = 0; k < n && k < hotCount; k++) {
            int i = (start + k) % hotCount;
            Subscription s = hot[i];
            int done = serve(s);
            if (done > 0) {
                s.idleTurns = 0;
                work += done;
            } else {
                s.idleTurns++;
            }
        }
        if (work > 0) {
            // Others flow: a subscription idle for a few turns is parked, so that it costs nothing
            // while they do. When nothing flows at all, every hot subscription stays polled for
            // as long as the strategy spins — a message that comes within the spin then costs
            // its sender no wake — and all are parked together before the loop sleeps.
            for (int i = hotCount - 1; i >= 0; i--) {
                if (i < hotCount && hot[i].idleTurns >= IDLE_TURNS_BEFORE_PARKING) {
                    work += park(hot[i]);
                }
            }
        }
        ring.submit();                       // futex waits of subscriptions parked just now
        return work;
    }

    /** Delivers what is there for {@code s}: up to the budget of messages, and room if asked for. */
    private int serve(Subscription s) {
        if (s.subscriber.isClosed()) {
            s.close();                       // detached behind the loop's back: stop serving it
            return 0;
        }
        int done = 0;
        if (s.onMessage != null) {
            // One at a time, so that a handler that pauses its subscription gets no message after it returns.
            Receiving receiving = s.subscriber.receiving();
            while (done < budget && !s.paused && receiving.poll(s.onMessage, s.info, 1) == 1) {
                done++;
            }
            messages += done;
        }
        if (s.roomRequested && s.subscriber.sending().hasRoom()) {
            s.roomRequested = false;
            s.onRoom.onRoom(s);
            done++;
        }
        return done;
    }

    private int parkAllHot() {
        int work = 0;
        for (int i = hotCount - 1; i >= 0; i--) {
            if (i < hotCount) {
                work += park(hot[i]);
            }
        }
        return work;
    }

    /**
     * Parks {@code s}: announces it on its doorbell, looks once more, and if there is still
     * nothing leaves a FUTEX_WAIT in flight on the doorbell. Returns the work the last look found.
     */
    private int park(Subscription s) {
        boolean receiving = s.onMessage != null && !s.paused;
        boolean sending = s.roomRequested;
        if (!receiving && !sending) {
            removeHot(s);                    // nothing to wait for until room is requested
            return 0;
        }
        int v = s.parking.announce(receiving, sending);
        int found = serve(s);               // look again, announced
        if (found > 0) {
            if (s.parking.withdraw(receiving, sending) && receiving) {
                s.subscriber.receiving().passOnWake();
            }
            s.idleTurns = 0;
            return found;
        }
        if (!s.futexInFlight) {
            ring.prepare().futexWait(s.parking.doorbellMemory(), s.parking.doorbellOffset(), v).userData(doorbellToken(s));
            s.futexInFlight = true;
        }
        s.parked = true;
        s.parkedReceiving = receiving;
        s.parkedSending = sending;
        removeHot(s);
        return 0;
    }

    /** Completions, by kind. */
    private final class Handler implements CompletionHandler {
        @Override
        public void onCompletion(int result, int flags, long userData) {
            completions++;
            long kind = userData >>> KIND_SHIFT;
            int slot = (int) userData;
            int generation = (int) (userData >>> 32) & 0x3fffffff;
            if (kind == KIND_OPERATION) {
                if (slot < operationSlots && (operationGenerations[slot] & 0x3fffffff) == generation) {
                    CompletionHandler h = operations[slot];
                    if ((flags & CqeFlag.MORE) == 0) {      // the last completion of the operation: free its slot
                        operations[slot] = null;
                        operationGenerations[slot]++;
                        freeOperations[freeOperationCount++] = slot;
                    }
                    h.onCompletion(result, flags, userData);
                }
            } else if (kind == KIND_DOORBELL) {
                doorbellRang(slot, generation, result);
            } else if (kind == KIND_RING) {
                ringRang(slot, generation);
            } else if (userData == WAKEUP) {
                if (!closed) {
                    ring.prepare().read(wakeup.value(), wakeupBuffer, 0).userData(WAKEUP);
                }
            }
            // CANCELLATION: the result of a cancel request; what was cancelled completes on its own.
        }
    }

    private void doorbellRang(int slot, int generation, int result) {
        if (slot >= subscriptionSlots) {
            return;
        }
        Subscription s = subscriptions[slot];
        if (s == null || (s.generation & 0x3fffffff) != generation) {
            return;                          // a closed subscription's cancelled wait
        }
        s.futexInFlight = false;
        if (s.subscriber.isClosed()) {
            s.close();                       // detached while parked: nothing more to serve
            return;
        }
        if (result < 0 && result != -Errno.EAGAIN.number() && result != -Errno.EINTR.number()
                && result != -Errno.ECANCELED.number()) {
            throw new ChannelException(Errno.of(-result) == null ? Errno.EIO : Errno.of(-result),
                    "the completion loop's FUTEX_WAIT on " + s.subscriber + "'s doorbell failed: "
                    + Errno.nameOf(result));
        }
        if (s.parked) {
            s.parking.withdraw(s.parkedReceiving, s.parkedSending);
            s.parked = false;
            wakes++;
        }
        makeHot(s);
    }

    /**
     * A peer posted a wake into this ring for subscription {@code slot}. Its FUTEX_WAIT stays in
     * flight, so the next park needs no new one; a stale token (a subscription closed since, or
     * one a hostile peer's row made a waker post) only makes a subscription look once more.
     */
    private void ringRang(int slot, int generation) {
        if (slot >= subscriptionSlots) {
            return;
        }
        Subscription s = subscriptions[slot];
        if (s == null || s.closed || (s.generation & 0x3fffffff) != generation) {
            return;
        }
        if (s.subscriber.isClosed()) {
            s.close();
            return;
        }
        if (s.parked) {
            s.parking.withdraw(s.parkedReceiving, s.parkedSending);
            s.parked = false;
            wakes++;
            ringWakes++;
        }
        makeHot(s);
    }

    private void checkOwner() {
        if (Thread.currentThread() != owner) {
            throw new IllegalStateException("this completion loop belongs to " + owner + "; call it from that thread "
                    + "(only stop() may be called from another)");
        }
        if (closed) {
            throw new IllegalStateException("this completion loop is closed");
        }
    }

    /**
     * Stops serving every subscription (their subscribers stay attached, and keep every message
     * not yet delivered) and closes the ring, which cancels every operation in flight.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        checkOwner();
        for (int i = 0; i < subscriptionSlots; i++) {
            Subscription s = subscriptions[i];
            if (s != null && !s.closed) {
                s.close();
            }
        }
        closed = true;
        ring.close();
        synchronized (wakeup) {
            wakeupClosed = true;
            wakeup.close();
        }
    }

    @Override
    public String toString() {
        return "CompletionLoop[" + bySubscriber.size() + " subscriptions, " + hotCount + " polled, ring fd " + ring.fd()
                + "]";
    }
}
