package dev.uipc.uring;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The submission queue of one {@link Ring}, as the kernel lays it out: a ring of entry indexes
 * (head, tail, mask, flags, dropped count, and the index array unless NO_SQARRAY) in one
 * mapping, and the entries themselves in another.
 *
 * <p>We own the tail, the kernel owns the head. Entries are written at {@link #claim()} and
 * handed over by {@link #publish()}, which releases the tail:
 * NOTE: every store into an entry is made visible BEFORE the tail that hands it to the kernel.
 * The head is read with {@code getAcquire} before a slot is reused; the flags with
 * {@code getOpaque}, which orders nothing (callers that need more add a fence).
 */
final class SubmissionQueue {
    /** int fields of the shared ring: head, tail, flags; coordinates (segment, byte offset). */
    private static final VarHandle INT = JAVA_INT.varHandle();

    private final MemorySegment ring;
    private final MemorySegment entries;
    private final long head;
    private final long tail;
    private final long flags;
    private final long dropped;
    private final int mask;
    private final int capacity;
    private final int entryShift;
    /** The tail as we have written it: entries up to here are claimed, maybe not yet published. */
    private int localTail;

    /**
     * @param ring       the mapping at {@code IORING_OFF_SQ_RING}
     * @param entries    the mapping at {@code IORING_OFF_SQES}
     * @param params     {@code struct io_uring_params} as io_uring_setup filled it in
     * @param entryShift log2 of the entry size: 6, or 7 with SQE128
     */
    SubmissionQueue(MemorySegment ring, MemorySegment entries, MemorySegment params, int entryShift) {
        long off = KernelAbi.Params.SQ_OFF;
        this.ring = ring;
        this.entries = entries;
        this.entryShift = entryShift;
        this.capacity = params.get(JAVA_INT, KernelAbi.Params.SQ_ENTRIES);
        this.head = params.get(JAVA_INT, off + KernelAbi.SqRingOffsets.HEAD);
        this.tail = params.get(JAVA_INT, off + KernelAbi.SqRingOffsets.TAIL);
        this.flags = params.get(JAVA_INT, off + KernelAbi.SqRingOffsets.FLAGS);
        this.dropped = params.get(JAVA_INT, off + KernelAbi.SqRingOffsets.DROPPED);
        this.mask = ring.get(JAVA_INT, params.get(JAVA_INT, off + KernelAbi.SqRingOffsets.RING_MASK));
        int setupFlags = params.get(JAVA_INT, KernelAbi.Params.FLAGS);
        if ((setupFlags & SetupFlag.NO_SQARRAY) == 0) {
            // Without NO_SQARRAY the kernel reads entry indexes from this array; identity, once.
            long array = params.get(JAVA_INT, off + KernelAbi.SqRingOffsets.ARRAY);
            for (int i = 0; i < capacity; i++) {
                ring.set(JAVA_INT, array + (long) i * Integer.BYTES, i);
            }
        }
        this.localTail = (int) INT.getAcquire(ring, tail);
    }

    /** The size of the SQ ring mapping the kernel expects for {@code params}. */
    static long ringBytes(MemorySegment params) {
        return params.get(JAVA_INT, KernelAbi.Params.SQ_OFF + KernelAbi.SqRingOffsets.ARRAY)
                + (long) params.get(JAVA_INT, KernelAbi.Params.SQ_ENTRIES) * Integer.BYTES;
    }

    /** The mapping that holds the entries, for the {@link Sqe} flyweight. */
    MemorySegment entries() {
        return entries;
    }

    int capacity() {
        return capacity;
    }

    /** Entries claimed but not yet consumed by the kernel. */
    int pending() {
        return localTail - (int) INT.getAcquire(ring, head);
    }

    boolean isFull() {
        return pending() >= capacity;
    }

    /** Takes the next free entry, zeroed, and returns its index; the caller checked {@link #isFull()}. */
    int claim() {
        int index = localTail & mask;
        localTail++;
        long base = offsetOf(index);
        for (long at = base, end = base + (1L << entryShift); at < end; at += Long.BYTES) {
            entries.set(JAVA_LONG, at, 0L);
        }
        return index;
    }

    /** Byte offset of entry {@code index} in {@link #entries()}. */
    long offsetOf(int index) {
        return (long) index << entryShift;
    }

    /** Hands every claimed entry to the kernel; returns how many it has not consumed yet. */
    int publish() {
        // NOTE: the entries' contents are made visible BEFORE the tail that hands them over.
        INT.setRelease(ring, tail, localTail);
        return pending();
    }

    /** {@code IORING_SQ_*} bits the kernel sets: NEED_WAKEUP, CQ_OVERFLOW, TASKRUN. */
    int kernelFlags() {
        // Only the flag's current value is wanted, not ordering with other memory: opaque.
        return (int) INT.getOpaque(ring, flags);
    }

    /** Entries the kernel dropped as invalid. */
    int dropped() {
        return (int) INT.getAcquire(ring, dropped);
    }
}
