package dev.uipc.channel.memory;

import dev.uipc.channel.ChannelException;
import dev.uipc.channel.layout.ChannelGeometry;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * One channel's shared memory, mapped and validated: its ring (descriptors and payloads) and its
 * control memory (state, subscriber table, delivery words), and the flyweights through which
 * every protocol step reads and writes them. Built only by {@link ChannelFormat#validate}, so
 * that nothing reads a word of a channel before its header has been checked against the
 * specification and against the real sizes of the mappings.
 *
 * <p>A receive-only subscriber maps the ring read-only: the kernel, not this class, keeps it
 * from writing messages.
 */
public final class ChannelMemory implements AutoCloseable {
    private final ChannelHeader header;
    private final Arena arena;
    private final boolean ringWritable;
    private final RingHeader ringHeader;
    private final ControlHeader control;
    private final MessageSlots slots;
    private final SubscriberTable subscribers;
    private final DeliveryWords deliveryWords;
    private final MemorySegment controlSegment;
    private boolean closed;

    ChannelMemory(ChannelHeader header, MemorySegment ring, MemorySegment ctl, Arena arena) {
        this.header = header;
        this.arena = arena;
        this.ringWritable = !ring.isReadOnly();
        ChannelGeometry geometry = header.geometry();
        this.ringHeader = new RingHeader(ring);
        this.control = new ControlHeader(ctl);
        this.slots = new MessageSlots(ring, geometry);
        this.subscribers = new SubscriberTable(ctl, geometry.maxSubscribers());
        this.deliveryWords = new DeliveryWords(ctl, geometry);
        this.controlSegment = ctl;
    }

    public ChannelHeader header() {
        return header;
    }

    public int id() {
        return header.id();
    }

    public ChannelGeometry geometry() {
        return header.geometry();
    }

    /** Whether this process mapped the ring writable, as a sender must. */
    public boolean ringWritable() {
        return ringWritable;
    }

    public RingHeader ringHeader() {
        return ringHeader;
    }

    public ControlHeader control() {
        return control;
    }

    public MessageSlots slots() {
        return slots;
    }

    public SubscriberTable subscribers() {
        return subscribers;
    }

    public DeliveryWords deliveryWords() {
        return deliveryWords;
    }

    /** The control memory itself, where the doorbells lie: for the futex calls that sleep and wake on them. */
    public MemorySegment controlSegment() {
        return controlSegment;
    }

    /** The exception for memory that is not a valid channel. */
    public static ChannelException corrupt(int id, String what) {
        return ChannelFormat.corrupt(id, what);
    }

    /** Unmaps both. Idempotent. */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            arena.close();
        }
    }

    @Override
    public String toString() {
        return "ChannelMemory[" + header.id() + "]";
    }
}
