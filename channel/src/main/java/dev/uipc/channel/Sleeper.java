package dev.uipc.channel;

import dev.uipc.uring.Completion;
import dev.uipc.uring.Errno;
import dev.uipc.uring.Futex;
import dev.uipc.uring.Ring;
import dev.uipc.uring.RingOptions;

import java.lang.foreign.MemorySegment;

/**
 * The sleep itself: a futex wait on a doorbell word, by system call or by io_uring. Returns
 * {@link Futex#WOKEN}, {@link Futex#VALUE_CHANGED} or {@link Futex#TIMED_OUT}; the caller
 * re-checks its condition in every case.
 */
final class Sleeper {
    private Sleeper() {
    }

    private static final long WAIT = 1;
    private static final long TIMEOUT = 2;

    /** One ring per sleeping platform thread, made on first use and owned by that thread. */
    private static final ThreadLocal<Ring> RINGS = ThreadLocal.withInitial(() -> Ring.open(4));
    private static final ThreadLocal<Completion> COMPLETIONS = ThreadLocal.withInitial(Completion::new);

    static int sleep(MemorySegment memory, long offset, int expected, long timeoutNanos, boolean useIoUring) {
        if (!useIoUring || Thread.currentThread().isVirtual()) {
            return Futex.await(memory, offset, expected, timeoutNanos);
        }
        Ring ring = RINGS.get();
        int expectedCompletions = 1;
        if (timeoutNanos < 0) {
            ring.prepare().futexWait(memory, offset, expected).userData(WAIT);
        } else {
            ring.prepare().futexWait(memory, offset, expected).userData(WAIT).link();
            ring.prepare().linkTimeout(timeoutNanos, 0).userData(TIMEOUT);
            expectedCompletions = 2;                  // the timeout completes too, fired or cancelled
        }
        ring.submitAndWait(expectedCompletions);
        Completion c = COMPLETIONS.get();
        int outcome = Futex.WOKEN;
        int seen = 0;
        while (seen < expectedCompletions) {
            if (!ring.next(c)) {
                ring.submitAndWait(1);
                continue;
            }
            seen++;
            if (c.userData() == WAIT) {
                outcome = c.result() == 0 ? Futex.WOKEN
                        : c.result() == -Errno.EAGAIN.number() ? Futex.VALUE_CHANGED
                        : c.result() == -Errno.ECANCELED.number() ? Futex.TIMED_OUT
                        : Futex.WOKEN;
            }
        }
        return outcome;
    }
}
