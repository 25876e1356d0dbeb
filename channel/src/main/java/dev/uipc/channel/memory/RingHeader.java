package dev.uipc.channel.memory;

import dev.uipc.channel.layout.RingFileDescriptor;

import java.lang.foreign.MemorySegment;

/**
 * The one word of the ring header that changes: the producers' {@code tail}, the next position
 * to claim ({@code docs/LAYOUT.md} section 2). The rest of the header is read once, validated,
 * into {@link ChannelMemory}'s fields, and never trusted again.
 */
public final class RingHeader {
    private final MemorySegment ring;

    RingHeader(MemorySegment ring) {
        this.ring = ring;
    }

    /** The next position to claim; every position below it has been claimed by some producer. */
    public long tailAcquire() {
        return (long) Words.LONG.getAcquire(ring, RingFileDescriptor.TAIL_OFFSET);
    }

    /**
     * Claims position {@code expected} by moving the tail past it. A full fence: whatever the
     * caller stored before (its claim record) is visible BEFORE the position is its own.
     */
    public boolean compareAndSetTail(long expected, long next) {
        return Words.LONG.compareAndSet(ring, RingFileDescriptor.TAIL_OFFSET, expected, next);
    }
}
