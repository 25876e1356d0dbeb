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
    final DeliveryMode mode;
    final int index;
    final int id;
    private long received;

    Receiver(DeliveryMode mode, int index, int id) {
        this.mode = mode;
        this.index = index;
        this.id = id;
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
}
