package dev.uipc.channel;

import java.time.Duration;

/**
 * How a subscriber waits for a message (or, sending, for room): spin for a short budget,
 * then sleep on its futex doorbell until a peer wakes it or the timeout passes.
 *
 * <ul>
 *   <li>{@link #spinThenPark(Duration)}, the default with 10 microseconds: catches a message
 *       that follows closely without a system call, and sleeps otherwise, so an idle receiver
 *       costs no CPU;</li>
 *   <li>{@link #park()}: sleeps at once, the least CPU;</li>
 *   <li>{@link #busySpin()}: never sleeps, the lowest latency, a whole core per waiter.</li>
 * </ul>
 * The sleep is a futex wait, made with the futex system call or, with {@link #viaIoUring()},
 * as an io_uring FUTEX_WAIT submission with a linked timeout on a ring owned by the waiting
 * thread (which must be a platform thread; a virtual thread falls back to the system call).
 * Such a thread keeps its 4-entry ring, one file descriptor, for as long as it lives.
 *
 * @param spinNanos  how long to spin before sleeping; {@code Long.MAX_VALUE} never sleeps
 * @param useIoUring sleep through io_uring instead of the futex system call
 */
public record WaitStrategy(long spinNanos, boolean useIoUring) {
    private static final WaitStrategy DEFAULT = new WaitStrategy(10_000, false);

    public WaitStrategy {
        if (spinNanos < 0) {
            throw new IllegalArgumentException("the spin budget must not be negative: " + spinNanos + " ns");
        }
    }

    /** Spin 10 microseconds, then sleep on the futex. */
    public static WaitStrategy defaultStrategy() {
        return DEFAULT;
    }

    public static WaitStrategy spinThenPark(Duration spin) {
        return new WaitStrategy(spin.toNanos(), false);
    }

    public static WaitStrategy park() {
        return new WaitStrategy(0, false);
    }

    public static WaitStrategy busySpin() {
        return new WaitStrategy(Long.MAX_VALUE, false);
    }

    /** The same spin budget, sleeping through an io_uring FUTEX_WAIT submission. */
    public WaitStrategy viaIoUring() {
        return new WaitStrategy(spinNanos, true);
    }

    boolean sleeps() {
        return spinNanos != Long.MAX_VALUE;
    }
}
