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
 * the kernel does not sleep; then it wakes the sleeper: by a completion posted into its loop's
 * io_uring if it published one this process can reach (MSG_RING), else by futex. Nothing here
 * runs unless a waiting count said someone sleeps.
 *
 * <p>Not thread-safe, like the subscriber it belongs to; the broker's has no ring doorbells.
 */
public final class Doorbells implements AutoCloseable {
    private final SubscriberTable rows;
    private final ControlHeader control;
    private final MemorySegment ctl;
    /** Rings of rows that published one; null where wakes are by futex only (the broker's). */
    private final RingDoorbells rings;
    // One batch of wakes, a slot per row, so that gathering allocates nothing: the doorbells to
    // wake by futex, and the rows to wake by ring with their rings, tokens and results.
    private final long[] futexBatch;
    private final int[] ringBatchRows;
    private final int[] ringBatchFds;
    private final long[] ringBatchTokens;
    private final int[] ringBatchResults;

    /** Doorbells rung by futex only. */
    public Doorbells(ChannelMemory memory) {
        this(memory, null);
    }

    /** Doorbells that post to a subscriber's ring where {@code directory} says it has one. */
    public Doorbells(ChannelMemory memory, RingDirectory directory) {
        this.rows = memory.subscribers();
        this.control = memory.control();
        this.ctl = memory.controlSegment();
        this.rings = directory == null ? null : new RingDoorbells(rows, directory);
        int n = rows.rows();
        this.futexBatch = new long[n];
        this.ringBatchRows = directory == null ? null : new int[n];
        this.ringBatchFds = directory == null ? null : new int[n];
        this.ringBatchTokens = directory == null ? null : new long[n];
        this.ringBatchResults = directory == null ? null : new int[n];
    }

    /** Wakes row {@code index}, for {@code accessBit} (a message, or room), if it is parked; returns whether it was. */
    public boolean wake(int index, int accessBit) {
        if (!rows.tryChooseToWake(index)) {
            return false;
        }
        rows.ringDoorbell(index);
        int ring = rings != null && WakeRing.available() ? rings.ringOf(index) : -1;
        if (ring < 0 || !rings.posted(index, WakeRing.post(ring, accessBit, rings.tokenOf(index)))) {
            Futex.wake(ctl, SubscriberTable.doorbellOffset(index), Integer.MAX_VALUE);
        }
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
            wake(index, SubscriberDescriptor.RECV);
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
            if (rows.isParkedOpaque(index, SubscriberDescriptor.RECV) && wake(index, SubscriberDescriptor.RECV)) {
                return;
            }
        }
    }

    /**
     * Wakes every parked row with {@code accessBit}: all receivers, or all senders waiting for
     * room. Several at once are woken as one batch of io_uring submissions — FUTEX_WAKEs, and
     * MSG_RINGs to the rows with rings — entered with one system call, rather than a futex
     * system call each.
     */
    public void wakeAll(int accessBit) {
        wakeAll(accessBit, false);
    }

    /**
     * {@link #wakeAll}, and with {@code alsoChosen} also every row a waker chose (WAKING) but may
     * not have woken: a waker killed between choosing a row and its futex wake leaves the sleeper
     * asleep and, since only PARKED rows can be chosen, beyond every later waker's reach.
     */
    private void wakeAll(int accessBit, boolean alsoChosen) {
        boolean useRing = WakeRing.available();
        int byFutex = 0;
        int byRing = 0;
        for (int index = 0; index < rows.rows(); index++) {
            if (alsoChosen && rows.isChosenOpaque(index, accessBit)) {
                rows.ringDoorbell(index);            // whoever chose it may be dead: wake it again
                futexBatch[byFutex++] = SubscriberTable.doorbellOffset(index);
            } else if (rows.isParkedOpaque(index, accessBit) && rows.tryChooseToWake(index)) {
                rows.ringDoorbell(index);
                int ring = rings != null && useRing ? rings.ringOf(index) : -1;
                if (ring >= 0) {
                    ringBatchRows[byRing] = index;
                    ringBatchFds[byRing] = ring;
                    ringBatchTokens[byRing++] = rings.tokenOf(index);
                } else {
                    futexBatch[byFutex++] = SubscriberTable.doorbellOffset(index);
                }
            }
        }
        if (byFutex + byRing == 0) {
            return;
        }
        if (byRing > 0) {
            WakeRing.post(ringBatchFds, ringBatchTokens, ringBatchResults, byRing, accessBit, ctl, futexBatch, byFutex);
            for (int i = 0; i < byRing; i++) {
                int index = ringBatchRows[i];
                if (!rings.posted(index, ringBatchResults[i])) {
                    Futex.wake(ctl, SubscriberTable.doorbellOffset(index), Integer.MAX_VALUE);
                }
            }
        } else if (byFutex >= WakeRing.THRESHOLD && useRing) {
            WakeRing.wake(ctl, futexBatch, byFutex);
        } else {
            for (int i = 0; i < byFutex; i++) {
                Futex.wake(ctl, futexBatch[i], Integer.MAX_VALUE);
            }
        }
        control.add(ControlHeader.Counter.WAKES, byFutex + byRing);
    }

    /**
     * Wakes every parked subscriber, and every one a waker chose but may not have woken: the
     * channel was destroyed, a peer was reaped (it may have died half-way through a wake), or a
     * slot skipped. Rare, so waking a subscriber that a live waker is about to wake as well costs
     * nothing that matters: it looks once more.
     */
    public void wakeEveryone() {
        wakeAll(SubscriberDescriptor.RECV | SubscriberDescriptor.SEND, true);
    }

    /** Lets go of the rings taken from other processes. */
    @Override
    public void close() {
        if (rings != null) {
            rings.close();
        }
    }
}
