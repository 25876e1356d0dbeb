package dev.uipc.channel.delivery;

/**
 * How this process learns that a peer died. Either deaths are pushed — whoever sees them reaps
 * the dead peer's rows and rings the doorbells of those it concerns, so a waiter sleeps until
 * woken — or they are polled: a subscriber held up by a peer (a slot claimed and never
 * committed, a message taken and never finished, a full ring) asks now and then whether that
 * peer is gone, and so must not sleep longer than {@link #pollNanos()} while held up.
 */
public interface PeerLiveness {
    /** How long a held-up subscriber may sleep before it asks again; {@code Long.MAX_VALUE} if deaths are pushed. */
    long pollNanos();

    /** Asks whether a peer died, if that is due (rate-limited); reaps it; returns whether anyone was reaped. */
    boolean checkIfDue();

    /** Deaths are pushed to this process: nothing to ask. */
    PeerLiveness PUSHED = new PeerLiveness() {
        @Override
        public long pollNanos() {
            return Long.MAX_VALUE;
        }

        @Override
        public boolean checkIfDue() {
            return false;
        }

        @Override
        public String toString() {
            return "PeerLiveness.PUSHED";
        }
    };
}
