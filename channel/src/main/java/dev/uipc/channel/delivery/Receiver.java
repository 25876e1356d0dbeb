package dev.uipc.channel.delivery;

import dev.uipc.channel.Outcome;
import dev.uipc.channel.memory.ControlHeader;

/**
 * The receiving half of a subscriber, one implementation per way of taking messages
 * ({@code docs/LAYOUT.md} section 4). {@link #take} finds the next message for this subscriber
 * and holds it, so its slot cannot be reused; the caller reads it in place or copies it out;
 * {@link #release} hands the slot back. Not thread-safe: one receiver per subscriber, one thread
 * at a time.
 */
public abstract sealed class Receiver permits CompetingReceiver, BroadcastReceiver {
    /** How long a receiver waits behind a peer before asking whether that peer died (polled liveness only). */
    static final long STUCK_NANOS = 1_000_000;

    final DeliveryMode mode;
    final int index;
    final int id;
    private final PeerLiveness liveness;
    private long received;

    /** The position at which the last search was held up by a peer, and since when; -1 for none. */
    private long heldUpAt = -1;
    private long heldUpSince;

    Receiver(DeliveryMode mode, int index, int id, PeerLiveness liveness) {
        this.mode = mode;
        this.index = index;
        this.id = id;
        this.liveness = liveness;
    }

    /**
     * Finds the next message for this subscriber and holds it.
     *
     * @return its position, {@link Outcome#EMPTY}, or {@link Outcome#CLOSED} once the channel is
     *         destroyed and drained
     */
    public abstract long take();

    /** Whether the message held now was offered again after its first taker (or assigned receiver) left. */
    public abstract boolean heldRedelivered();

    /** Hands the slot of {@code position} back; false if what was read there cannot be trusted (see implementations). */
    abstract boolean releaseSlot(long position);

    /**
     * Releases the message held at {@code position}: its slot may be reused. Counts it and wakes
     * senders waiting for room.
     *
     * @return false if what the caller read cannot be trusted (the slot was overwritten under
     *         it, which only a tampered memory does): the caller discards it
     */
    public final boolean release(long position) {
        if (!releaseSlot(position)) {
            return false;
        }
        mode.rows.publishReceived(index, ++received);
        if (mode.control.anyWaitingFullFence(ControlHeader.Waiters.SENDERS)) {
            mode.doorbells.wakeAll(dev.uipc.channel.layout.SubscriberDescriptor.SEND);
        }
        return true;
    }

    /** Releases a held message that cannot be delivered (its length is impossible), counting it as dropped. */
    public final void discard(long position) {
        releaseSlot(position);
        mode.control.increment(ControlHeader.Counter.DROPPED);
    }

    public final long received() {
        return received;
    }

    /**
     * The longest this receiver may sleep before looking again unwoken: unlimited, unless it is
     * held up by a peer whose death it would have to ask about itself.
     */
    public final long sleepLimitNanos() {
        long poll = liveness.pollNanos();
        return poll != Long.MAX_VALUE && heldUp() ? poll : Long.MAX_VALUE;
    }

    /**
     * Notes that the search was held up at {@code position} by a peer: a slot claimed and not
     * committed, a message another receiver took and has not finished, or one addressed to
     * another receiver. Held up at the same place for {@link #STUCK_NANOS}, it asks whether that
     * peer died (then its slot is skipped or its messages offered again). Costs a clock read
     * only while held up.
     */
    final void heldUpAt(long position) {
        long now = System.nanoTime();
        if (position != heldUpAt) {
            heldUpAt = position;
            heldUpSince = now;
        } else if (now - heldUpSince > STUCK_NANOS) {
            liveness.checkIfDue();
            heldUpSince = now;
        }
    }

    /** Whether the last search was held up by a peer. */
    final boolean heldUp() {
        return heldUpAt >= 0 && mode.ring.tailAcquire() > heldUpAt;
    }

    final void notHeldUp() {
        heldUpAt = -1;
    }

    /** Nothing for us now: CLOSED once the channel is destroyed and nothing is left in flight for us. */
    final long nothing() {
        return mode.control.isDestroyedOpaque() && !heldUp() ? Outcome.CLOSED : Outcome.EMPTY;
    }
}
