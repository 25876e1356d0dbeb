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
 * A subscriber's receiving, along one path: take the next message, describe it, hand its slot
 * to a {@link MessageHandler} in place, release the slot. A copying receive is that path with
 * an internal handler that copies the slot into the caller's buffer. The handler, buffer and
 * holder of the receive in progress are held in fields, so that waiting allocates nothing.
 */
final class Receiving implements Attempt {
    private final Receiver receiver;
    private final MessageSlots slots;
    private final Waiter waiter;
    private final Doorbells doorbells;
    private final ControlHeader control;
    private final int index;
    private final MemorySegment[] readViews;

    // The receive in progress.
    private MessageHandler handler;
    private MessageInfo info;
    private int capacity;

    private final ArrayCopy arrayCopy = new ArrayCopy();
    private final SegmentCopy segmentCopy = new SegmentCopy();
    private BufferCopy bufferCopy;

    private Receiving(Receiver receiver, MessageSlots slots, ControlHeader control, Waiter waiter, Doorbells doorbells,
                      int index) {
        this.receiver = receiver;
        this.control = control;
        this.slots = slots;
        this.waiter = waiter;
        this.doorbells = doorbells;
        this.index = index;
        this.readViews = slots.payloadViews(true);
    }

    static Receiving of(Receiver receiver, dev.uipc.channel.delivery.DeliveryMode mode, int index) {
        return new Receiving(receiver, mode.memory().slots(), mode.memory().control(),
                new Waiter(mode.memory(), index, ControlHeader.Waiters.RECEIVERS, Outcome.EMPTY), mode.doorbells(), index);
    }

    /** Receives in place: {@code handler} sees the slot; returns the message's length or an {@link Outcome}. */
    int receive(MessageHandler handler, MessageInfo info, long timeoutNanos, WaitStrategy strategy) {
        return receive(handler, Integer.MAX_VALUE, info, timeoutNanos, strategy);
    }

    /** Receives into {@code array}; returns the bytes copied or an {@link Outcome}. */
    int receive(byte[] array, int offset, int capacity, MessageInfo info, long timeoutNanos, WaitStrategy strategy) {
        arrayCopy.array = array;
        arrayCopy.offset = offset;
        try {
            return receive(arrayCopy, capacity, info, timeoutNanos, strategy);
        } finally {
            arrayCopy.array = null;
        }
    }

    /** Receives into {@code segment}; returns the bytes copied or an {@link Outcome}. */
    int receive(MemorySegment segment, long offset, int capacity, MessageInfo info, long timeoutNanos,
                WaitStrategy strategy) {
        segmentCopy.segment = segment;
        segmentCopy.offset = offset;
        try {
            return receive(segmentCopy, capacity, info, timeoutNanos, strategy);
        } finally {
            segmentCopy.segment = null;
        }
    }

    /**
     * Receives into a direct buffer from {@code offset} (its position untouched), through cached
     * views of the slots, so that no segment is made per message.
     */
    int receive(ByteBuffer buffer, int offset, int capacity, MessageInfo info, long timeoutNanos,
                WaitStrategy strategy) {
        if (bufferCopy == null) {
            bufferCopy = new BufferCopy(readViews);
        }
        bufferCopy.buffer = buffer;
        bufferCopy.offset = offset;
        try {
            return receive(bufferCopy, capacity, info, timeoutNanos, strategy);
        } finally {
            bufferCopy.buffer = null;
        }
    }

    private int receive(MessageHandler handler, int capacity, MessageInfo info, long timeoutNanos,
                        WaitStrategy strategy) {
        this.handler = handler;
        this.info = info;
        this.capacity = capacity;
        try {
            return waiter.await(this, timeoutNanos, strategy);
        } finally {
            this.handler = null;
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

    /** One attempt: take, describe, hand over, release. */
    @Override
    public int attempt() {
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
            int copied = Math.min(length, capacity);
            info.set(p, length, copied, slots.tag(p), slots.senderId(p), slots.senderPid(p), slots.senderUid(p),
                    slots.target(p), receiver.heldRedelivered());
            boolean trusted;
            try {
                handler.onMessage(readViews[(int) p & (readViews.length - 1)], info);
            } finally {
                trusted = receiver.release(p);   // released even if the handler throws
            }
            if (trusted) {
                return copied;
            }
        }
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

    /** Copies a slot into a byte array. */
    private static final class ArrayCopy implements MessageHandler {
        byte[] array;
        int offset;

        @Override
        public void onMessage(MemorySegment slot, MessageInfo info) {
            MemorySegment.copy(slot, JAVA_BYTE, 0, array, offset, info.copied());
        }
    }

    /** Copies a slot into a memory segment. */
    private static final class SegmentCopy implements MessageHandler {
        MemorySegment segment;
        long offset;

        @Override
        public void onMessage(MemorySegment slot, MessageInfo info) {
            MemorySegment.copy(slot, 0, segment, offset, info.copied());
        }
    }

    /** Copies a slot into a (direct) ByteBuffer through the slot's own ByteBuffer view. */
    private static final class BufferCopy implements MessageHandler {
        private final ByteBuffer[] slots;
        ByteBuffer buffer;
        int offset;

        BufferCopy(MemorySegment[] views) {
            slots = new ByteBuffer[views.length];
            for (int slot = 0; slot < views.length; slot++) {
                slots[slot] = views[slot].asByteBuffer();
            }
        }

        @Override
        public void onMessage(MemorySegment slot, MessageInfo info) {
            buffer.put(offset, slots[(int) info.messageId() & (slots.length - 1)], 0, info.copied());
        }
    }
}
