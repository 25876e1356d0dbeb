package dev.uipc.channel.waiting;

import dev.uipc.channel.ChannelException;
import dev.uipc.uring.Completion;
import dev.uipc.uring.Errno;
import dev.uipc.uring.ErrnoException;
import dev.uipc.uring.Futex;
import dev.uipc.uring.Ring;

import java.lang.foreign.MemorySegment;

/**
 * The sleep itself: a futex wait on a doorbell word, by the futex system call or as an io_uring
 * FUTEX_WAIT submission with a linked timeout. Both report the same three outcomes, and both
 * throw when the wait cannot happen at all — a sleeper that cannot sleep must say so, not
 * return at once and let its caller spin.
 */
final class Sleeper {
    private Sleeper() {
    }

    private static final long WAIT = 1;
    private static final long TIMEOUT = 2;

    /** One ring per sleeping platform thread, made on first use and owned by that thread. */
    private static final ThreadLocal<Ring> RINGS = ThreadLocal.withInitial(() -> Ring.open(4));
    private static final ThreadLocal<Completion> COMPLETIONS = ThreadLocal.withInitial(Completion::new);

    /**
     * Sleeps while the word at {@code offset} still holds {@code expected}, at most
     * {@code timeoutNanos} ({@code < 0}: no limit).
     *
     * @return {@link Futex#WOKEN}, {@link Futex#VALUE_CHANGED} or {@link Futex#TIMED_OUT}
     * @throws ChannelException if the kernel refuses the wait (for example ENOSYS or EINVAL where
     *                          io_uring futex operations are missing)
     */
    static int sleep(MemorySegment memory, long offset, int expected, long timeoutNanos, boolean throughIoUring) {
        try {
            if (!throughIoUring || Thread.currentThread().isVirtual()) {
                return Futex.await(memory, offset, expected, timeoutNanos);
            }
            return sleepInRing(memory, offset, expected, timeoutNanos);
        } catch (ErrnoException e) {
            throw new ChannelException(e.error(), "cannot sleep on a channel doorbell: " + e.getMessage()
                    + (throughIoUring ? "; wait without io_uring (WaitStrategy without viaIoUring())" : ""), e);
        }
    }

    private static int sleepInRing(MemorySegment memory, long offset, int expected, long timeoutNanos) {
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
        int failure = 0;
        while (seen < expectedCompletions) {
            if (!ring.next(c)) {
                ring.submitAndWait(1);
                continue;
            }
            seen++;
            if (c.userData() != WAIT) {
                continue;                             // the linked timeout: fired or cancelled, either is fine
            }
            int result = c.result();
            if (result >= 0 || result == -Errno.EINTR.number()) {
                outcome = Futex.WOKEN;
            } else if (result == Futex.VALUE_CHANGED) {
                outcome = Futex.VALUE_CHANGED;
            } else if (result == -Errno.ECANCELED.number()) {
                outcome = Futex.TIMED_OUT;            // cancelled by the linked timeout
            } else {
                failure = -result;                    // drain the timeout's completion first
            }
        }
        if (failure != 0) {
            throw new ErrnoException(failure, "io_uring FUTEX_WAIT");
        }
        return outcome;
    }
}
