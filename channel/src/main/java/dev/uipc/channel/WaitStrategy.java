package dev.uipc.channel;

import java.time.Duration;

/**
 * What a subscriber does while it waits for a message, or for room to send: the behaviour
 * between one look and the next, in the manner of Agrona's {@code IdleStrategy}. Each time a look
 * finds nothing, the waiting loop calls {@link #idle}; the strategy either waits a little itself
 * (spins, yields) and returns {@code false}, so the loop looks again, or returns {@code true}:
 * the loop then sleeps on the subscriber's futex doorbell until a peer rings it (or the timeout
 * passes), costing no CPU.
 *
 * <ul>
 *   <li>{@link #spinThenPark(Duration)}, the default with 10 microseconds: catches a message
 *       that follows closely without a system call, and sleeps otherwise;</li>
 *   <li>{@link #park()}: sleeps at once, the least CPU;</li>
 *   <li>{@link #busySpin()}: never sleeps, the lowest latency, a whole core per waiter.</li>
 * </ul>
 * The sleep is a futex wait, by the futex system call or, with {@link #viaIoUring()}, as an
 * io_uring FUTEX_WAIT submission with a linked timeout on a ring owned by the waiting thread
 * (a platform thread; a virtual thread falls back to the system call; such a thread keeps its
 * 4-entry ring, one file descriptor, for as long as it lives).
 *
 * <p>Implementations must be stateless (everything they need arrives as arguments), so that one
 * strategy may serve many subscribers on many threads. The completion loop uses the same
 * strategies to decide when to stop spinning and sleep in {@code io_uring_enter}.
 */
public interface WaitStrategy {
    /**
     * A look found nothing. Wait a little and return {@code false} to look again, or return
     * {@code true} to sleep until woken.
     *
     * @param idleRounds looks that found nothing since the wait began (1 on the first call)
     * @param idleNanos  nanoseconds since the wait began
     * @return {@code true} to sleep on the doorbell until a peer rings it (or the timeout
     *         passes), {@code false} to look again at once
     */
    boolean idle(int idleRounds, long idleNanos);

    /**
     * Whether the sleep is an io_uring FUTEX_WAIT rather than the futex system call.
     *
     * @return true for a strategy made by {@link #viaIoUring()}
     */
    default boolean sleepsThroughIoUring() {
        return false;
    }

    /**
     * This strategy, sleeping through an io_uring FUTEX_WAIT submission instead of the system
     * call: the same spinning, the same wake-ups; what differs is which kernel path sleeps.
     *
     * @return a strategy that spins as this one does and sleeps through io_uring
     */
    default WaitStrategy viaIoUring() {
        return new ThroughIoUring(this);
    }

    /**
     * What a subscriber starts with: spin 10 microseconds, then sleep. A message that follows
     * closely is caught without a system call; a long wait costs no CPU.
     *
     * @return the default strategy
     */
    static WaitStrategy defaultStrategy() {
        return SpinThenPark.DEFAULT;
    }

    /**
     * Spin for {@code spin}, then sleep: a longer spin trades CPU for latency when messages
     * come in quick succession.
     *
     * @param spin how long to spin before sleeping, not negative
     * @return the strategy
     */
    static WaitStrategy spinThenPark(Duration spin) {
        return new SpinThenPark(spin.toNanos());
    }

    /**
     * Sleep at once: the least CPU, a system call on every wait.
     *
     * @return the strategy
     */
    static WaitStrategy park() {
        return Park.INSTANCE;
    }

    /**
     * Never sleep: spin until the message (or room) arrives or the timeout passes. The lowest
     * latency, a whole core per waiting thread.
     *
     * @return the strategy
     */
    static WaitStrategy busySpin() {
        return BusySpin.INSTANCE;
    }

    /**
     * Spins for a while, then sleeps: {@link #spinThenPark(Duration)}.
     *
     * @param spinNanos how long to spin before sleeping
     */
    record SpinThenPark(long spinNanos) implements WaitStrategy {
        static final SpinThenPark DEFAULT = new SpinThenPark(10_000);

        /**
         * Checks the spin budget.
         *
         * @param spinNanos how long to spin before sleeping, not negative
         */
        public SpinThenPark {
            if (spinNanos < 0) {
                throw new IllegalArgumentException("the spin budget must not be negative: " + spinNanos + " ns");
            }
        }

        @Override
        public boolean idle(int idleRounds, long idleNanos) {
            if (idleNanos < spinNanos) {
                Thread.onSpinWait();
                return false;
            }
            return true;
        }
    }

    /** Sleeps at once. */
    final class Park implements WaitStrategy {
        static final Park INSTANCE = new Park();

        private Park() {
        }

        @Override
        public boolean idle(int idleRounds, long idleNanos) {
            return true;
        }

        @Override
        public String toString() {
            return "Park";
        }
    }

    /** Never sleeps. */
    final class BusySpin implements WaitStrategy {
        static final BusySpin INSTANCE = new BusySpin();

        private BusySpin() {
        }

        @Override
        public boolean idle(int idleRounds, long idleNanos) {
            Thread.onSpinWait();
            return false;
        }

        @Override
        public String toString() {
            return "BusySpin";
        }
    }

    /**
     * Another strategy's spinning, with its sleeps made through io_uring: {@link #viaIoUring()}.
     *
     * @param inner the strategy whose spinning this one keeps
     */
    record ThroughIoUring(WaitStrategy inner) implements WaitStrategy {
        /**
         * Checks that there is an inner strategy.
         *
         * @param inner the strategy whose spinning this one keeps
         */
        public ThroughIoUring {
            java.util.Objects.requireNonNull(inner, "inner");
        }

        @Override
        public boolean idle(int idleRounds, long idleNanos) {
            return inner.idle(idleRounds, idleNanos);
        }

        @Override
        public boolean sleepsThroughIoUring() {
            return true;
        }

        @Override
        public WaitStrategy viaIoUring() {
            return this;
        }
    }
}
