package dev.uipc.uring;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The completion queue of one {@link Ring}, as the kernel lays it out: head, tail, mask,
 * overflow count and the completion entries, in one mapping.
 *
 * <p>The kernel owns the tail, we own the head. The tail is read with {@code getAcquire}
 * before the entries it covers; the head is released after each entry is read:
 * NOTE: an entry is read BEFORE the head that returns its slot to the kernel.
 */
final class CompletionQueue {
    /** int fields of the shared ring: head, tail, overflow; coordinates (segment, byte offset). */
    private static final VarHandle INT = JAVA_INT.varHandle();

    private final MemorySegment ring;
    private final long head;
    private final long tail;
    private final long overflow;
    private final long entries;
    private final int mask;
    private final int capacity;
    private final int entryShift;
    /** The head as we have consumed it; the kernel sees each step through a release. */
    private int localHead;

    /**
     * @param ring       the mapping at {@code IORING_OFF_CQ_RING} (the SQ ring's, with SINGLE_MMAP)
     * @param params     {@code struct io_uring_params} as io_uring_setup filled it in
     * @param entryShift log2 of the entry size: 4, or 5 with CQE32
     */
    CompletionQueue(MemorySegment ring, MemorySegment params, int entryShift) {
        long off = KernelAbi.Params.CQ_OFF;
        this.ring = ring;
        this.entryShift = entryShift;
        this.capacity = params.get(JAVA_INT, KernelAbi.Params.CQ_ENTRIES);
        this.head = params.get(JAVA_INT, off + KernelAbi.CqRingOffsets.HEAD);
        this.tail = params.get(JAVA_INT, off + KernelAbi.CqRingOffsets.TAIL);
        this.overflow = params.get(JAVA_INT, off + KernelAbi.CqRingOffsets.OVERFLOW);
        this.entries = params.get(JAVA_INT, off + KernelAbi.CqRingOffsets.CQES);
        this.mask = ring.get(JAVA_INT, params.get(JAVA_INT, off + KernelAbi.CqRingOffsets.RING_MASK));
        this.localHead = (int) INT.getAcquire(ring, head);
    }

    /** The size of the CQ ring mapping the kernel expects for {@code params}. */
    static long ringBytes(MemorySegment params, int entryShift) {
        return params.get(JAVA_INT, KernelAbi.Params.CQ_OFF + KernelAbi.CqRingOffsets.CQES)
                + ((long) params.get(JAVA_INT, KernelAbi.Params.CQ_ENTRIES) << entryShift);
    }

    int capacity() {
        return capacity;
    }

    /** Completions posted and not yet consumed. */
    int ready() {
        return (int) INT.getAcquire(ring, tail) - localHead;
    }

    boolean isEmpty() {
        return (int) INT.getAcquire(ring, tail) == localHead;
    }

    /**
     * Hands up to {@code max} posted completions to {@code handler}, in order. Each is consumed
     * before its handler runs, so a handler that throws loses nothing else.
     */
    int drain(CompletionHandler handler, int max) {
        int end = (int) INT.getAcquire(ring, tail);
        int handled = 0;
        while (localHead != end && handled < max) {
            long base = entryOffset();
            long userData = ring.get(JAVA_LONG, base + KernelAbi.Cqe.USER_DATA);
            int result = ring.get(JAVA_INT, base + KernelAbi.Cqe.RES);
            int flags = ring.get(JAVA_INT, base + KernelAbi.Cqe.FLAGS);
            consume();
            handled++;
            handler.onCompletion(result, flags, userData);
        }
        return handled;
    }

    /** Copies the oldest posted completion into {@code into} and consumes it; false if there is none. */
    boolean next(Completion into) {
        if (isEmpty()) {
            return false;
        }
        long base = entryOffset();
        into.set(ring.get(JAVA_INT, base + KernelAbi.Cqe.RES), ring.get(JAVA_INT, base + KernelAbi.Cqe.FLAGS),
                ring.get(JAVA_LONG, base + KernelAbi.Cqe.USER_DATA));
        consume();
        return true;
    }

    private long entryOffset() {
        return entries + ((long) (localHead & mask) << entryShift);
    }

    private void consume() {
        localHead++;
        // NOTE: the entry is read BEFORE the head that returns its slot to the kernel.
        INT.setRelease(ring, head, localHead);
    }

    /** Completions the kernel could not post because the queue was full. */
    int overflow() {
        return (int) INT.getAcquire(ring, overflow);
    }
}
