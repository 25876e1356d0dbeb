package dev.uipc.channel.waiting;

/**
 * What a {@link Waiter} waits for: one look at the channel, repeated until it is ready. A send
 * waiting for room and a receive waiting for a message are both attempts.
 */
public interface Attempt {
    /** One look: a result to return (a byte count, or a status that ends the wait), or the waiter's not-ready code. */
    int attempt();

    /**
     * The longest the waiter may sleep before looking again without being woken:
     * {@code Long.MAX_VALUE} when every change it waits for rings its doorbell.
     */
    default long sleepLimitNanos() {
        return Long.MAX_VALUE;
    }

    /**
     * Whether the last look, finding nothing ready, found what it waits for being written by a
     * peer at that moment (a message claimed, not yet committed). Looking again at once would
     * take the slot's cache line back from the writer before it finishes, and so delay the very
     * commit the look waits for: a spinning waiter pauses a little first.
     */
    default boolean peerIsWriting() {
        return false;
    }

    /**
     * A waker chose this waiter while it was about to sleep, and the look that followed found
     * what it wanted anyway: the wake may have been meant for another waiter, so wake one.
     */
    default void passOnWake() {
    }
}
