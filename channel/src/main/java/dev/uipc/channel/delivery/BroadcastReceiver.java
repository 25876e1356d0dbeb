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

    BroadcastReceiver(Broadcast broadcast, int index, int id) {
        super(broadcast, index, id, false);
        this.cursor = broadcast.rows.cursorAcquire(index);
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
                advanceTo(c + 1);                      // its producer died or aborted: pass over it
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

    private void advanceTo(long position) {
        cursor = position;
        mode.rows.advanceCursorRelease(index, position);
    }
}
