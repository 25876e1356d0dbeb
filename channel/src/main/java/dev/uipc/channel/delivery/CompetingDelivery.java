package dev.uipc.channel.delivery;

import dev.uipc.channel.ChannelException;
import dev.uipc.channel.layout.DeliveryWord;
import dev.uipc.channel.layout.MessageDescriptor;
import dev.uipc.channel.layout.SubscriberDescriptor;
import dev.uipc.channel.memory.ChannelMemory;
import dev.uipc.channel.waiting.RingDirectory;
import dev.uipc.channel.memory.ControlHeader;
import dev.uipc.uring.Errno;

/**
 * Unicast and multicast: each message goes to exactly one receiver, which takes it by
 * compare-and-set on its delivery word ({@code docs/LAYOUT.md} section 4). What the two share:
 * the consumer head below which everything is finished, a message addressed to one receiver
 * (targeted by its sender, or assigned by multicast), and what happens when that receiver
 * leaves — a targeted message is dropped, an assigned one is offered to everyone.
 */
public abstract sealed class CompetingDelivery extends DeliveryMode permits Unicast, Multicast {
    CompetingDelivery(ChannelMemory memory, RingDirectory rings) {
        super(memory, rings);
    }

    @Override
    public void checkTarget(int target) {
        if (!rows.isActive(target, SubscriberDescriptor.RECV)) {
            throw new ChannelException(Errno.ENOENT, "channel " + memory.id() + " has no attached receiver with "
                    + "subscriber id " + target + "; it may have detached");
        }
    }

    /**
     * Advances the consumer head past every finished position, settling on the way messages
     * whose target has left.
     */
    @Override
    long lowestNeeded() {
        long head = control.consumerHeadAcquire();
        long end = Math.min(ring.tailAcquire(), head + entries);
        long h = head;
        while (h < end) {
            long word = words.wordAcquire(h);
            if (words.isFinished(word, h)) {
                h++;
            } else if (!settleIfTargetGone(h, word)) {
                break;
            }
        }
        while (h > head) {
            if (control.compareAndSetConsumerHead(head, h)) {
                break;
            }
            head = control.consumerHeadAcquire();
        }
        return Math.max(h, head);
    }

    @Override
    void wakeReceivers(int target, int rotation) {
        if (target != 0) {
            doorbells.wakeReceiver(target, rotation);
        } else {
            doorbells.wakeOneReceiver(rotation);
        }
    }

    @Override
    public void join(int index) {
        rows.publishSearchPosition(index, control.consumerHeadAcquire());
        rows.activateRelease(index);
    }

    @Override
    public Receiver newReceiver(int index, int id) {
        return new CompetingReceiver(this, index, id);
    }

    /**
     * If {@code position} holds a committed, OPEN message for a target that is no longer
     * attached: drops it (TARGETED), or offers it to every receiver (ASSIGNED by multicast).
     * Returns whether its delivery word changed, so that the caller looks at it again.
     */
    boolean settleIfTargetGone(long position, long word) {
        if (words.stateOf(word, position) != DeliveryWord.OPEN || !slots.isCommittedAcquire(position)
                || !slots.isAddressed(position)
                || rows.isActive(slots.target(position), SubscriberDescriptor.RECV)) {
            return false;
        }
        settle(position, word);
        return true;
    }

    /** Drops a targeted message or offers an assigned one to everyone: its receiver is gone. */
    private void settle(long position, long word) {
        if ((slots.flags(position) & MessageDescriptor.TARGETED) != 0) {
            if (words.tryDrop(position, word)) {
                control.increment(ControlHeader.Counter.DROPPED);
            }
        } else if (words.tryOfferToAnyone(position, word)) {
            control.increment(ControlHeader.Counter.REDELIVERED);
            offeredAgain();
        }
    }

    /**
     * A message became takeable by anyone again: receivers restart their searches (they may have
     * passed it) and one sleeping receiver is woken for it.
     */
    void offeredAgain() {
        control.advanceRedeliveryEpochFullFence();
        if (control.anyWaitingFullFence(ControlHeader.Waiters.RECEIVERS)) {
            doorbells.wakeOneReceiver(0);
        }
    }

    /**
     * Messages the departed receiver had taken and not finished go back to everyone (it died
     * inside a receive); committed messages addressed to it are settled now, so that its death
     * strands nothing until some producer happens to find the ring full. Messages still being
     * written for it are settled by whichever receiver or producer meets them next.
     */
    @Override
    void releaseDeparted(int index, int id) {
        long head = control.consumerHeadAcquire();
        long end = Math.min(ring.tailAcquire(), head + entries);
        for (long q = head; q < end; q++) {
            long word = words.wordAcquire(q);
            if (words.isTakenBy(word, q, index)) {
                if (words.tryOfferToAnyone(q, word)) {
                    control.increment(ControlHeader.Counter.REDELIVERED);
                    offeredAgain();
                }
            } else if (words.stateOf(word, q) == DeliveryWord.OPEN && slots.isCommittedAcquire(q)
                    && slots.isAddressed(q) && slots.target(q) == id) {
                settle(q, word);
            }
        }
    }

    @Override
    public long head(long tail) {
        return control.consumerHeadAcquire();
    }

    @Override
    public long queued(long tail) {
        long head = control.consumerHeadAcquire();
        long queued = 0;
        for (long q = head, end = Math.min(tail, head + entries); q < end; q++) {
            if (!words.isFinished(words.wordAcquire(q), q)) {
                queued++;
            }
        }
        return queued;
    }

    @Override
    public long lag(int index, long tail) {
        return 0;
    }
}
