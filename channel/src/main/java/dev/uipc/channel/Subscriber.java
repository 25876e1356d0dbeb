package dev.uipc.channel;

import dev.uipc.channel.layout.ControlFileDescriptor;
import dev.uipc.channel.layout.SubscriberDescriptor;
import dev.uipc.uring.Errno;
import dev.uipc.uring.ProcessIdentity;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.time.Duration;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * One attachment to a channel: the RFC's subscriber. It may send, receive, or both, as its
 * {@link Access} says. Closing it detaches; afterwards every operation throws ENOENT.
 *
 * <p><b>Results.</b> Sends return the bytes sent; receives the bytes copied (fewer than the
 * message's length if the buffer was smaller: see {@link MessageInfo#truncated()}). When
 * nothing moved they return a {@link Status}: {@link Status#EMPTY}, {@link Status#FULL},
 * {@link Status#TIMED_OUT} or {@link Status#CLOSED}, without allocating or throwing. Misuse
 * (sending without SEND access, a message over the channel's maximum, an unknown target)
 * throws {@link ChannelException}.
 *
 * <p><b>Waiting.</b> The {@code try} methods never wait. The others wait up to a timeout
 * (negative: without limit) as the subscriber's {@link WaitStrategy} says: spin briefly, then
 * sleep on a futex word until a peer wakes it. A sender makes a system call only when some
 * receiver sleeps.
 *
 * <p><b>Threads.</b> Not thread-safe: use one subscriber from one thread at a time, and give
 * each sending or receiving thread its own subscriber.
 */
public final class Subscriber implements AutoCloseable {
    private final MappedChannel ch;
    private final int id;
    private final int index;
    private final long row;
    private final Access access;
    private final Reaper reaper;
    private final Producer producer;
    private final Consumer consumer;
    private final MessageInfo scratch = new MessageInfo();
    private WaitStrategy waitStrategy = WaitStrategy.defaultStrategy();
    private boolean closed;
    /** The position claimed by {@link #tryClaim} and not yet committed, or -1. */
    private long claimed = -1;
    private int claimedLength;
    /** One view per slot, made on first zero-copy use, so that zero-copy calls allocate nothing. */
    private MemorySegment[] writeViews;
    private MemorySegment[] readViews;

    private Subscriber(MappedChannel ch, int id, Access access, Reaper reaper) {
        this.ch = ch;
        this.id = id;
        this.index = SubscriberDescriptor.index(id);
        this.row = MappedChannel.row(index);
        this.access = access;
        this.reaper = reaper;
        this.producer = access.canSend() ? new Producer(ch, id, reaper) : null;
        this.consumer = access.canReceive() ? Consumer.of(ch, id, reaper) : null;
    }

    /**
     * Takes a free row of the subscriber table and becomes ACTIVE (LAYOUT.md sections 3 and 4).
     *
     * @throws ChannelException ENOSPC if every row is taken by a live subscriber, ENOENT if the
     *                          channel was destroyed meanwhile
     */
    static Subscriber join(MappedChannel ch, Access access) {
        Reaper reaper = new Reaper(ch);
        MemorySegment ctl = ch.ctl;
        for (int attempt = 0; attempt < 2; attempt++) {
            for (int index = 0; index < ch.maxSubscribers; index++) {
                long row = MappedChannel.row(index);
                if ((int) Words.INT.getAcquire(ctl, row + SubscriberDescriptor.STATE) == SubscriberDescriptor.FREE
                        && Words.INT.compareAndSet(ctl, row + SubscriberDescriptor.STATE, SubscriberDescriptor.FREE,
                        SubscriberDescriptor.JOINING)) {
                    return new Subscriber(ch, becomeActive(ch, index, access), access, reaper);
                }
            }
            if (attempt == 0) {
                reaper.reapDeadSubscribers();   // rows of dead subscribers become free
            }
        }
        throw new ChannelException(Errno.ENOSPC, "channel " + ch.id + " already has " + ch.maxSubscribers
                + " live subscribers, the most it was created for; detach one, or create the channel with more");
    }

    /** Fills a JOINING row with our identity and makes it ACTIVE; returns the new id. */
    private static int becomeActive(MappedChannel ch, int index, Access access) {
        MemorySegment ctl = ch.ctl;
        long row = MappedChannel.row(index);
        int generation = ctl.get(JAVA_INT, row + SubscriberDescriptor.GENERATION) + 1;
        if (generation <= 0 || generation >= 1 << (32 - SubscriberDescriptor.INDEX_BITS - 1)) {
            generation = 1;
        }
        int id = SubscriberDescriptor.id(generation, index);
        ctl.set(JAVA_INT, row + SubscriberDescriptor.GENERATION, generation);
        ctl.set(JAVA_INT, row + SubscriberDescriptor.ID, id);
        ctl.set(JAVA_INT, row + SubscriberDescriptor.ACCESS, access.bits());
        ctl.set(JAVA_INT, row + SubscriberDescriptor.PID, ProcessIdentity.pid());
        ctl.set(JAVA_LONG, row + SubscriberDescriptor.START_TIME, ProcessIdentity.startTime());
        ctl.set(JAVA_INT, row + SubscriberDescriptor.UID, ProcessIdentity.uid());
        ctl.set(JAVA_INT, row + SubscriberDescriptor.GID, ProcessIdentity.gid());
        ctl.set(JAVA_LONG, row + SubscriberDescriptor.ATTACHED_MILLIS, System.currentTimeMillis());
        ctl.set(JAVA_LONG, row + SubscriberDescriptor.RECEIVED, 0L);
        ctl.set(JAVA_LONG, row + SubscriberDescriptor.SENT, 0L);
        Words.LONG.setRelease(ctl, row + SubscriberDescriptor.CLAIM, -1L);
        Words.INT.setRelease(ctl, row + SubscriberDescriptor.WAITING, SubscriberDescriptor.RUNNING);
        if (ch.mode == Mode.BROADCAST) {
            // Counted from here with a cursor at the tail as it is now ...
            Words.LONG.setRelease(ctl, row + SubscriberDescriptor.CURSOR, ch.tail());
            Words.INT.setRelease(ctl, row + SubscriberDescriptor.STATE, SubscriberDescriptor.ACTIVE);
            // ... and the ACTIVE row is visible BEFORE we read the tail we start at: a producer
            // that did not count us had read the tail before, so it cannot pass our start.
            java.lang.invoke.VarHandle.fullFence();
            Words.LONG.setRelease(ctl, row + SubscriberDescriptor.CURSOR, ch.tail());
        } else {
            Words.LONG.setRelease(ctl, row + SubscriberDescriptor.CURSOR,
                    (long) Words.LONG.getAcquire(ctl, ControlFileDescriptor.CONSUMER_HEAD_OFFSET));
            Words.INT.setRelease(ctl, row + SubscriberDescriptor.STATE, SubscriberDescriptor.ACTIVE);
        }
        Words.INT.getAndAdd(ctl, ControlFileDescriptor.MEMBERSHIP_EPOCH_OFFSET, 1);
        if (ch.destroyed()) {
            Reaper.free(ch, index);
            throw new ChannelException(Errno.ENOENT, "channel " + ch.id + " was destroyed while attaching");
        }
        return id;
    }

    // --- what it is ----------------------------------------------------------------------------

    /** This subscriber's id: what others name as a target, unique within the channel over time. */
    public int id() {
        return id;
    }

    public Access access() {
        return access;
    }

    public int channelId() {
        return ch.id;
    }

    public long channelKey() {
        return ch.key;
    }

    public Mode mode() {
        return ch.mode;
    }

    /** The largest message the channel carries. */
    public int maxMessageSize() {
        return ch.maxMessageSize;
    }

    /** The number of slots in the channel's ring. */
    public int entries() {
        return ch.entries;
    }

    public WaitStrategy waitStrategy() {
        return waitStrategy;
    }

    /** Sets how the blocking calls wait; returns this subscriber. */
    public Subscriber waitStrategy(WaitStrategy strategy) {
        this.waitStrategy = java.util.Objects.requireNonNull(strategy, "strategy");
        return this;
    }

    /** Whether the channel has been destroyed (its messages can still be drained). */
    public boolean channelDestroyed() {
        return ch.destroyed();
    }

    // --- sending -------------------------------------------------------------------------------

    /** Sends all of {@code message} if there is room now; see {@link #trySend(MemorySegment, long, int, long, int)}. */
    public int trySend(MemorySegment message) {
        return trySend(message, 0, lengthOf(message), 0, 0);
    }

    public int trySend(byte[] message) {
        return trySend(message, 0, message.length, 0, 0);
    }

    /** Sends the bytes between {@code message}'s position and limit, and advances its position if sent. */
    public int trySend(ByteBuffer message) {
        return sendBuffer(message, 0, 0, 0);
    }

    /**
     * Sends {@code length} bytes of {@code message} from {@code offset}, if there is room now.
     *
     * @param tag    a 64-bit value the receiver gets with the message
     * @param target the subscriber id that alone may receive it, or 0 for any receiver
     *               (unicast and multicast only)
     * @return {@code length}, {@link Status#FULL} or {@link Status#CLOSED}
     * @throws ChannelException EACCES without SEND access, EMSGSIZE over the maximum size,
     *                          ENOENT for a target that is not an attached receiver, EINVAL for a
     *                          target on a broadcast channel, ENOENT after detach
     */
    public int trySend(MemorySegment message, long offset, int length, long tag, int target) {
        checkSend(length, target);
        checkRange(message, offset, length);
        return offer(message, null, offset, length, tag, target);
    }

    public int trySend(byte[] message, int offset, int length, long tag, int target) {
        checkSend(length, target);
        java.util.Objects.checkFromIndexSize(offset, length, message.length);
        return offer(null, message, offset, length, tag, target);
    }

    /**
     * Sends, waiting up to {@code timeoutNanos} for room ({@code < 0}: without limit).
     *
     * @return {@code length}, {@link Status#TIMED_OUT} or {@link Status#CLOSED}
     */
    public int send(MemorySegment message, long offset, int length, long tag, int target, long timeoutNanos) {
        checkSend(length, target);
        checkRange(message, offset, length);
        return sendWaiting(message, null, offset, length, tag, target, timeoutNanos);
    }

    public int send(byte[] message, int offset, int length, long tag, int target, long timeoutNanos) {
        checkSend(length, target);
        java.util.Objects.checkFromIndexSize(offset, length, message.length);
        return sendWaiting(null, message, offset, length, tag, target, timeoutNanos);
    }

    /** Sends all of {@code message}, waiting up to {@code timeout} for room. */
    public int send(byte[] message, Duration timeout) {
        return send(message, 0, message.length, 0, 0, timeout.toNanos());
    }

    public int send(MemorySegment message, Duration timeout) {
        return send(message, 0, lengthOf(message), 0, 0, timeout.toNanos());
    }

    /** Sends a ByteBuffer's remaining bytes, waiting up to {@code timeoutNanos}; advances its position if sent. */
    public int send(ByteBuffer message, long tag, int target, long timeoutNanos) {
        return sendBuffer(message, tag, target, timeoutNanos);
    }

    private int sendBuffer(ByteBuffer message, long tag, int target, long timeoutNanos) {
        int length = message.remaining();
        checkSend(length, target);
        int r = message.hasArray()
                ? sendWaiting(null, message.array(), message.arrayOffset() + message.position(), length, tag, target,
                        timeoutNanos)
                : sendWaiting(MemorySegment.ofBuffer(message), null, 0, length, tag, target, timeoutNanos);
        if (r >= 0) {
            message.position(message.position() + r);
        }
        return r;
    }

    /** One attempt: claim, copy, commit. Exactly one of {@code segment} and {@code array} is set. */
    private int offer(MemorySegment segment, byte[] array, long offset, int length, long tag, int target) {
        if (ch.destroyed()) {
            return Status.CLOSED;
        }
        long p = producer.claim(length, tag, target);
        if (p < 0) {
            return Status.FULL;
        }
        if (array != null) {
            MemorySegment.copy(array, (int) offset, ch.ring, JAVA_BYTE, ch.payload(p), length);
        } else {
            MemorySegment.copy(segment, offset, ch.ring, ch.payload(p), length);
        }
        producer.commit(p);
        return length;
    }

    private int sendWaiting(MemorySegment segment, byte[] array, long offset, int length, long tag, int target,
                            long timeoutNanos) {
        int r = offer(segment, array, offset, length, tag, target);
        if (r != Status.FULL || timeoutNanos == 0) {
            return r;
        }
        long start = System.nanoTime();
        long deadline = deadline(start, timeoutNanos);
        long spinUntil = deadline(start, waitStrategy.spinNanos());
        int backoff = 1;
        for (long now = start; ; now = System.nanoTime()) {
            if (now - deadline >= 0) {
                return Status.TIMED_OUT;
            }
            if (now - spinUntil < 0 || !waitStrategy.sleeps()) {
                // Looking for room reads lines the receivers write: look less often the longer
                // it takes, so as not to slow them down.
                for (int i = 0; i < backoff; i++) {
                    Thread.onSpinWait();
                }
                backoff = Math.min(backoff << 1, 64);
            } else {
                int v = parkBegin(ControlFileDescriptor.SENDERS_WAITING_OFFSET);
                try {
                    if (!producer.hasRoom()) {      // look again, announced; sleep only if still full
                        Sleeper.sleep(ch.ctl, row + SubscriberDescriptor.DOORBELL, v, deadline - now,
                                waitStrategy.useIoUring());
                    }
                } finally {
                    parkEnd(ControlFileDescriptor.SENDERS_WAITING_OFFSET);
                }
            }
            r = offer(segment, array, offset, length, tag, target);
            if (r != Status.FULL) {
                return r;
            }
        }
    }

    // --- zero-copy sending -----------------------------------------------------------------------

    /**
     * Claims room for a message of {@code length} bytes, to be written in place: write it into
     * {@link #claimedBuffer()}, then {@link #commit()}. Until then no receiver sees it, and
     * receivers behind it wait, so commit promptly; a claim cannot be abandoned (commit a
     * shorter length, even 0, instead).
     *
     * @return {@code length}, {@link Status#FULL} or {@link Status#CLOSED}
     * @throws IllegalStateException if a claim is still open
     */
    public int tryClaim(int length, long tag, int target) {
        checkSend(length, target);
        if (claimed >= 0) {
            throw new IllegalStateException("subscriber " + id + " already holds a claim; commit it first");
        }
        if (ch.destroyed()) {
            return Status.CLOSED;
        }
        long p = producer.claim(length, tag, target);
        if (p < 0) {
            return Status.FULL;
        }
        claimed = p;
        claimedLength = length;
        return length;
    }

    /**
     * The claimed slot, writable: the message goes in its first bytes (the view may be longer
     * than the claimed length). Valid until {@link #commit()}.
     */
    public MemorySegment claimedBuffer() {
        if (claimed < 0) {
            throw new IllegalStateException("subscriber " + id + " holds no claim; call tryClaim first");
        }
        if (writeViews == null) {
            writeViews = slotViews(false);
        }
        return writeViews[(int) claimed & ch.mask];
    }

    /** Publishes the claimed message with the length it was claimed with. */
    public void commit() {
        commit(claimedLength);
    }

    /** Publishes the claimed message with {@code length} bytes, at most the length claimed. */
    public void commit(int length) {
        if (claimed < 0) {
            throw new IllegalStateException("subscriber " + id + " holds no claim to commit");
        }
        if (length < 0 || length > claimedLength) {
            throw new IllegalArgumentException("commit " + length + " bytes of a " + claimedLength + "-byte claim");
        }
        if (length != claimedLength) {
            ch.ring.set(JAVA_INT, ch.descriptor(claimed) + dev.uipc.channel.layout.MessageDescriptor.MESSAGE_LENGTH,
                    length);
        }
        long p = claimed;
        claimed = -1;
        producer.commit(p);
    }

    private MemorySegment[] slotViews(boolean readOnly) {
        MemorySegment[] views = new MemorySegment[ch.entries];
        for (int slot = 0; slot < ch.entries; slot++) {
            MemorySegment view = ch.ring.asSlice(ch.payload(slot), ch.slotStride);
            views[slot] = readOnly ? view.asReadOnly() : view;
        }
        return views;
    }

    // --- receiving -----------------------------------------------------------------------------

    /**
     * Receives the next message for this subscriber into {@code buffer} from {@code offset}, at
     * most {@code capacity} bytes, if one is there now.
     *
     * @return the bytes copied, {@link Status#EMPTY} or {@link Status#CLOSED}
     * @throws ChannelException EACCES without RECV access, ENOENT after detach
     */
    public int tryReceive(MemorySegment buffer, long offset, int capacity, MessageInfo info) {
        checkReceive();
        checkRange(buffer, offset, capacity);
        return poll(buffer, null, offset, capacity, info, null);
    }

    public int tryReceive(byte[] buffer, int offset, int capacity, MessageInfo info) {
        checkReceive();
        java.util.Objects.checkFromIndexSize(offset, capacity, buffer.length);
        return poll(null, buffer, offset, capacity, info, null);
    }

    public int tryReceive(byte[] buffer, MessageInfo info) {
        return tryReceive(buffer, 0, buffer.length, info);
    }

    /** Receives into the space between the buffer's position and limit, and advances its position. */
    public int tryReceive(ByteBuffer buffer, MessageInfo info) {
        return receiveBuffer(buffer, info, 0);
    }

    /**
     * Receives the next message without copying it: {@code handler} reads it where it lies in
     * the ring, and the slot is released when the handler returns (or throws).
     *
     * @return the message's length, {@link Status#EMPTY} or {@link Status#CLOSED}
     */
    public int tryReceive(MessageHandler handler, MessageInfo info) {
        checkReceive();
        return poll(null, null, 0, 0, info, java.util.Objects.requireNonNull(handler, "handler"));
    }

    /** {@link #tryReceive(MessageHandler, MessageInfo)}, waiting up to {@code timeoutNanos}. */
    public int receive(MessageHandler handler, MessageInfo info, long timeoutNanos) {
        checkReceive();
        return receiveWaiting(null, null, 0, 0, info, java.util.Objects.requireNonNull(handler, "handler"),
                timeoutNanos);
    }

    /**
     * Receives, waiting up to {@code timeoutNanos} for a message ({@code < 0}: without limit).
     *
     * @return the bytes copied, {@link Status#TIMED_OUT} or {@link Status#CLOSED}
     */
    public int receive(MemorySegment buffer, long offset, int capacity, MessageInfo info, long timeoutNanos) {
        checkReceive();
        checkRange(buffer, offset, capacity);
        return receiveWaiting(buffer, null, offset, capacity, info, null, timeoutNanos);
    }

    public int receive(byte[] buffer, int offset, int capacity, MessageInfo info, long timeoutNanos) {
        checkReceive();
        java.util.Objects.checkFromIndexSize(offset, capacity, buffer.length);
        return receiveWaiting(null, buffer, offset, capacity, info, null, timeoutNanos);
    }

    public int receive(byte[] buffer, MessageInfo info, Duration timeout) {
        return receive(buffer, 0, buffer.length, info, timeout.toNanos());
    }

    public int receive(ByteBuffer buffer, MessageInfo info, long timeoutNanos) {
        return receiveBuffer(buffer, info, timeoutNanos);
    }

    private int receiveBuffer(ByteBuffer buffer, MessageInfo info, long timeoutNanos) {
        checkReceive();
        if (buffer.isReadOnly()) {
            throw new ChannelException(Errno.EINVAL, "cannot receive into a read-only buffer");
        }
        int r = buffer.hasArray()
                ? receiveWaiting(null, buffer.array(), buffer.arrayOffset() + buffer.position(), buffer.remaining(), info,
                        null, timeoutNanos)
                : receiveWaiting(MemorySegment.ofBuffer(buffer), null, 0, buffer.remaining(), info, null, timeoutNanos);
        if (r >= 0) {
            buffer.position(buffer.position() + r);
        }
        return r;
    }

    /**
     * One attempt: take, copy, finish. Exactly one of {@code segment}, {@code array} and
     * {@code handler} is set; with a handler the message is read in place.
     */
    private int poll(MemorySegment segment, byte[] array, long offset, int capacity, MessageInfo info,
                     MessageHandler handler) {
        for (;;) {
            long p = consumer.take();
            if (p < 0) {
                return (int) p;
            }
            int length = consumer.length(p);
            if (length < 0) {
                consumer.discard(p, scratch);
                continue;
            }
            if (handler != null) {
                if (readViews == null) {
                    readViews = slotViews(true);
                }
                consumer.describeHeld(p, length, info);
                try {
                    handler.onMessage(readViews[(int) p & ch.mask], info);
                } finally {
                    consumer.release(p);          // released even if the handler throws
                }
                return length;
            }
            int n = Math.min(length, capacity);
            if (array != null) {
                MemorySegment.copy(ch.ring, JAVA_BYTE, ch.payload(p), array, (int) offset, n);
            } else {
                MemorySegment.copy(ch.ring, ch.payload(p), segment, offset, n);
            }
            if (consumer.finish(p, n, info)) {
                return n;
            }
        }
    }

    private int receiveWaiting(MemorySegment segment, byte[] array, long offset, int capacity, MessageInfo info,
                               MessageHandler handler, long timeoutNanos) {
        int r = poll(segment, array, offset, capacity, info, handler);
        if (r != Status.EMPTY || timeoutNanos == 0) {
            return r;
        }
        long start = System.nanoTime();
        long deadline = deadline(start, timeoutNanos);
        long spinUntil = deadline(start, waitStrategy.spinNanos());
        for (long now = start; ; now = System.nanoTime()) {
            if (now - deadline >= 0) {
                return Status.TIMED_OUT;
            }
            if (now - spinUntil < 0 || !waitStrategy.sleeps()) {
                Thread.onSpinWait();
                r = poll(segment, array, offset, capacity, info, handler);
            } else {
                int v = parkBegin(ControlFileDescriptor.RECEIVERS_WAITING_OFFSET);
                try {
                    r = poll(segment, array, offset, capacity, info, handler);   // look again, announced
                    if (r == Status.EMPTY) {
                        // Behind a message whose producer may have died: wake up in time to ask.
                        long sleep = consumer.blocked() ? Math.min(deadline - now, 2 * Consumer.STUCK_NANOS)
                                : deadline - now;
                        Sleeper.sleep(ch.ctl, row + SubscriberDescriptor.DOORBELL, v, sleep, waitStrategy.useIoUring());
                    }
                } finally {
                    parkEnd(ControlFileDescriptor.RECEIVERS_WAITING_OFFSET);
                }
                if (r == Status.EMPTY) {
                    r = poll(segment, array, offset, capacity, info, handler);
                }
            }
            if (r != Status.EMPTY) {
                return r;
            }
        }
    }

    /**
     * Announces that this subscriber sleeps: reads its doorbell, marks its row PARKED, and adds
     * itself to a waiting count. Returns the doorbell value to sleep on.
     */
    private int parkBegin(long waitingCountOffset) {
        int v = (int) Words.INT.getAcquire(ch.ctl, row + SubscriberDescriptor.DOORBELL);
        Words.INT.setRelease(ch.ctl, row + SubscriberDescriptor.WAITING, SubscriberDescriptor.PARKED);
        // getAndAdd is a full fence: PARKED and the count are visible BEFORE we look again for
        // a message (or room): the Dekker pair with a peer that publishes, fences, and reads the
        // count. Without it, a wake-up is lost.
        Words.INT.getAndAdd(ch.ctl, waitingCountOffset, 1);
        return v;
    }

    private void parkEnd(long waitingCountOffset) {
        Words.INT.setRelease(ch.ctl, row + SubscriberDescriptor.WAITING, SubscriberDescriptor.RUNNING);
        Words.INT.getAndAdd(ch.ctl, waitingCountOffset, -1);
    }

    private static long deadline(long start, long nanos) {
        return nanos < 0 || start + nanos < start ? start + Long.MAX_VALUE / 2 : start + nanos;
    }

    // --- checks --------------------------------------------------------------------------------

    private void checkSend(int length, int target) {
        if (closed) {
            throw detached();
        }
        if (producer == null) {
            throw new ChannelException(Errno.EACCES, "subscriber " + id + " of channel " + ch.id
                    + " was attached to receive only; attach with SEND (or BOTH) to send");
        }
        if (length < 0 || length > ch.maxMessageSize) {
            throw new ChannelException(Errno.EMSGSIZE, "a message of " + length + " bytes is over channel " + ch.id
                    + "'s maximum of " + ch.maxMessageSize + " bytes; split it, or create the channel with a larger "
                    + "maximum");
        }
        if (target != 0) {
            if (ch.mode == Mode.BROADCAST) {
                throw new ChannelException(Errno.EINVAL, "channel " + ch.id + " broadcasts every message to every "
                        + "receiver; a target is for unicast and multicast channels");
            }
            if (!ch.isActive(target, SubscriberDescriptor.RECV)) {
                throw new ChannelException(Errno.ENOENT, "channel " + ch.id + " has no attached receiver with "
                        + "subscriber id " + target + "; it may have detached");
            }
        }
    }

    private void checkReceive() {
        if (closed) {
            throw detached();
        }
        if (consumer == null) {
            throw new ChannelException(Errno.EACCES, "subscriber " + id + " of channel " + ch.id
                    + " was attached to send only; attach with RECV (or BOTH) to receive");
        }
    }

    private ChannelException detached() {
        return new ChannelException(Errno.ENOENT, "subscriber " + id + " of channel " + ch.id
                + " is detached; attach again");
    }

    private static void checkRange(MemorySegment segment, long offset, int length) {
        if (length < 0 || offset < 0 || offset > segment.byteSize() - length) {
            throw new IndexOutOfBoundsException("bytes " + offset + " to " + (offset + length) + " lie outside a "
                    + segment.byteSize() + "-byte segment");
        }
    }

    private static int lengthOf(MemorySegment segment) {
        if (segment.byteSize() > Integer.MAX_VALUE) {
            throw new ChannelException(Errno.EMSGSIZE, "a message of " + segment.byteSize() + " bytes is too large");
        }
        return (int) segment.byteSize();
    }

    /** The sending half, for tests that stop a producer half-way (null without SEND). */
    Producer producer() {
        return producer;
    }

    /** The receiving half, for tests that stop a consumer half-way (null without RECV). */
    Consumer consumer() {
        return consumer;
    }

    /** Messages this subscriber has sent and received. */
    public long sentCount() {
        return producer == null ? 0 : producer.sent();
    }

    public long receivedCount() {
        return consumer == null ? 0 : consumer.received;
    }

    /**
     * Checks now for dead peers and reaps them, instead of waiting until a send finds the ring
     * full or a receive finds itself blocked; returns how many were reaped.
     */
    public int reapDeadPeers() {
        if (closed) {
            throw detached();
        }
        return reaper.reapDeadSubscribers();
    }

    /** Detaches: frees this subscriber's row and unmaps the channel. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        MemorySegment ctl = ch.ctl;
        if (Words.INT.compareAndSet(ctl, row + SubscriberDescriptor.STATE, SubscriberDescriptor.ACTIVE,
                SubscriberDescriptor.LEAVING) && ctl.get(JAVA_INT, row + SubscriberDescriptor.ID) == id) {
            Reaper.free(ch, index);
            // A broadcast receiver that leaves may have been the one holding senders back.
            Doorbells.wakeAll(ch, SubscriberDescriptor.SEND);
        }
        ch.close();
    }

    @Override
    public String toString() {
        return "Subscriber[" + id + " of channel " + ch.id + ", " + access + (closed ? ", detached" : "") + "]";
    }
}
