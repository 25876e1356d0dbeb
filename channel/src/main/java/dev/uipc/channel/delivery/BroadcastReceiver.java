package dev.uipc.channel.delivery;

import dev.uipc.channel.Outcome;
import dev.uipc.channel.layout.MessageDescriptor;
import dev.uipc.channel.memory.ControlHeader;

/**
 * Receiving on a broadcast channel: every receiver reads every message at its own cursor, and
 * producers never overwrite a slot a member receiver has not passed.
 */
final class BroadcastReceiver extends Receiver {
    private long cursor;
    /**
     * Where {@link #cursor} stood when {@link #mayHaveMadeRoom} was last asked, or when this
     * receiver last found no sender waiting.
     */
    private long askedAt;

    BroadcastReceiver(Broadcast broadcast, int index, int id) {
        super(broadcast, index, id, false);
        this.cursor = broadcast.rows.cursorAcquire(index);
        this.askedAt = cursor;
    }

    @Override
    public long take() {
        for (;;) {
            long c = cursor;
            long seq = mode.slots.sequenceAcquire(c);
            if (seq == MessageDescriptor.committed(c)) {
                sawWriting = false;
                return c;
            }
            if (mode.words.isSkipped(mode.words.wordAcquire(c), c)) {
                passOverSkipped(c);                    // its producer died or aborted
                continue;
            }
            // Claimed and being written, or not yet claimed: nothing for us yet. The tail is not
            // read to tell which (producers write it on every claim, and a receiver reading it on
            // every look takes its cache line away from them); only a destroyed channel needs to
            // know, to say it is drained.
            if (mode.control.isDestroyedOpaque() && c >= mode.ring.tailAcquire()) {
                return Outcome.CLOSED;
            }
            sawWriting = seq == MessageDescriptor.claimed(c);
            return Outcome.EMPTY;
        }
    }

    @Override
    public boolean heldRedelivered() {
        return false;
    }

    @Override
    boolean releaseSlot(long position) {
        if (!mode.slots.isStillCommittedAfterReads(position)) {
            // Overwritten under us: producers never pass a member receiver, so only tampered
            // memory does this. Count it and go on from the newest message.
            mode.control.increment(ControlHeader.Counter.LAPPED);
            advanceTo(mode.ring.tailAcquire());
            return false;
        }
        advanceTo(position + 1);
        return true;
    }

    /**
     * Only a receiver that held the senders back can give them room. A producer may claim
     * {@code p} only while {@code p < lowest cursor + entries}, so no cursor is ever below
     * {@code tail - entries}, and a sender waiting for room waits for the lowest cursor to pass
     * {@code tail - entries}. This receiver's cursor went from {@link #askedAt} (where it stood
     * when last asked, or when no sender waited) to {@link #cursor}; it passed that bound only if
     * {@code askedAt + entries <= tail}. A receiver further ahead was not the slowest, and waking
     * the sender would only make it look, find the ring still full and sleep again: with many
     * receivers, nearly every finish while a sender waited did that, and those wakes took the CPU
     * the slowest receiver needed. Asking from where the cursor stood when last asked (not from
     * the slot just finished) counts every move since — slots passed over, messages discarded —
     * so no move that gave room goes unanswered.
     */
    @Override
    boolean mayHaveMadeRoom() {
        long from = askedAt;
        askedAt = cursor;
        return from + mode.entries <= mode.ring.tailAcquire();
    }

    @Override
    void noSenderWaiting() {
        askedAt = cursor;
    }

    /** Broadcast holds nothing: finding is taking. */
    @Override
    public long find() {
        return take();
    }

    /** As {@link #releaseSlot}: the copy stands if the slot still holds the message after it. */
    @Override
    boolean finishCopiedSlot(long position) {
        return releaseSlot(position);
    }

    /**
     * Moves past a slot whose producer died or aborted. Like finishing a message, this may give a
     * waiting sender its room ({@link #mayHaveMadeRoom}): the cursor is visible BEFORE the look
     * for waiting senders (a full fence, the Dekker pair of section 5).
     */
    private void passOverSkipped(long position) {
        advanceTo(position + 1);
        wakeSendersGivenRoom(false);
    }

    private void advanceTo(long position) {
        cursor = position;
        mode.rows.advanceCursorRelease(index, position);
    }
}
