package dev.uipc.channel;

import dev.uipc.channel.delivery.Receiver;
import dev.uipc.channel.memory.ControlHeader;
import dev.uipc.channel.memory.MessageSlots;
import dev.uipc.channel.waiting.Attempt;
import dev.uipc.channel.waiting.Doorbells;
import dev.uipc.channel.waiting.Waiter;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/**
 * A subscriber's receiving, along two paths. In place: take the next message, describe it, hand
 * its slot to a {@link MessageHandler}, release the slot. Copying out (into an array, a segment
 * or a buffer): find the next message without taking it, describe it, copy it, and finish it
 * with one compare-and-set that says whether the copy stands (another receiver may have taken
 * it first, and the search goes on). The handler, buffer and holder of the receive in progress
 * are held in fields, so that waiting allocates nothing.
 */
final class Receiving implements Attempt {
    private final Receiver receiver;
    private final MessageSlots slots;
    private final Waiter waiter;
    private final Doorbells doorbells;
    private final ControlHeader control;
    private final int index;
    private final MemorySegment ring;
    private final MemorySegment[] readViews;
    /** One ByteBuffer view per slot, made on the first receive into a direct ByteBuffer. */
    private ByteBuffer[] bufferViews;

    // The receive in progress: a handler (in place), or exactly one of array, segment and buffer.
    private MessageHandler handler;
    private byte[] array;
    private MemorySegment segment;
    private ByteBuffer buffer;
    private long offset;
    private MessageInfo info;
    private int capacity;

    private Receiving(Receiver receiver, MessageSlots slots, ControlHeader control, Waiter waiter, Doorbells doorbells,
                      int index) {
        this.receiver = receiver;
        this.control = control;
        this.slots = slots;
        this.waiter = waiter;
        this.doorbells = doorbells;
        this.index = index;
        this.ring = slots.ring();
        this.readViews = slots.payloadViews(true);
    }

    static Receiving of(Receiver receiver, dev.uipc.channel.delivery.DeliveryMode mode, int index) {
        return new Receiving(receiver, mode.memory().slots(), mode.memory().control(),
                new Waiter(mode.memory(), index, ControlHeader.Waiters.RECEIVERS, Outcome.EMPTY), mode.doorbells(), index);
    }

    /** Receives in place: {@code handler} sees the slot; returns the message's length or an {@link Outcome}. */
    int receive(MessageHandler handler, MessageInfo info, long timeoutNanos, WaitStrategy strategy) {
        this.handler = handler;
        try {
            return receive(Integer.MAX_VALUE, info, timeoutNanos, strategy);
        } finally {
            this.handler = null;
        }
    }

    /** Receives into {@code array}; returns the bytes copied or an {@link Outcome}. */
    int receive(byte[] array, int offset, int capacity, MessageInfo info, long timeoutNanos, WaitStrategy strategy) {
        this.array = array;
        this.offset = offset;
        try {
            return receive(capacity, info, timeoutNanos, strategy);
        } finally {
            this.array = null;
        }
    }

    /** Receives into {@code segment}; returns the bytes copied or an {@link Outcome}. */
    int receive(MemorySegment segment, long offset, int capacity, MessageInfo info, long timeoutNanos,
                WaitStrategy strategy) {
        this.segment = segment;
        this.offset = offset;
        try {
            return receive(capacity, info, timeoutNanos, strategy);
        } finally {
            this.segment = null;
        }
    }

    /**
     * Receives into a direct buffer from {@code offset} (its position untouched), through cached
     * views of the slots, so that no segment is made per message.
     */
    int receive(ByteBuffer buffer, int offset, int capacity, MessageInfo info, long timeoutNanos,
                WaitStrategy strategy) {
        if (bufferViews == null) {
            bufferViews = new ByteBuffer[readViews.length];
            for (int slot = 0; slot < readViews.length; slot++) {
                bufferViews[slot] = readViews[slot].asByteBuffer();
            }
        }
        this.buffer = buffer;
        this.offset = offset;
        try {
            return receive(capacity, info, timeoutNanos, strategy);
        } finally {
            this.buffer = null;
        }
    }

    private int receive(int capacity, MessageInfo info, long timeoutNanos, WaitStrategy strategy) {
        this.info = info;
        this.capacity = capacity;
        try {
            return waiter.await(this, timeoutNanos, strategy);
        } finally {
            this.info = null;
        }
    }

    /**
     * Up to {@code limit} messages that are there now, each handed to {@code handler} in place;
     * returns how many.
     */
    int poll(MessageHandler handler, MessageInfo info, int limit) {
        this.handler = handler;
        this.info = info;
        this.capacity = Integer.MAX_VALUE;
        try {
            int n = 0;
            while (n < limit && attempt() >= 0) {
                n++;
            }
            return n;
        } finally {
            this.handler = null;
            this.info = null;
        }
    }

    /** One attempt: in place if a handler is set, else copying out. */
    @Override
    public int attempt() {
        return handler != null ? attemptInPlace() : attemptCopy();
    }

    /** Take, describe, hand over, release. */
    private int attemptInPlace() {
        for (;;) {
            long p = receiver.take();
            if (p < 0) {
                return (int) p;
            }
            int length = slots.validLength(p);
            if (length < 0) {
                receiver.discard(p);             // a length no producer writes: tampered memory
                continue;
            }
            describe(p, length, length);
            boolean trusted;
            try {
                handler.onMessage(readViews[(int) p & (readViews.length - 1)], info);
            } finally {
                trusted = receiver.release(p);   // released even if the handler throws
            }
            if (trusted) {
                return length;
            }
        }
    }

    /**
     * Find, describe, copy, finish. The copy is made before the message is ours and stands only
     * if finishing it succeeds; otherwise the search goes on, and what was written into the
     * caller's buffer and holder is overwritten or void.
     */
    private int attemptCopy() {
        for (;;) {
            long p = receiver.find();
            if (p < 0) {
                return (int) p;
            }
            int length = slots.validLength(p);
            if (length < 0) {
                receiver.discardFound(p);        // a length no producer writes: tampered memory
                continue;
            }
            int copied = Math.min(length, capacity);
            describe(p, length, copied);
            if (array != null) {
                MemorySegment.copy(ring, JAVA_BYTE, slots.payloadOffset(p), array, (int) offset, copied);
            } else if (segment != null) {
                MemorySegment.copy(ring, slots.payloadOffset(p), segment, offset, copied);
            } else {
                buffer.put((int) offset, bufferViews[(int) p & (bufferViews.length - 1)], 0, copied);
            }
            if (receiver.finishCopied(p)) {
                return copied;
            }
        }
    }

    private void describe(long p, int length, int copied) {
        long sender = slots.senderIdAndTarget(p);
        long process = slots.senderPidAndUid(p);
        info.set(p, length, copied, slots.tag(p), (int) sender, (int) process, (int) (process >>> 32),
                (int) (sender >>> 32), receiver.heldRedelivered());
    }

    @Override
    public boolean peerIsWriting() {
        return receiver.sawWriting();
    }

    @Override
    public void passOnWake() {
        if (control.anyWaitingFullFence(ControlHeader.Waiters.RECEIVERS)) {
            doorbells.wakeOneReceiver(index + 1);
        }
    }

    long received() {
        return receiver.received();
    }
}
