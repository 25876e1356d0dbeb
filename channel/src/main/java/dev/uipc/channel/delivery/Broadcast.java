package dev.uipc.channel.delivery;

import dev.uipc.channel.ChannelException;
import dev.uipc.channel.Mode;
import dev.uipc.channel.layout.SubscriberDescriptor;
import dev.uipc.channel.memory.ControlHeader;
import dev.uipc.channel.memory.ChannelMemory;
import dev.uipc.channel.waiting.RingDirectory;
import dev.uipc.uring.Errno;

/**
 * Broadcast: every receiver reads every message, written once into the ring, each at its own
 * cursor; the slowest receiver holds producers back (the RFC's rule), a receiver joining late
 * starts at the current tail, and a departed one holds nobody back
 * ({@code docs/LAYOUT.md} section 4).
 */
public final class Broadcast extends DeliveryMode {
    Broadcast(ChannelMemory memory, RingDirectory rings) {
        super(memory, rings);
    }

    @Override
    public Mode mode() {
        return Mode.BROADCAST;
    }

    @Override
    public void checkTarget(int target) {
        throw new ChannelException(Errno.EINVAL, "channel " + memory.id() + " broadcasts every message to every "
                + "receiver; a target is for unicast and multicast channels");
    }

    /**
     * The slowest member receiver's cursor. The tail is read before the rows, so a receiver
     * that joins after this scan starts at or after that tail, and the limit computed from it
     * cannot overrun the joiner.
     */
    @Override
    long lowestNeeded() {
        long min = ring.tailAcquire();
        for (int index = 0; index < rows.rows(); index++) {
            if (rows.isMember(index, SubscriberDescriptor.RECV)) {
                min = Math.min(min, rows.cursorAcquire(index));
            }
        }
        return min;
    }

    @Override
    void wakeReceivers(int target, int rotation) {
        doorbells.wakeAll(SubscriberDescriptor.RECV);
    }

    /**
     * Counted from here with its cursor at the tail as it is now; ACTIVE is visible BEFORE it
     * reads the tail again and starts there: a producer that did not count it read the tail
     * before, so cannot have claimed past its start. Moving the cursor to its start may give
     * room to a sender that found the first cursor the lowest and went to sleep: no receiver's
     * finish would wake it (only one that held senders back wakes them, section 5), so the join
     * does, after a full fence.
     */
    @Override
    public void join(int index) {
        rows.advanceCursorRelease(index, ring.tailAcquire());
        rows.activateFullFence(index);
        rows.advanceCursorRelease(index, ring.tailAcquire());
        if (control.anyWaitingFullFence(ControlHeader.Waiters.SENDERS)) {
            doorbells.wakeAll(SubscriberDescriptor.SEND);
        }
    }

    @Override
    public Receiver newReceiver(int index, int id) {
        return new BroadcastReceiver(this, index, id);
    }

    /** A departed receiver took nothing from anyone; its freed row's cursor holds no producer back. */
    @Override
    void releaseDeparted(int index, int id) {
    }

    @Override
    public long head(long tail) {
        return lowestNeeded();
    }

    @Override
    public long queued(long tail) {
        return Math.max(0, tail - lowestNeeded());
    }

    @Override
    public long lag(int index, long tail) {
        return Math.max(0, tail - rows.cursorAcquire(index));
    }
}
