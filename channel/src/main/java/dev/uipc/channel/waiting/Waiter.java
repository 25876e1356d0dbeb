package dev.uipc.channel.waiting;

import dev.uipc.channel.Outcome;
import dev.uipc.channel.WaitStrategy;
import dev.uipc.channel.memory.ChannelMemory;
import dev.uipc.channel.memory.ControlHeader;
import dev.uipc.uring.Futex;


/**
 * The one wait loop, shared by receiving (waiting for a message) and sending (waiting for room):
 * look; if nothing, let the {@link WaitStrategy} spin or say "sleep"; to sleep, park on this
 * subscriber's doorbell with the Dekker discipline of {@code docs/LAYOUT.md} section 5.
 *
 * <p>Parking: read the doorbell; announce PARKED and count ourselves among the waiters (an
 * atomic add: a full fence); look again; only then sleep, while the doorbell still holds what we
 * read. A peer publishes, fences, then reads the count: one of us sees the other, so a wake-up
 * cannot be lost. What the sleep reports decides what follows: after a wake we look at once and,
 * finding nothing (another waiter was quicker), sleep again without spinning; after a timeout we
 * look one last time and give up.
 */
public final class Waiter {
    /**
     * Spin-wait hints before looking again at a message its producer is writing: a few tens of
     * nanoseconds, about what the rest of the write takes once its first store is seen.
     */
    private static final int WRITING_PAUSES = 4;

    private final Parking parking;
    private final boolean receiving;
    private final int notReady;

    /**
     * @param index    the waiting subscriber's row
     * @param kind     whom it is counted among while parked
     * @param notReady what {@link Attempt#attempt()} returns while there is nothing yet
     */
    public Waiter(ChannelMemory memory, int index, ControlHeader.Waiters kind, int notReady) {
        this.parking = new Parking(memory, index);
        this.receiving = kind == ControlHeader.Waiters.RECEIVERS;
        this.notReady = notReady;
    }

    /**
     * Looks until {@code attempt} is ready or {@code timeoutNanos} pass ({@code Long.MAX_VALUE}:
     * no limit; 0: one look).
     *
     * @return what the attempt returned, or {@link Outcome#TIMED_OUT}
     */
    public int await(Attempt attempt, long timeoutNanos, WaitStrategy strategy) {
        int r = attempt.attempt();
        if (r != notReady || timeoutNanos == 0) {
            return r;
        }
        long start = System.nanoTime();
        long deadline = timeoutNanos >= Long.MAX_VALUE / 2 ? start + Long.MAX_VALUE / 2 : start + timeoutNanos;
        int rounds = 0;
        boolean sleepAgain = false;
        for (;;) {
            long now = System.nanoTime();
            if (now - deadline >= 0) {
                return Outcome.TIMED_OUT;
            }
            if (!sleepAgain && !strategy.idle(++rounds, now - start)) {
                if (attempt.peerIsWriting()) {
                    for (int i = 0; i < WRITING_PAUSES; i++) {
                        Thread.onSpinWait();
                    }
                }
                r = attempt.attempt();
                if (r != notReady) {
                    return r;
                }
                continue;
            }
            int slept = Futex.WOKEN;
            int v = parking.announce(receiving, !receiving);
            boolean chosen;
            try {
                r = attempt.attempt();                        // look again, announced
                if (r == notReady) {
                    slept = Sleeper.sleep(parking.doorbellMemory(), parking.doorbellOffset(), v,
                            Math.min(deadline - now, attempt.sleepLimitNanos()), strategy.sleepsThroughIoUring());
                }
            } finally {
                chosen = parking.withdraw(receiving, !receiving);
            }
            if (r != notReady) {
                // Found without sleeping, yet a waker chose us meanwhile: its wake was for a
                // later change that some other sleeper may need.
                if (chosen) {
                    attempt.passOnWake();
                }
                return r;
            }
            r = attempt.attempt();
            if (r != notReady) {
                return r;
            }
            // Woken (or the doorbell rang before we slept) and found nothing: another waiter was
            // quicker. Sleep again at once rather than spin. A timeout ends at the loop's top.
            sleepAgain = slept != Futex.TIMED_OUT || System.nanoTime() - deadline < 0;
        }
    }
}
