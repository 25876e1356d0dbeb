package dev.uipc.uring;

import dev.uipc.uring.ffm.Native;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Futex system calls on shared (cross-process) 32-bit words: a thread sleeps in the kernel
 * until another process wakes the word, without spinning.
 *
 * <p>Expected outcomes are return values, never exceptions: {@link #WOKEN} (which may be
 * spurious, so callers re-check their condition), {@link #VALUE_CHANGED} and
 * {@link #TIMED_OUT}. A signal counts as a spurious wake-up. Misuse (a bad address) throws.
 */
public final class Futex {
    private Futex() {
    }

    /** Woken by a wake call, or spuriously (a signal): re-check the condition. */
    public static final int WOKEN = 0;
    /** The word no longer held the expected value, so the wait never began. */
    public static final int VALUE_CHANGED = -Errno.EAGAIN.number();
    /** The timeout passed. */
    public static final int TIMED_OUT = -Errno.ETIMEDOUT.number();

    // futex(2) operations, DO NOT CHANGE (include/uapi/linux/futex.h). Shared, not FUTEX_PRIVATE_FLAG.
    private static final int FUTEX_WAIT = 0;
    private static final int FUTEX_WAKE = 1;
    private static final int CLOCK_MONOTONIC = 1;

    /** Per-thread timespec for timeouts, so that waiting allocates nothing. */
    private static final ThreadLocal<MemorySegment> TIMESPEC =
            ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(KernelAbi.Timespec.LAYOUT));

    private static long timespec(long nanos) {
        MemorySegment ts = TIMESPEC.get();
        ts.set(JAVA_LONG, KernelAbi.Timespec.TV_SEC, nanos / 1_000_000_000L);
        ts.set(JAVA_LONG, KernelAbi.Timespec.TV_NSEC, nanos % 1_000_000_000L);
        return ts.address();
    }

    /**
     * Sleeps while the word at {@code offset} in {@code memory} holds {@code expected}, at most
     * {@code timeoutNanos} ({@code < 0}: no limit).
     *
     * @param memory       shared memory holding the 32-bit word, 4-byte aligned
     * @param offset       where the word is in {@code memory}
     * @param expected     the value to sleep on: if the word holds another, return at once
     * @param timeoutNanos the longest sleep in nanoseconds, negative for none
     * @return {@link #WOKEN}, {@link #VALUE_CHANGED} or {@link #TIMED_OUT}
     */
    public static int await(MemorySegment memory, long offset, int expected, long timeoutNanos) {
        long address = Sqe.futexAddress(memory, offset);
        long timeout = timeoutNanos < 0 ? 0 : timespec(timeoutNanos);
        long r = Native.futex(Native.threadErrnoSlot(), address, FUTEX_WAIT, expected, timeout);
        return outcome(r, "FUTEX_WAIT", address);
    }

    /**
     * Wakes up to {@code count} threads, in any process, sleeping on the word.
     *
     * @param memory shared memory holding the word
     * @param offset where the word is in {@code memory}
     * @param count  how many sleepers to wake at most
     * @return how many were woken
     */
    public static int wake(MemorySegment memory, long offset, int count) {
        long address = Sqe.futexAddress(memory, offset);
        long r = Native.futexWake(Native.threadErrnoSlot(), address, FUTEX_WAKE, count);
        if (r < 0) {
            throw new ErrnoException((int) -r, "futex(FUTEX_WAKE, 0x" + Long.toHexString(address) + ")");
        }
        return (int) r;
    }

    /**
     * Sleeps until any word of {@code waiters} is woken, unless one already differs from its
     * expected value, at most {@code timeoutNanos} ({@code < 0}: no limit). futex_waitv(2),
     * Linux 5.16.
     *
     * @param waiters      the words and their expected values
     * @param timeoutNanos the longest sleep in nanoseconds, negative for none
     * @return the index of the woken word ({@code >= 0}), {@link #VALUE_CHANGED} or {@link #TIMED_OUT}
     */
    public static int awaitAny(FutexVector waiters, long timeoutNanos) {
        long timeout = timeoutNanos < 0 ? 0 : timespec(System.nanoTime() + timeoutNanos);   // absolute
        long r = Native.futexWaitv(Native.threadErrnoSlot(), waiters.address(), waiters.size(), timeout,
                CLOCK_MONOTONIC);
        if (r >= 0) {
            return (int) r;
        }
        return outcome(r, "futex_waitv", waiters.address());
    }

    /** Maps a result to an outcome; the message is built only on failure, so waiting allocates nothing. */
    private static int outcome(long r, String call, long address) {
        if (r >= 0 || r == -Errno.EINTR.number()) {
            return WOKEN;
        }
        if (r == VALUE_CHANGED || r == TIMED_OUT) {
            return (int) r;
        }
        throw new ErrnoException((int) -r, call + "(0x" + Long.toHexString(address) + ")");
    }
}
