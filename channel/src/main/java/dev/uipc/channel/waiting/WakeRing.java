package dev.uipc.channel.waiting;

import dev.uipc.uring.Completion;
import dev.uipc.uring.Errno;
import dev.uipc.uring.Ring;
import dev.uipc.uring.RingOptions;

import java.lang.foreign.MemorySegment;
import java.lang.ref.Cleaner;

/**
 * The waking thread's own io_uring, for wakes that are cheaper as submissions than as system
 * calls: many FUTEX_WAKEs entered at once instead of one futex system call each, and MSG_RINGs
 * that post a wake straight into a completion loop's ring. A FUTEX_WAKE asks for no completion
 * when it succeeds (CQE_SKIP_SUCCESS), so nothing is left to reap but the odd failure, which is
 * drained and dropped (a wake that failed is no worse than a sleeper's spurious wake: the
 * sleeper looks again either way). A MSG_RING's result is always read: one that failed is
 * followed by a futex wake, or the wake would be lost.
 */
final class WakeRing {
    private WakeRing() {
    }

    /**
     * From how many doorbells a batch is cheaper than one futex system call each. Measured
     * across processes on a 2-core VM ({@code bench/run wake}, section 3): the batch cost the
     * sender 1.27 times as much as plain calls at 4 sleepers and saved 15% at 16 — most of a
     * wake's cost is the sleeper's wake-up, which batching does not share — so it is used from
     * 8 on.
     */
    static final int THRESHOLD = Integer.getInteger("uipc.wakeBatchThreshold", 8);

    /** User data of a FUTEX_WAKE; a MSG_RING's is 1 + its place in the batch. */
    private static final long FUTEX_WAKE = 0;
    /** The most MSG_RINGs one enter waits for: a batch posts more in rounds. */
    private static final int ENTRIES = 64;

    /**
     * One ring per waking platform thread, made on first use and owned by it. When the thread
     * has ended and its holder is collected, the ring is closed: threads that come and go do not
     * leave rings behind.
     */
    private static final ThreadLocal<Holder> RINGS = ThreadLocal.withInitial(Holder::new);
    private static final Cleaner CLEANER = Cleaner.create();

    private static final class Holder {
        final Ring ring = Ring.open(RingOptions.defaults().withEntries(ENTRIES));

        Holder() {
            Ring r = ring;
            CLEANER.register(this, r::close);
        }
    }
    private static final ThreadLocal<Completion> COMPLETIONS = ThreadLocal.withInitial(Completion::new);

    /** Whether this thread may use a ring: a virtual thread has no ring of its own to keep. */
    static boolean available() {
        return !Thread.currentThread().isVirtual();
    }

    /** Wakes every waiter on the doorbells at {@code offsets[0..count)} of {@code memory}. */
    static void wake(MemorySegment memory, long[] offsets, int count) {
        Ring ring = RINGS.get().ring;
        dropFailedWakes(ring);
        for (int i = 0; i < count; i++) {
            ring.prepare().futexWake(memory, offsets[i], Integer.MAX_VALUE).skipSuccess().userData(FUTEX_WAKE);
        }
        ring.submit();
    }

    /**
     * Posts a completion with {@code result} and user data {@code token} into the ring
     * {@code ringFd} (MSG_RING), and returns the post's result: 0, or -errno.
     */
    static int post(int ringFd, int result, long token) {
        Ring ring = RINGS.get().ring;
        dropFailedWakes(ring);
        ring.prepare().msgRing(ringFd, result, token).userData(1);
        return awaitPosts(ring, 1, null);
    }

    /**
     * Posts completions into rings {@code ringFds[0..count)} with {@code result} and user data
     * {@code tokens[i]}, in one enter with any FUTEX_WAKEs already prepared; their results land
     * in {@code results}.
     */
    static void post(int[] ringFds, long[] tokens, int[] results, int count, int result,
                     MemorySegment memory, long[] futexOffsets, int futexCount) {
        Ring ring = RINGS.get().ring;
        dropFailedWakes(ring);
        for (int i = 0; i < futexCount; i++) {
            ring.prepare().futexWake(memory, futexOffsets[i], Integer.MAX_VALUE).skipSuccess().userData(FUTEX_WAKE);
        }
        if (count == 0) {
            ring.submit();
        }
        for (int first = 0; first < count; first += ENTRIES) {
            int n = Math.min(ENTRIES, count - first);
            for (int i = 0; i < n; i++) {
                ring.prepare().msgRing(ringFds[first + i], result, tokens[first + i]).userData(1 + first + i);
            }
            awaitPosts(ring, n, results);
        }
    }

    /** Submits and reaps {@code n} MSG_RING results (into {@code results} by place, or returns the one). */
    private static int awaitPosts(Ring ring, int n, int[] results) {
        Completion c = COMPLETIONS.get();
        int last = -Errno.EIO.number();
        int seen = 0;
        while (seen < n) {
            ring.submitAndWait(1);
            while (ring.next(c)) {
                if (c.userData() == FUTEX_WAKE) {
                    continue;                // a failed wake: dropped, as above
                }
                last = c.result();
                if (results != null) {
                    results[(int) (c.userData() - 1)] = last;
                }
                seen++;
            }
        }
        return last;
    }

    private static void dropFailedWakes(Ring ring) {
        Completion c = COMPLETIONS.get();
        while (ring.next(c)) {
            // a failed wake of an earlier batch: nothing to do about it now
        }
    }
}
