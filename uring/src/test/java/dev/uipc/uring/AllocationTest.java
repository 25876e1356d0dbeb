package dev.uipc.uring;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Steady-state submission and completion allocate nothing: measured with the JVM's
 * per-thread allocation counter over many thousands of operations, after warm-up.
 */
class AllocationTest {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    @BeforeAll
    static void measurable() {
        assumeTrue(IoUring.isAvailable(), IoUring.unavailabilityCause());
        assumeTrue(THREADS.isThreadAllocatedMemorySupported(), "this JVM cannot count allocated bytes per thread");
        THREADS.setThreadAllocatedMemoryEnabled(true);
    }

    private static long allocated() {
        return THREADS.getThreadAllocatedBytes(Thread.currentThread().threadId());
    }

    private static final class Sum implements CompletionHandler {
        long total;

        @Override
        public void onCompletion(int result, int flags, long userData) {
            total += userData + result;
        }
    }

    private static void batches(Ring ring, Sum sum, Completion holder, int rounds, int batch) {
        for (int r = 0; r < rounds; r++) {
            for (int i = 0; i < batch; i++) {
                ring.prepare().nop().userData(i);
            }
            ring.submitAndWait(batch);
            if ((r & 1) == 0) {
                ring.drain(sum);
            } else {
                while (ring.next(holder)) {
                    sum.total += holder.userData();
                }
            }
        }
    }

    /**
     * Runs {@code work} in chunks until one allocates nothing (C2 has compiled the path and
     * escape analysis removed the JDK's per-downcall capture slice), at most 60 chunks. A path
     * that allocates per operation never gets there; the measurement that follows decides.
     */
    private static void warmUp(Runnable work) {
        for (int chunk = 0; chunk < 60; chunk++) {
            long before = allocated();
            work.run();
            if (allocated() - before == 0) {
                return;
            }
        }
    }

    /**
     * Passes once a whole window of {@code work} allocates (almost) nothing. A window can catch
     * the JIT replacing a method mid-way (a few thousand interpreted iterations; on a loaded
     * machine compilation lags), so up to twenty are measured; code that allocates per
     * operation fails all twenty.
     */
    private static void assertSteadyStateAllocatesNothing(String what, Runnable work) {
        StringBuilder windows = new StringBuilder();
        for (int window = 0; window < 20; window++) {
            long before = allocated();
            work.run();
            long bytes = allocated() - before;
            if (bytes < 4096) {
                return;
            }
            windows.append(' ').append(bytes);
        }
        throw new AssertionError(what + " allocated, in each of twenty windows, bytes:" + windows);
    }

    @Test
    void submittingAndCompletingNopsAllocatesNothing() {
        try (Ring ring = Ring.open(64)) {
            Sum sum = new Sum();
            Completion holder = new Completion();
            warmUp(() -> {
                batches(ring, sum, holder, 5_000, 1);
                batches(ring, sum, holder, 500, 32);
            });
            // 84,000 operations per window; one allocated object per operation would be > 1 MB.
            assertSteadyStateAllocatesNothing("84,000 NOPs submitted and completed", () -> {
                batches(ring, sum, holder, 20_000, 1);
                batches(ring, sum, holder, 2_000, 32);
            });
            assertTrue(sum.total > 0);
        }
    }

    @Test
    void futexWakeAndTimedWaitAllocateNothing() {
        try (java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofConfined()) {
            java.lang.foreign.MemorySegment word = arena.allocate(java.lang.foreign.ValueLayout.JAVA_INT);
            word.set(java.lang.foreign.ValueLayout.JAVA_INT, 0, 1);
            warmUp(() -> {
                for (int i = 0; i < 20_000; i++) {
                    Futex.wake(word, 0, 1);
                    Futex.await(word, 0, 0, 1000);    // value differs: returns at once
                }
            });
            assertSteadyStateAllocatesNothing("100,000 futex calls", () -> {
                for (int i = 0; i < 50_000; i++) {
                    Futex.wake(word, 0, 1);
                    Futex.await(word, 0, 0, 1000);
                }
            });
        }
    }
}
