package dev.uipc.channel.delivery;

import dev.uipc.channel.Outcome;
import dev.uipc.channel.layout.SubscriberDescriptor;
import dev.uipc.channel.memory.ControlHeader;

/**
 * The receiving half of a subscriber, one implementation per way of taking messages
 * ({@code docs/LAYOUT.md} section 4). {@link #take} finds the next message for this subscriber
 * and holds it, so its slot cannot be reused; the caller reads it in place or copies it out;
 * {@link #release} hands the slot back. A caller that copies the message out may instead
 * {@link #find} it without holding it, copy it, and {@link #finishCopied finish} it: one
 * read-modify-write per message where taking and releasing make two. Not thread-safe: one
 * receiver per subscriber, one thread at a time.
 */
public abstract sealed class Receiver permits CompetingReceiver, BroadcastReceiver {
    final DeliveryMode mode;
    final int index;
    final int id;
    /** Whether the last search stopped at a message claimed and not yet committed. */
    boolean sawWriting;
    /** Whether {@link #finishCopiedSlot} publishes by a read-modify-write, itself a full fence. */
    private final boolean finishIsAtomic;
    private long received;

    Receiver(DeliveryMode mode, int index, int id, boolean finishIsAtomic) {
        this.mode = mode;
        this.index = index;
        this.id = id;
        this.finishIsAtomic = finishIsAtomic;
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
     * Finds the next message for this subscriber, as {@link #take} does, without holding it: the
     * caller copies it out (reading nothing it cannot discard) and then calls
     * {@link #finishCopied}, which says whether the copy stands.
     *
     * @return its position, {@link Outcome#EMPTY}, or {@link Outcome#CLOSED}
     */
    public abstract long find();

    /**
     * Finishes the message {@link #find} found at {@code position}, which the caller has copied
     * out; false if the copy must be discarded (see implementations).
     */
    abstract boolean finishCopiedSlot(long position);

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
        wakeSendersGivenRoom(false);
        return true;
    }

    /**
     * After this receiver finished or passed over a slot (visible already), wakes the senders
     * waiting for room if it may have given them some. The look for waiting senders comes AFTER
     * the finish: a full fence, unless {@code afterAtomic} says the finish was itself an atomic
     * read-modify-write (section 5's Dekker pair).
     */
    final void wakeSendersGivenRoom(boolean afterAtomic) {
        if (!(afterAtomic ? mode.control.anyWaitingAfterAtomic(ControlHeader.Waiters.SENDERS)
                : mode.control.anyWaitingFullFence(ControlHeader.Waiters.SENDERS))) {
            noSenderWaiting();
        } else if (mayHaveMadeRoom()) {
            mode.doorbells.wakeAll(SubscriberDescriptor.SEND);
        }
    }

    /**
     * Whether what this receiver finished since it was last asked (or last found no sender
     * waiting) may have given a sender waiting for room its room; asked only while some sender
     * waits. A false answer must be certain: a sender it leaves asleep must have no room.
     */
    boolean mayHaveMadeRoom() {
        return true;
    }

    /**
     * No sender was waiting when this receiver looked, after its last finish: a sender that
     * starts to wait later sees that finish when it looks for room, so it need not be counted.
     */
    void noSenderWaiting() {
    }

    /**
     * Finishes the message {@link #find} found at {@code position} once the caller has copied it
     * out: its slot may be reused. Counts it and wakes senders waiting for room.
     *
     * @return false if the copy must be discarded: another receiver took the message first, or
     *         (broadcast) the slot was overwritten under it; the caller finds the next one
     */
    public final boolean finishCopied(long position) {
        if (!finishCopiedSlot(position)) {
            return false;
        }
        mode.rows.publishReceived(index, ++received);
        wakeSendersGivenRoom(finishIsAtomic);
        return true;
    }

    /** Finishes a message {@link #find} found that cannot be delivered (its length is impossible), counting it as dropped. */
    public final void discardFound(long position) {
        if (finishCopiedSlot(position)) {
            mode.control.increment(ControlHeader.Counter.DROPPED);
            wakeSendersGivenRoom(finishIsAtomic);
        }
    }

    /** Releases a held message that cannot be delivered (its length is impossible), counting it as dropped. */
    public final void discard(long position) {
        releaseSlot(position);
        mode.control.increment(ControlHeader.Counter.DROPPED);
        wakeSendersGivenRoom(false);
    }

    /**
     * Whether the last {@link #take} or {@link #find} found nothing because the message it
     * stopped at was claimed and is being written now.
     */
    public final boolean sawWriting() {
        return sawWriting;
    }

    public final long received() {
        return received;
    }
}
