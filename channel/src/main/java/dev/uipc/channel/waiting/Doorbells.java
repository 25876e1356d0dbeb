package dev.uipc.channel.waiting;

import dev.uipc.channel.layout.SubscriberDescriptor;
import dev.uipc.channel.memory.ChannelMemory;
import dev.uipc.channel.memory.ControlHeader;
import dev.uipc.channel.memory.SubscriberTable;
import dev.uipc.uring.Futex;

import java.lang.foreign.MemorySegment;

/**
 * Waking parked subscribers ({@code docs/LAYOUT.md} section 5). A waker first picks a parked row
 * ({@link SubscriberTable#tryChooseToWake}), so that two wakers wake two different sleepers; then
 * it rings the row's doorbell, so that a sleeper that read the old value but has not yet entered
 * the kernel does not sleep; then it makes the futex system call. Nothing here runs unless a
 * waiting count said someone sleeps.
 */
public final class Doorbells {
    private final SubscriberTable rows;
    private final ControlHeader control;
    private final MemorySegment ctl;
    /** The doorbells chosen for one batch of wakes: one slot per row, so gathering allocates nothing. */
    private final long[] batch;

    public Doorbells(ChannelMemory memory) {
        this.rows = memory.subscribers();
        this.control = memory.control();
        this.ctl = memory.controlSegment();
        this.batch = new long[rows.rows()];
    }

    /** Wakes row {@code index} if it is parked; returns whether it was. */
    public boolean wake(int index) {
        if (!rows.tryChooseToWake(index)) {
            return false;
        }
        rows.ringDoorbell(index);
        Futex.wake(ctl, SubscriberTable.doorbellOffset(index), Integer.MAX_VALUE);
        control.increment(ControlHeader.Counter.WAKES);
        return true;
    }

    /**
     * Wakes the receiver with id {@code target} if it is parked; if it is no longer attached,
     * wakes some other receiver instead, which will settle the message meant for it.
     */
    public void wakeReceiver(int target, int rotation) {
        int index = SubscriberDescriptor.index(target);
        if (index < rows.rows() && rows.id(index) == target && rows.stateAcquire(index) == SubscriberDescriptor.ACTIVE) {
            wake(index);
        } else {
            wakeOneReceiver(rotation);
        }
    }

    /** Wakes one parked receiver, searching from {@code rotation} so that wakes spread over them. */
    public void wakeOneReceiver(int rotation) {
        int n = rows.rows();
        int start = Math.floorMod(rotation, n);
        for (int i = 0; i < n; i++) {
            int index = start + i < n ? start + i : start + i - n;
            if (rows.isParkedOpaque(index, SubscriberDescriptor.RECV) && wake(index)) {
                return;
            }
        }
    }

    /**
     * Wakes every parked row with {@code accessBit}: all receivers, or all senders waiting for
     * room. Several at once are woken as one batch of io_uring FUTEX_WAKE submissions, entered
     * with one system call, rather than a futex system call each.
     */
    public void wakeAll(int accessBit) {
        int chosen = 0;
        for (int index = 0; index < rows.rows(); index++) {
            if (rows.isParkedOpaque(index, accessBit) && rows.tryChooseToWake(index)) {
                rows.ringDoorbell(index);
                batch[chosen++] = SubscriberTable.doorbellOffset(index);
            }
        }
        if (chosen == 0) {
            return;
        }
        if (chosen >= WakeBatch.THRESHOLD && WakeBatch.available()) {
            WakeBatch.wake(ctl, batch, chosen);
        } else {
            for (int i = 0; i < chosen; i++) {
                Futex.wake(ctl, batch[i], Integer.MAX_VALUE);
            }
        }
        control.add(ControlHeader.Counter.WAKES, chosen);
    }

    /** Wakes every parked subscriber: the channel was destroyed, a peer was reaped, or a slot skipped. */
    public void wakeEveryone() {
        wakeAll(SubscriberDescriptor.RECV | SubscriberDescriptor.SEND);
    }
}
