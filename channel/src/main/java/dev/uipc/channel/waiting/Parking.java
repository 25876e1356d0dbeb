package dev.uipc.channel.waiting;

import dev.uipc.channel.memory.ChannelMemory;
import dev.uipc.channel.memory.ControlHeader;
import dev.uipc.channel.memory.SubscriberTable;

import java.lang.foreign.MemorySegment;

/**
 * A subscriber's side of the Dekker pair of {@code docs/LAYOUT.md} section 5: announcing that
 * it is about to sleep on its doorbell, and withdrawing the announcement when it runs again.
 * Between the two, the caller looks once more for what it waits for, and sleeps only if it
 * found nothing — by the futex system call ({@link Waiter}), or by an io_uring FUTEX_WAIT that
 * stays in flight while the thread serves other work (the completion loop).
 */
public final class Parking {
    private final SubscriberTable rows;
    private final ControlHeader control;
    private final MemorySegment ctl;
    private final int index;

    public Parking(ChannelMemory memory, int index) {
        this.rows = memory.subscribers();
        this.control = memory.control();
        this.ctl = memory.controlSegment();
        this.index = index;
    }

    /**
     * Reads the doorbell, marks the row PARKED, and counts it among the waiting receivers and/or
     * senders (atomic adds: full fences). Everything the caller looks at after this is seen
     * after any peer that publishes, fences and reads the counts sees us.
     *
     * @return the doorbell value to sleep on: sleep only while it still holds it
     */
    public int announce(boolean receiving, boolean sending) {
        int v = rows.doorbellAcquire(index);
        rows.announceParkedRelease(index);
        if (receiving) {
            control.addWaitersFullFence(ControlHeader.Waiters.RECEIVERS, 1);
        }
        if (sending) {
            control.addWaitersFullFence(ControlHeader.Waiters.SENDERS, 1);
        }
        return v;
    }

    /**
     * Runs again: the row says RUNNING and the counts drop. Returns whether a waker had chosen
     * this row meanwhile (its wake was spent here).
     */
    public boolean withdraw(boolean receiving, boolean sending) {
        boolean chosen = rows.leaveParked(index);
        if (receiving) {
            control.addWaitersFullFence(ControlHeader.Waiters.RECEIVERS, -1);
        }
        if (sending) {
            control.addWaitersFullFence(ControlHeader.Waiters.SENDERS, -1);
        }
        return chosen;
    }

    /** The memory holding the doorbell: the futex word to wait on is at {@link #doorbellOffset()}. */
    public MemorySegment doorbellMemory() {
        return ctl;
    }

    public long doorbellOffset() {
        return SubscriberTable.doorbellOffset(index);
    }
}
