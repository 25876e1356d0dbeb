package dev.uipc.channel;

import dev.uipc.channel.layout.ControlFileDescriptor;
import dev.uipc.channel.layout.DeliveryWord;
import dev.uipc.channel.layout.MessageDescriptor;
import dev.uipc.channel.layout.SubscriberDescriptor;

import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Receiving on a unicast or multicast channel: each message goes to exactly one receiver.
 * Receivers compete for a message by compare-and-set on its delivery word; a targeted (or
 * multicast-assigned) message can only be taken by its target. The search stops at the first
 * message still being written, so each receiver sees its messages in claim order.
 */
final class SharedConsumer extends Consumer {
    /** Where the next search starts: every position below it is finished or not ours. */
    private long scan;
    private int seenRedeliveryEpoch;

    SharedConsumer(MappedChannel ch, int id, Reaper reaper) {
        super(ch, id, reaper);
        this.seenRedeliveryEpoch = (int) Words.INT.getAcquire(ch.ctl, ControlFileDescriptor.REDELIVERY_EPOCH_OFFSET);
        this.scan = (long) Words.LONG.getAcquire(ch.ctl, ControlFileDescriptor.CONSUMER_HEAD_OFFSET);
    }

    /** Whether the message held between {@link #take} and {@link #finish} was offered again. */
    private boolean heldRedelivered;

    @Override
    long take() {
        MemorySegment ring = ch.ring;
        MemorySegment ctl = ch.ctl;
        // Neither the tail nor the consumer head is read here while messages flow: producers
        // write both, and reading them on every receive would pull their cache lines over.
        // A slot's sequence says whether it holds a committed message for position q.
        int epoch = (int) Words.INT.getAcquire(ctl, ControlFileDescriptor.REDELIVERY_EPOCH_OFFSET);
        if (epoch != seenRedeliveryEpoch) {
            seenRedeliveryEpoch = epoch;       // something behind us became takeable again
            scan = (long) Words.LONG.getAcquire(ctl, ControlFileDescriptor.CONSUMER_HEAD_OFFSET);
        }
        long takenByOther = -1;                // a message another receiver is copying
        for (long q = scan, end = scan + ch.entries; q < end; q++) {
            long d = ch.descriptor(q);
            long wordOffset = ch.deliveryWord(q);
            int lap = ch.lap(q);
            long seq = (long) Words.LONG.getAcquire(ring, d + MessageDescriptor.SEQUENCE);
            long word = (long) Words.LONG.getAcquire(ctl, wordOffset);
            if (seq != MessageDescriptor.committed(q)) {
                if (DeliveryWord.finished(word, lap)) {        // skipped: its producer died
                    if (q == scan) {
                        scan++;
                    }
                    continue;
                }
                long head = (long) Words.LONG.getAcquire(ctl, ControlFileDescriptor.CONSUMER_HEAD_OFFSET);
                if (q < head) {                                 // we fell behind; everything below head is finished
                    scan = head;
                    q = head - 1;
                    end = head + ch.entries;
                    continue;
                }
                if (q < ch.tail()) {
                    blockedOn(q);                               // claimed, not yet committed
                    return ch.destroyed() && !blocked() ? Status.CLOSED : Status.EMPTY;
                }
                break;                                          // nothing more has been sent
            }
            int state = DeliveryWord.stateFor(word, lap);
            boolean redelivered = state == DeliveryWord.OPEN_ANY;
            if (state == DeliveryWord.OPEN && !forUs(d)) {
                if (Consumer.settleAbandonedTarget(ch, q, word)) {
                    q--;                                        // its word changed: look again
                }
                continue;
            }
            if (state != DeliveryWord.OPEN && !redelivered) {
                if (q == scan && DeliveryWord.finished(word, lap)) {
                    scan++;
                } else if (state == DeliveryWord.TAKEN && takenByOther < 0) {
                    takenByOther = q;
                }
                continue;                                       // taken, finished, or not ours
            }
            if (!Words.LONG.compareAndSet(ctl, wordOffset, word, DeliveryWord.encode(lap, DeliveryWord.TAKEN, index))) {
                q--;                                            // another receiver moved first: look again
                continue;
            }
            if (q == scan) {
                scan++;
            }
            unblocked();
            heldRedelivered = redelivered;
            return q;
        }
        if (takenByOther >= 0) {
            blockedOn(takenByOther);        // if its taker died, it comes back once reaped
        } else {
            unblocked();
        }
        return ch.destroyed() ? Status.CLOSED : Status.EMPTY;
    }

    @Override
    void describeHeld(long p, int copied, MessageInfo info) {
        describe(p, copied, info, heldRedelivered);
    }

    @Override
    boolean release(long p) {
        // NOTE: the copy is complete BEFORE DONE hands the slot back to producers.
        Words.LONG.setRelease(ch.ctl, ch.deliveryWord(p), DeliveryWord.encode(ch.lap(p), DeliveryWord.DONE, index));
        ch.ctl.set(JAVA_LONG, row + SubscriberDescriptor.CURSOR, scan);     // where we stand, for observers
        released();
        return true;
    }

    /** Whether an OPEN message may be taken by this subscriber. */
    private boolean forUs(long descriptor) {
        int flags = ch.ring.get(JAVA_INT, descriptor + MessageDescriptor.FLAGS);
        return (flags & (MessageDescriptor.TARGETED | MessageDescriptor.ASSIGNED)) == 0
                || ch.ring.get(JAVA_INT, descriptor + MessageDescriptor.TARGET) == id;
    }

}
