package dev.uipc.channel;

import dev.uipc.channel.layout.ControlFileDescriptor;
import dev.uipc.channel.layout.DeliveryWord;
import dev.uipc.channel.layout.MessageDescriptor;
import dev.uipc.channel.layout.SubscriberDescriptor;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;

/**
 * Receiving on a broadcast channel: every receiver reads every message, each at its own
 * cursor, and producers never overwrite a slot that a live receiver has not passed.
 */
final class BroadcastConsumer extends Consumer {
    private long cursor;

    BroadcastConsumer(MappedChannel ch, int id, Reaper reaper) {
        super(ch, id, reaper);
        this.cursor = (long) Words.LONG.getAcquire(ch.ctl, row + SubscriberDescriptor.CURSOR);
    }

    @Override
    long take() {
        for (;;) {
            long c = cursor;
            long seq = (long) Words.LONG.getAcquire(ch.ring, ch.descriptor(c) + MessageDescriptor.SEQUENCE);
            if (seq == MessageDescriptor.committed(c)) {
                unblocked();
                return c;
            }
            if (c < ch.tail()) {
                long word = (long) Words.LONG.getAcquire(ch.ctl, ch.deliveryWord(c));
                if (DeliveryWord.state(word) == DeliveryWord.SKIPPED && DeliveryWord.lap(word) == ch.lap(c)) {
                    advanceTo(c + 1);                           // its producer died: pass over it
                    continue;
                }
                blockedOn(c);
                return Status.EMPTY;
            }
            unblocked();
            return ch.destroyed() ? Status.CLOSED : Status.EMPTY;
        }
    }

    @Override
    void describeHeld(long p, int copied, MessageInfo info) {
        describe(p, copied, info, false);
    }

    @Override
    boolean release(long p) {
        // The copy's loads must complete BEFORE we check the slot still holds position p.
        VarHandle.acquireFence();
        if ((long) Words.LONG.getAcquire(ch.ring, ch.descriptor(p) + MessageDescriptor.SEQUENCE)
                != MessageDescriptor.committed(p)) {
            // Overwritten under us: producers never pass a live receiver, so only a tampered file
            // does this. Count it and go on from the newest message.
            ch.count(ControlFileDescriptor.LAPPED_COUNT_OFFSET);
            advanceTo(ch.tail());
            return false;
        }
        advanceTo(p + 1);
        released();
        return true;
    }

    private void advanceTo(long position) {
        cursor = position;
        // NOTE: the copy is complete BEFORE the cursor hands the slot back to producers.
        Words.LONG.setRelease(ch.ctl, row + SubscriberDescriptor.CURSOR, position);
    }
}
