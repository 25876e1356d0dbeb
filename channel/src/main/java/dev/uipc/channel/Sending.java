package dev.uipc.channel;

import dev.uipc.channel.delivery.DeliveryMode;
import dev.uipc.channel.delivery.Producer;
import dev.uipc.channel.memory.ControlHeader;
import dev.uipc.channel.memory.MessageSlots;
import dev.uipc.channel.waiting.Attempt;
import dev.uipc.channel.waiting.Waiter;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/**
 * A subscriber's sending: one attempt (claim, copy, commit), the wait for room around it, and
 * the zero-copy claim a caller writes in place ({@link #tryClaim}, then {@link #commit} or
 * {@link #abort}). The message of the send in progress is held in fields, so that waiting
 * allocates nothing.
 */
final class Sending implements Attempt {
    private final DeliveryMode mode;
    private final Producer producer;
    private final MessageSlots slots;
    private final Waiter waiter;

    // The message being sent: exactly one of segment, array and buffer is set.
    private MemorySegment segment;
    private byte[] array;
    private ByteBuffer buffer;
    private long offset;
    private int length;
    private long tag;
    private int target;

    /** The position claimed by {@link #tryClaim} and not yet committed or aborted, or -1. */
    private long claimed = -1;
    private int claimedLength;
    /** One writable view per slot, made on first zero-copy use. */
    private MemorySegment[] writeViews;
    /** One ByteBuffer view per slot, made on the first send from a direct ByteBuffer. */
    private ByteBuffer[] bufferViews;

    Sending(DeliveryMode mode, Producer producer) {
        this.mode = mode;
        this.producer = producer;
        this.slots = mode.memory().slots();
        this.waiter = new Waiter(mode.memory(), producer.index(), ControlHeader.Waiters.SENDERS, Outcome.FULL);
    }

    /**
     * Sends, waiting up to {@code timeoutNanos} for room (0: not at all; {@code Long.MAX_VALUE}:
     * without limit). Exactly one of {@code segment} and {@code array} is set; arguments are
     * already checked.
     */
    int send(MemorySegment segment, byte[] array, long offset, int length, long tag, int target, long timeoutNanos,
             WaitStrategy strategy) {
        this.segment = segment;
        this.array = array;
        return send(offset, length, tag, target, timeoutNanos, strategy);
    }

    /**
     * Sends {@code length} bytes of a direct buffer from {@code offset} (its position untouched),
     * through a cached view of the slot, so that no segment is made per message.
     */
    int send(ByteBuffer buffer, int offset, int length, long timeoutNanos, WaitStrategy strategy) {
        if (bufferViews == null) {
            bufferViews = slotBuffers();
        }
        this.buffer = buffer;
        return send(offset, length, 0, 0, timeoutNanos, strategy);
    }

    private int send(long offset, int length, long tag, int target, long timeoutNanos, WaitStrategy strategy) {
        this.offset = offset;
        this.length = length;
        this.tag = tag;
        this.target = target;
        try {
            return waiter.await(this, timeoutNanos, strategy);
        } finally {
            this.segment = null;
            this.array = null;
            this.buffer = null;
        }
    }

    private ByteBuffer[] slotBuffers() {
        MemorySegment[] views = slots.payloadViews(false);
        ByteBuffer[] buffers = new ByteBuffer[views.length];
        for (int slot = 0; slot < views.length; slot++) {
            buffers[slot] = views[slot].asByteBuffer();
        }
        return buffers;
    }

    /** One attempt: claim, copy, commit. */
    @Override
    public int attempt() {
        if (mode.memory().control().isDestroyedOpaque()) {
            return Outcome.CLOSED;
        }
        long p = producer.tryClaim(length, tag, target);
        if (p < 0) {
            return Outcome.FULL;
        }
        if (array != null) {
            MemorySegment.copy(array, (int) offset, slots.ring(), JAVA_BYTE, slots.payloadOffset(p), length);
        } else if (segment != null) {
            MemorySegment.copy(segment, offset, slots.ring(), slots.payloadOffset(p), length);
        } else {
            bufferViews[(int) p & (bufferViews.length - 1)].put(0, buffer, (int) offset, length);
        }
        producer.commit(p);
        return length;
    }

    // --- zero-copy ---------------------------------------------------------------------------

    boolean holdsClaim() {
        return claimed >= 0;
    }

    int tryClaim(int length, long tag, int target) {
        if (mode.memory().control().isDestroyedOpaque()) {
            return Outcome.CLOSED;
        }
        long p = producer.tryClaim(length, tag, target);
        if (p < 0) {
            return Outcome.FULL;
        }
        claimed = p;
        claimedLength = length;
        return length;
    }

    MemorySegment claimedBuffer() {
        if (writeViews == null) {
            writeViews = slots.payloadViews(false);
        }
        return writeViews[(int) claimed & (writeViews.length - 1)];
    }

    int claimedLength() {
        return claimedLength;
    }

    void commit(int length) {
        if (length != claimedLength) {
            slots.setLength(claimed, length);
        }
        long p = claimed;
        claimed = -1;
        producer.commit(p);
    }

    void abort() {
        long p = claimed;
        claimed = -1;
        producer.abort(p);
    }

    long sent() {
        return producer.sent();
    }

    /** Whether a send now would find room (and the channel is not destroyed, which a send reports at once). */
    boolean hasRoom() {
        return mode.memory().control().isDestroyedOpaque() || producer.hasRoom();
    }
}
