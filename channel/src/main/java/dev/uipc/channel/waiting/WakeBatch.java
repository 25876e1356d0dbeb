package dev.uipc.channel.waiting;

import dev.uipc.uring.Completion;
import dev.uipc.uring.Ring;
import dev.uipc.uring.RingOptions;

import java.lang.foreign.MemorySegment;

/**
 * Wakes many doorbells with one system call: a FUTEX_WAKE submission per doorbell on the waking
 * thread's own io_uring, all entered at once — instead of one futex system call each. Each
 * submission asks for no completion when it succeeds (CQE_SKIP_SUCCESS), so nothing is left to
 * reap but the odd failure, which is drained and dropped (a wake that failed is no worse than a
 * sleeper's spurious wake: the sleeper looks again either way).
 */
final class WakeBatch {
    private WakeBatch() {
    }

    /**
     * From how many doorbells a batch is cheaper than one system call each. One wake costs one
     * futex system call either way; from two on, the batch enters the kernel once.
     */
    static final int THRESHOLD = Integer.getInteger("uipc.wakeBatchThreshold", 3);

    /** One ring per waking platform thread, made on first use and owned by it. */
    private static final ThreadLocal<Ring> RINGS = ThreadLocal.withInitial(() -> Ring.open(
            RingOptions.defaults().withEntries(64)));
    private static final ThreadLocal<Completion> DISCARDED = ThreadLocal.withInitial(Completion::new);

    /** Whether this thread may batch: a virtual thread has no ring of its own to keep. */
    static boolean available() {
        return !Thread.currentThread().isVirtual();
    }

    /** Wakes every waiter on the doorbells at {@code offsets[0..count)} of {@code memory}. */
    static void wake(MemorySegment memory, long[] offsets, int count) {
        Ring ring = RINGS.get();
        Completion c = DISCARDED.get();
        while (ring.next(c)) {
            // a failed wake of an earlier batch: nothing to do about it now
        }
        for (int i = 0; i < count; i++) {
            ring.prepare().futexWake(memory, offsets[i], Integer.MAX_VALUE).skipSuccess();
        }
        ring.submit();
    }
}
