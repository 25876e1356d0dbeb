package dev.uipc.channel;

import dev.uipc.channel.delivery.DeliveryMode;
import dev.uipc.channel.delivery.Producer;
import dev.uipc.channel.memory.ChannelMemory;
import dev.uipc.uring.Errno;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * One attachment to a channel: a subscriber, as in the io_uring RFC "io_uring: add IPC channel infrastructure". It may send, receive, or both, as its
 * {@link Access} says. Closing it detaches; afterwards every operation throws ENOENT.
 *
 * <p><b>Results.</b> Sends return the bytes sent; receives the bytes copied (fewer than the
 * message's length if the buffer was smaller: see {@link MessageInfo#truncated()}). When
 * nothing moved they return an {@link Outcome}: {@link Outcome#EMPTY}, {@link Outcome#FULL},
 * {@link Outcome#TIMED_OUT} or {@link Outcome#CLOSED}, without allocating or throwing. Misuse
 * (sending without SEND access, a message over the channel's maximum, an unknown target)
 * throws {@link ChannelException}. A receive that returns an {@link Outcome} may still have
 * written into the caller's buffer and {@link MessageInfo}: a message is copied out before it
 * is known to be this receiver's, and another receiver may take it first.
 *
 * <p><b>Waiting.</b> The {@code try} methods never wait. The others wait up to a timeout
 * ({@link Duration#ZERO}: not at all; {@link #FOREVER}: without limit) as the subscriber's
 * {@link WaitStrategy} says: spin briefly, then sleep on a futex word until a peer wakes it. A
 * sender makes a system call only when some receiver sleeps.
 *
 * <p><b>Threads.</b> Not thread-safe: use one subscriber from one thread at a time, and give
 * each sending or receiving thread its own subscriber.
 */
public final class Subscriber implements AutoCloseable {
    /** A timeout that never passes. */
    public static final Duration FOREVER = ChronoUnit.FOREVER.getDuration();

    private final Registry registry;
    private final ChannelMemory memory;
    private final DeliveryMode mode;
    private final int id;
    private final int index;
    private final Access access;
    private final Sending sending;
    private final Receiving receiving;
    private WaitStrategy waitStrategy = WaitStrategy.defaultStrategy();
    private boolean closed;

    /** A subscriber the broker made through {@code registry}: row {@code index} of {@code memory}, which it now owns. */
    Subscriber(Registry registry, ChannelMemory memory, int index, int id, Access access) {
        this.registry = registry;
        this.memory = memory;
        int channelId = memory.id();
        this.mode = DeliveryMode.of(memory, subscriberId -> registry.findRing(channelId, subscriberId));
        this.id = id;
        this.index = index;
        this.access = access;
        this.sending = access.canSend() ? new Sending(mode, new Producer(mode, index, id)) : null;
        this.receiving = access.canReceive() ? Receiving.of(mode.newReceiver(index, id), mode, index) : null;
    }

    // --- what it is ----------------------------------------------------------------------------

    /**
     * This subscriber's id: what a sender names as its target to reach this receiver alone, and
     * what receivers see as {@link MessageInfo#senderId()}. Unique within the channel over time.
     *
     * @return the id
     */
    public int id() {
        return id;
    }

    /**
     * What this subscriber may do, as it attached.
     *
     * @return SEND, RECV or BOTH
     */
    public Access access() {
        return access;
    }

    /**
     * The channel this subscriber is attached to.
     *
     * @return the channel's id
     */
    public int channelId() {
        return memory.id();
    }

    /**
     * The key of the channel this subscriber is attached to.
     *
     * @return the key, or 0 if the channel has none
     */
    public long channelKey() {
        return memory.header().key();
    }

    /**
     * How the channel delivers: whether a message reaches one receiver or all of them.
     *
     * @return unicast, broadcast or multicast
     */
    public Mode mode() {
        return mode.mode();
    }

    /**
     * The largest message the channel carries: a larger send throws EMSGSIZE, and a receive
     * buffer this large never truncates.
     *
     * @return the maximum message size in bytes
     */
    public int maxMessageSize() {
        return memory.geometry().maxMessageSize();
    }

    /**
     * The number of slots in the channel's ring: how many messages may wait before senders
     * find it full.
     *
     * @return the ring's entries
     */
    public int entries() {
        return memory.geometry().entries();
    }

    /**
     * How the blocking calls wait (spin, then sleep, by default).
     *
     * @return the current strategy
     */
    public WaitStrategy waitStrategy() {
        return waitStrategy;
    }

    /**
     * Sets how the blocking calls wait from now on.
     *
     * @param strategy such as {@link WaitStrategy#busySpin()} for the lowest latency
     * @return this subscriber
     */
    public Subscriber waitStrategy(WaitStrategy strategy) {
        this.waitStrategy = Objects.requireNonNull(strategy, "strategy");
        return this;
    }

    /**
     * Whether the channel has been destroyed. Its messages can still be received until a
     * receive returns {@link Outcome#CLOSED}; then detach.
     *
     * @return true once the channel is destroyed
     */
    public boolean channelDestroyed() {
        return memory.control().isDestroyedOpaque();
    }

    // --- sending -------------------------------------------------------------------------------

    /**
     * Sends all of {@code message}, untagged and to any receiver, if there is room now; see
     * {@link #trySend(MemorySegment, long, int, long, int)}.
     *
     * @param message the bytes to send
     * @return its length, {@link Outcome#FULL} (retry later, or send with a timeout) or
     *         {@link Outcome#CLOSED} (the channel was destroyed)
     */
    public int trySend(byte[] message) {
        return trySend(message, 0, message.length, 0, 0);
    }

    /**
     * Sends all of {@code message} if there is room now, as {@link #trySend(byte[])} does.
     *
     * @param message the bytes to send
     * @return its length, {@link Outcome#FULL} or {@link Outcome#CLOSED}
     */
    public int trySend(MemorySegment message) {
        return trySend(message, 0, lengthOf(message), 0, 0);
    }

    /**
     * Sends the bytes between {@code message}'s position and limit if there is room now, and
     * then advances its position past them. A direct buffer is sent without an extra copy.
     *
     * @param message the bytes to send, from its position to its limit
     * @return the bytes sent, {@link Outcome#FULL} or {@link Outcome#CLOSED}
     */
    public int trySend(ByteBuffer message) {
        return send(message, Duration.ZERO);
    }

    /**
     * Sends {@code length} bytes of {@code message} from {@code offset}, if there is room now.
     *
     * @param message the bytes
     * @param offset  where the message begins in {@code message}
     * @param length  how many bytes to send, at most {@link #maxMessageSize()}
     * @param tag    a 64-bit value the receiver gets with the message
     * @param target the subscriber id that alone may receive it, or 0 for any receiver
     *               (unicast and multicast only)
     * @return {@code length}, {@link Outcome#FULL} or {@link Outcome#CLOSED}
     * @throws ChannelException EACCES without SEND access, EMSGSIZE over the maximum size,
     *                          ENOENT for a target that is not an attached receiver, EINVAL for a
     *                          target on a broadcast channel, ENOENT after detach
     */
    public int trySend(MemorySegment message, long offset, int length, long tag, int target) {
        checkRange(message, offset, length);
        return sendChecked(message, null, offset, length, tag, target, 0);
    }

    /**
     * {@link #trySend(MemorySegment, long, int, long, int)} from a byte array.
     *
     * @param message the bytes
     * @param offset  where the message begins in {@code message}
     * @param length  how many bytes to send, at most {@link #maxMessageSize()}
     * @param tag     a 64-bit value the receiver gets with the message
     * @param target  the subscriber id that alone may receive it, or 0 for any receiver
     * @return {@code length}, {@link Outcome#FULL} or {@link Outcome#CLOSED}
     */
    public int trySend(byte[] message, int offset, int length, long tag, int target) {
        Objects.checkFromIndexSize(offset, length, message.length);
        return sendChecked(null, message, offset, length, tag, target, 0);
    }

    /**
     * Sends all of {@code message}, untagged and to any receiver, waiting up to
     * {@code timeout} for room.
     *
     * @param message the bytes to send
     * @param timeout how long to wait for room: {@link Duration#ZERO} not at all,
     *                {@link #FOREVER} without limit
     * @return its length, {@link Outcome#TIMED_OUT} or {@link Outcome#CLOSED}
     */
    public int send(byte[] message, Duration timeout) {
        return send(message, 0, message.length, 0, 0, timeout);
    }

    /**
     * Sends all of {@code message}, waiting up to {@code timeout} for room, as
     * {@link #send(byte[], Duration)} does.
     *
     * @param message the bytes to send
     * @param timeout how long to wait for room
     * @return its length, {@link Outcome#TIMED_OUT} or {@link Outcome#CLOSED}
     */
    public int send(MemorySegment message, Duration timeout) {
        return send(message, 0, lengthOf(message), 0, 0, timeout);
    }

    /**
     * Sends, waiting up to {@code timeout} for room.
     *
     * @param message the bytes
     * @param offset  where the message begins in {@code message}
     * @param length  how many bytes to send, at most {@link #maxMessageSize()}
     * @param tag     a 64-bit value the receiver gets with the message
     * @param target  the subscriber id that alone may receive it, or 0 for any receiver
     * @param timeout how long to wait for room: {@link Duration#ZERO} not at all,
     *                {@link #FOREVER} without limit
     * @return {@code length}, {@link Outcome#TIMED_OUT} or {@link Outcome#CLOSED}
     * @throws ChannelException as {@link #trySend(MemorySegment, long, int, long, int)} does
     */
    public int send(MemorySegment message, long offset, int length, long tag, int target, Duration timeout) {
        checkRange(message, offset, length);
        return sendChecked(message, null, offset, length, tag, target, nanos(timeout));
    }

    /**
     * {@link #send(MemorySegment, long, int, long, int, Duration)} from a byte array.
     *
     * @param message the bytes
     * @param offset  where the message begins in {@code message}
     * @param length  how many bytes to send
     * @param tag     a 64-bit value the receiver gets with the message
     * @param target  the subscriber id that alone may receive it, or 0 for any receiver
     * @param timeout how long to wait for room
     * @return {@code length}, {@link Outcome#TIMED_OUT} or {@link Outcome#CLOSED}
     */
    public int send(byte[] message, int offset, int length, long tag, int target, Duration timeout) {
        Objects.checkFromIndexSize(offset, length, message.length);
        return sendChecked(null, message, offset, length, tag, target, nanos(timeout));
    }

    /**
     * Sends a buffer's remaining bytes, waiting up to {@code timeout} for room; advances its
     * position past them if they were sent.
     *
     * @param message the bytes to send, from its position to its limit
     * @param timeout how long to wait for room
     * @return the bytes sent, {@link Outcome#TIMED_OUT} or {@link Outcome#CLOSED}
     */
    public int send(ByteBuffer message, Duration timeout) {
        long nanos = nanos(timeout);
        int length = message.remaining();
        int r;
        if (message.hasArray()) {
            r = sendChecked(null, message.array(), message.arrayOffset() + message.position(), length, 0, 0, nanos);
        } else {
            checkSend(length, 0);
            checkNoClaim();
            r = sending.send(message, message.position(), length, nanos, waitStrategy);
        }
        if (r >= 0) {
            message.position(message.position() + r);
        }
        return r;
    }

    private int sendChecked(MemorySegment segment, byte[] array, long offset, int length, long tag, int target,
                            long timeoutNanos) {
        checkSend(length, target);
        checkNoClaim();
        return sending.send(segment, array, offset, length, tag, target, timeoutNanos, waitStrategy);
    }

    private void checkNoClaim() {
        if (sending.holdsClaim()) {
            throw new IllegalStateException("subscriber " + id + " holds an open claim; commit or abort it first");
        }
    }

    // --- zero-copy sending -----------------------------------------------------------------------

    /**
     * Claims room for a message of {@code length} bytes, to be written in place: write it into
     * {@link #claimedBuffer()}, then {@link #commit()} — or {@link #abort()} to give it up.
     * Until then no receiver sees it, and receivers behind it wait, so finish promptly. Closing
     * the subscriber aborts an open claim.
     *
     * @param length how many bytes the message will have, at most {@link #maxMessageSize()}
     * @param tag    a 64-bit value the receiver gets with the message
     * @param target the subscriber id that alone may receive it, or 0 for any receiver
     * @return {@code length}, {@link Outcome#FULL} or {@link Outcome#CLOSED}
     * @throws IllegalStateException if a claim is still open
     */
    public int tryClaim(int length, long tag, int target) {
        checkSend(length, target);
        if (sending.holdsClaim()) {
            throw new IllegalStateException("subscriber " + id + " already holds a claim; commit or abort it first");
        }
        return sending.tryClaim(length, tag, target);
    }

    /**
     * The claimed slot, writable: the message goes in its first bytes (the view may be longer
     * than the claimed length). Valid until {@link #commit()} or {@link #abort()}.
     *
     * @return the slot to write the message into
     * @throws IllegalStateException if no claim is open
     */
    public MemorySegment claimedBuffer() {
        checkClaim("write into");
        return sending.claimedBuffer();
    }

    /**
     * Publishes the claimed message with the length it was claimed with: receivers see it now.
     *
     * @throws IllegalStateException if no claim is open
     */
    public void commit() {
        checkClaim("commit");
        sending.commit(sending.claimedLength());
    }

    /**
     * Publishes the claimed message with {@code length} bytes, when fewer were written than
     * claimed.
     *
     * @param length the message's length, at most the length claimed
     * @throws IllegalStateException if no claim is open
     */
    public void commit(int length) {
        checkClaim("commit");
        if (length < 0 || length > sending.claimedLength()) {
            throw new IllegalArgumentException("cannot commit " + length + " bytes of a " + sending.claimedLength()
                    + "-byte claim; commit 0 to " + sending.claimedLength() + " bytes");
        }
        sending.commit(length);
    }

    /**
     * Gives up the claimed message: its slot becomes a skipped message that receivers pass
     * over, as Agrona's {@code abort} does, and no receiver waits behind it.
     *
     * @throws IllegalStateException if no claim is open
     */
    public void abort() {
        checkClaim("abort");
        sending.abort();
    }

    private void checkClaim(String what) {
        checkOpen();
        if (sending == null || !sending.holdsClaim()) {
            throw new IllegalStateException("subscriber " + id + " holds no claim to " + what + "; call tryClaim first");
        }
    }

    // --- receiving -----------------------------------------------------------------------------

    /**
     * Receives the next message for this subscriber into {@code buffer}, if one is there now.
     *
     * @param buffer where the message goes; a message longer than it is truncated
     * @param info   filled with the message's length, id, tag and sender
     * @return the bytes copied, {@link Outcome#EMPTY} (try again, or wait) or
     *         {@link Outcome#CLOSED} (the channel was destroyed and drained: detach)
     * @throws ChannelException EACCES without RECV access, ENOENT after detach
     */
    public int tryReceive(byte[] buffer, MessageInfo info) {
        return receive(buffer, 0, buffer.length, info, Duration.ZERO);
    }

    /**
     * Receives into {@code capacity} bytes of {@code buffer} from {@code offset}, if a message
     * is there now.
     *
     * @param buffer   where the message goes
     * @param offset   where in {@code buffer} it begins
     * @param capacity how many bytes it may take; a longer message is truncated
     * @param info     filled with the message's length, id, tag and sender
     * @return the bytes copied, {@link Outcome#EMPTY} or {@link Outcome#CLOSED}
     */
    public int tryReceive(byte[] buffer, int offset, int capacity, MessageInfo info) {
        return receive(buffer, offset, capacity, info, Duration.ZERO);
    }

    /**
     * Receives into {@code capacity} bytes of {@code buffer} from {@code offset}, if a message
     * is there now.
     *
     * @param buffer   where the message goes, writable
     * @param offset   where in {@code buffer} it begins
     * @param capacity how many bytes it may take; a longer message is truncated
     * @param info     filled with the message's length, id, tag and sender
     * @return the bytes copied, {@link Outcome#EMPTY} or {@link Outcome#CLOSED}
     */
    public int tryReceive(MemorySegment buffer, long offset, int capacity, MessageInfo info) {
        return receive(buffer, offset, capacity, info, Duration.ZERO);
    }

    /**
     * Receives into the space between the buffer's position and limit, if a message is there
     * now, and advances its position past the bytes copied.
     *
     * @param buffer where the message goes, writable
     * @param info   filled with the message's length, id, tag and sender
     * @return the bytes copied, {@link Outcome#EMPTY} or {@link Outcome#CLOSED}
     */
    public int tryReceive(ByteBuffer buffer, MessageInfo info) {
        return receive(buffer, info, Duration.ZERO);
    }

    /**
     * Receives the next message without copying it: {@code handler} reads it where it lies in
     * the ring, and the slot is released when the handler returns (or throws).
     *
     * @param handler reads the message in place
     * @param info    the message's length, id, tag and sender, as the handler sees them
     * @return the message's length, {@link Outcome#EMPTY} or {@link Outcome#CLOSED}
     */
    public int tryReceive(MessageHandler handler, MessageInfo info) {
        return receive(handler, info, Duration.ZERO);
    }

    /**
     * Receives, waiting up to {@code timeout} for a message.
     *
     * @param buffer  where the message goes; a message longer than it is truncated
     * @param info    filled with the message's length, id, tag and sender
     * @param timeout how long to wait: {@link Duration#ZERO} not at all, {@link #FOREVER}
     *                without limit
     * @return the bytes copied, {@link Outcome#TIMED_OUT} or {@link Outcome#CLOSED}
     */
    public int receive(byte[] buffer, MessageInfo info, Duration timeout) {
        return receive(buffer, 0, buffer.length, info, timeout);
    }

    /**
     * {@link #receive(byte[], MessageInfo, Duration)} into {@code capacity} bytes from
     * {@code offset}.
     *
     * @param buffer   where the message goes
     * @param offset   where in {@code buffer} it begins
     * @param capacity how many bytes it may take; a longer message is truncated
     * @param info     filled with the message's length, id, tag and sender
     * @param timeout  how long to wait
     * @return the bytes copied, {@link Outcome#TIMED_OUT} or {@link Outcome#CLOSED}
     */
    public int receive(byte[] buffer, int offset, int capacity, MessageInfo info, Duration timeout) {
        checkReceive(info);
        Objects.checkFromIndexSize(offset, capacity, buffer.length);
        return receiving.receive(buffer, offset, capacity, info, nanos(timeout), waitStrategy);
    }

    /**
     * {@link #receive(byte[], MessageInfo, Duration)} into a memory segment.
     *
     * @param buffer   where the message goes, writable
     * @param offset   where in {@code buffer} it begins
     * @param capacity how many bytes it may take; a longer message is truncated
     * @param info     filled with the message's length, id, tag and sender
     * @param timeout  how long to wait
     * @return the bytes copied, {@link Outcome#TIMED_OUT} or {@link Outcome#CLOSED}
     */
    public int receive(MemorySegment buffer, long offset, int capacity, MessageInfo info, Duration timeout) {
        checkReceive(info);
        checkRange(buffer, offset, capacity);
        if (buffer.isReadOnly()) {
            throw new IllegalArgumentException("cannot receive into a read-only segment");
        }
        return receiving.receive(buffer, offset, capacity, info, nanos(timeout), waitStrategy);
    }

    /**
     * {@link #receive(byte[], MessageInfo, Duration)} into a buffer's remaining space; advances
     * its position past the bytes copied.
     *
     * @param buffer  where the message goes, writable
     * @param info    filled with the message's length, id, tag and sender
     * @param timeout how long to wait
     * @return the bytes copied, {@link Outcome#TIMED_OUT} or {@link Outcome#CLOSED}
     */
    public int receive(ByteBuffer buffer, MessageInfo info, Duration timeout) {
        if (buffer.isReadOnly()) {
            throw new IllegalArgumentException("cannot receive into a read-only buffer");
        }
        int r;
        if (buffer.hasArray()) {
            r = receive(buffer.array(), buffer.arrayOffset() + buffer.position(), buffer.remaining(), info, timeout);
        } else {
            checkReceive(info);
            r = receiving.receive(buffer, buffer.position(), buffer.remaining(), info, nanos(timeout), waitStrategy);
        }
        if (r >= 0) {
            buffer.position(buffer.position() + r);
        }
        return r;
    }

    /**
     * {@link #tryReceive(MessageHandler, MessageInfo)}, waiting up to {@code timeout} for a
     * message.
     *
     * @param handler reads the message in place
     * @param info    the message's length, id, tag and sender, as the handler sees them
     * @param timeout how long to wait
     * @return the message's length, {@link Outcome#TIMED_OUT} or {@link Outcome#CLOSED}
     */
    public int receive(MessageHandler handler, MessageInfo info, Duration timeout) {
        checkReceive(info);
        Objects.requireNonNull(handler, "handler");
        return receiving.receive(handler, info, nanos(timeout), waitStrategy);
    }

    /**
     * Hands up to {@code limit} messages that are there now to {@code handler}, each in place,
     * without waiting, as Agrona's and Aeron's {@code poll} do: a loop that serves several
     * channels calls it on each in turn.
     *
     * @param handler reads each message in place
     * @param info    describes each message in turn, as the handler sees it
     * @param limit   the most messages to hand over, 0 or more
     * @return how many messages the handler saw: 0 if none was there (once
     *         {@link #channelDestroyed()} is true too, none will come)
     */
    public int poll(MessageHandler handler, MessageInfo info, int limit) {
        checkReceive(info);
        Objects.requireNonNull(handler, "handler");
        if (limit < 0) {
            throw new IllegalArgumentException("the limit must not be negative: " + limit);
        }
        return receiving.poll(handler, info, limit);
    }

    // --- checks --------------------------------------------------------------------------------

    boolean isClosed() {
        return closed;
    }

    private void checkOpen() {
        if (closed) {
            throw new ChannelException(Errno.ENOENT, "subscriber " + id + " of channel " + memory.id()
                    + " is detached; attach again");
        }
    }

    private void checkSend(int length, int target) {
        checkOpen();
        if (sending == null) {
            throw new ChannelException(Errno.EACCES, "subscriber " + id + " of channel " + memory.id()
                    + " was attached to receive only; attach with SEND (or BOTH) to send");
        }
        int max = memory.geometry().maxMessageSize();
        if (length < 0 || length > max) {
            throw new ChannelException(Errno.EMSGSIZE, "a message of " + length + " bytes is over channel "
                    + memory.id() + "'s maximum of " + max + " bytes; split it, or create the channel with a larger "
                    + "maximum");
        }
        if (target != 0) {
            mode.checkTarget(target);
        }
    }

    private void checkReceive(MessageInfo info) {
        checkOpen();
        if (receiving == null) {
            throw new ChannelException(Errno.EACCES, "subscriber " + id + " of channel " + memory.id()
                    + " was attached to send only; attach with RECV (or BOTH) to receive");
        }
        Objects.requireNonNull(info, "info");
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

    /** A timeout in nanoseconds, saturated: {@link #FOREVER} and anything longer than ~292 years is no limit. */
    static long nanos(Duration timeout) {
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("a timeout must not be negative: " + timeout
                    + "; use Duration.ZERO not to wait, Subscriber.FOREVER to wait without limit");
        }
        return timeout.getSeconds() >= Long.MAX_VALUE / 1_000_000_000L ? Long.MAX_VALUE : timeout.toNanos();
    }

    // --- observing and leaving -----------------------------------------------------------------

    /**
     * Messages this subscriber has sent, as {@code uipc stat} shows them.
     *
     * @return the count, 0 for a receive-only subscriber
     */
    public long sentCount() {
        return sending == null ? 0 : sending.sent();
    }

    /**
     * Messages this subscriber has received.
     *
     * @return the count, 0 for a send-only subscriber
     */
    public long receivedCount() {
        return receiving == null ? 0 : receiving.received();
    }

    /**
     * Detaches: aborts an open claim, then asks the broker to free this subscriber's row
     * (handing back what it held), and unmaps the channel. Idempotent.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (sending != null && sending.holdsClaim()) {
                sending.abort();
            }
            registry.detached(this);
        } finally {
            mode.doorbells().close();
            memory.close();
        }
    }

    /**
     * Tells the broker that this subscriber's completion loop can be reached through the io_uring
     * with descriptor {@code ringFd} in this process, posting {@code token}; -1 withdraws it.
     */
    void publishRing(int ringFd, long token) {
        checkOpen();
        registry.publishRing(this, ringFd, token);
    }

    /** The parts, for tests that stop a subscriber half-way through a protocol step. */
    Sending sending() {
        return sending;
    }

    Receiving receiving() {
        return receiving;
    }

    DeliveryMode delivery() {
        return mode;
    }

    /** This subscriber's doorbell, for a completion loop that waits on it. */
    dev.uipc.channel.waiting.Parking parking() {
        checkOpen();
        return new dev.uipc.channel.waiting.Parking(memory, index);
    }

    int index() {
        return index;
    }

    @Override
    public String toString() {
        return "Subscriber[" + id + " of channel " + memory.id() + ", " + access + (closed ? ", detached" : "") + "]";
    }
}
