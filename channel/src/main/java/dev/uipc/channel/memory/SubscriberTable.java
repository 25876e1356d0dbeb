package dev.uipc.channel.memory;

import dev.uipc.channel.layout.ControlFileDescriptor;
import dev.uipc.channel.layout.SubscriberDescriptor;

import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The subscriber table of the control file: one 128-byte row per subscriber, named by its index
 * ({@code docs/LAYOUT.md} section 3). The first cache line says who the subscriber is (written
 * when it joins and leaves); the second what it is doing (its cursor, doorbell, waiting flag and
 * claim, written by itself, and its doorbell and waiting flag by whoever wakes it).
 *
 * <p>A row's life: FREE, {@link #tryReserve reserved} (JOINING), identity written,
 * {@link #activateRelease ACTIVE}; then {@link #tryBeginLeaving LEAVING} while what it held is
 * recovered, and {@link #freeRelease FREE} again. The {@code waiting} word: RUNNING,
 * {@link #announceParkedRelease PARKED}, {@link #tryChooseToWake WAKING} when a waker picked it.
 *
 * <p>Every index comes from this process or is bounds-checked by {@link #isActive}: an id read
 * from shared memory may be anything.
 */
public final class SubscriberTable {
    private final MemorySegment ctl;
    private final int rows;

    SubscriberTable(MemorySegment ctl, int rows) {
        this.ctl = ctl;
        this.rows = rows;
    }

    private static long row(int index) {
        return ControlFileDescriptor.subscriberOffset(index);
    }

    /** How many rows there are: the channel's maximum number of subscribers. */
    public int rows() {
        return rows;
    }

    // --- membership ----------------------------------------------------------------------------

    public int stateAcquire(int index) {
        return (int) Words.INT.getAcquire(ctl, row(index) + SubscriberDescriptor.STATE);
    }

    /** Takes a FREE row for a joining subscriber (JOINING): it is not yet counted as a receiver. */
    public boolean tryReserve(int index) {
        return stateAcquire(index) == SubscriberDescriptor.FREE
                && Words.INT.compareAndSet(ctl, row(index) + SubscriberDescriptor.STATE, SubscriberDescriptor.FREE,
                SubscriberDescriptor.JOINING);
    }

    /**
     * Writes the identity of a reserved row's new occupant and resets its working words; returns
     * its id. Plain stores: {@link #activateRelease} publishes them.
     */
    public int writeIdentity(int index, int access, int pid, long startTime, int uid, int gid, long attachedMillis) {
        long r = row(index);
        int generation = ctl.get(JAVA_INT, r + SubscriberDescriptor.GENERATION) + 1;
        if (generation <= 0 || generation >= 1 << (32 - SubscriberDescriptor.INDEX_BITS - 1)) {
            generation = 1;             // ids stay positive
        }
        int id = SubscriberDescriptor.id(generation, index);
        ctl.set(JAVA_INT, r + SubscriberDescriptor.GENERATION, generation);
        ctl.set(JAVA_INT, r + SubscriberDescriptor.ID, id);
        ctl.set(JAVA_INT, r + SubscriberDescriptor.ACCESS, access);
        ctl.set(JAVA_INT, r + SubscriberDescriptor.PID, pid);
        ctl.set(JAVA_LONG, r + SubscriberDescriptor.START_TIME, startTime);
        ctl.set(JAVA_INT, r + SubscriberDescriptor.UID, uid);
        ctl.set(JAVA_INT, r + SubscriberDescriptor.GID, gid);
        ctl.set(JAVA_LONG, r + SubscriberDescriptor.ATTACHED_MILLIS, attachedMillis);
        ctl.set(JAVA_LONG, r + SubscriberDescriptor.RECEIVED, 0L);
        ctl.set(JAVA_LONG, r + SubscriberDescriptor.SENT, 0L);
        ctl.set(JAVA_INT, r + SubscriberDescriptor.RING_PUBLICATION, 0);
        ctl.set(JAVA_INT, r + SubscriberDescriptor.RING_REFUSAL, 0);
        ctl.set(JAVA_LONG, r + SubscriberDescriptor.RING_WAKES, 0L);
        Words.LONG.setRelease(ctl, r + SubscriberDescriptor.CLAIM, -1L);
        Words.INT.setRelease(ctl, r + SubscriberDescriptor.WAITING, SubscriberDescriptor.RUNNING);
        return id;
    }

    /** The row is ACTIVE: its identity and starting cursor are visible BEFORE the state says so. */
    public void activateRelease(int index) {
        Words.INT.setRelease(ctl, row(index) + SubscriberDescriptor.STATE, SubscriberDescriptor.ACTIVE);
    }

    /**
     * The row is ACTIVE, as {@link #activateRelease}, and an atomic exchange, so a full fence:
     * ACTIVE is visible BEFORE the caller's next load. A broadcast joiner then reads the tail it
     * starts at; a producer that did not count it had read the tail before, so cannot pass it.
     */
    public void activateFullFence(int index) {
        Words.INT.getAndSet(ctl, row(index) + SubscriberDescriptor.STATE, SubscriberDescriptor.ACTIVE);
    }

    /**
     * Marks the row LEAVING, from {@code from} (ACTIVE, or JOINING for a joiner that died):
     * whoever wins recovers what it held. Fails if someone else is already doing so.
     */
    public boolean tryBeginLeaving(int index, int from) {
        return Words.INT.compareAndSet(ctl, row(index) + SubscriberDescriptor.STATE, from, SubscriberDescriptor.LEAVING);
    }

    /**
     * Frees a LEAVING row: a cursor that holds no producer back, no claim, not waiting, no pid —
     * all visible BEFORE the row reads as FREE. The generation stays, so the row's next id differs.
     */
    public void freeRelease(int index) {
        long r = row(index);
        Words.LONG.setRelease(ctl, r + SubscriberDescriptor.CURSOR, Long.MAX_VALUE);
        Words.LONG.setRelease(ctl, r + SubscriberDescriptor.CLAIM, -1L);
        Words.INT.setRelease(ctl, r + SubscriberDescriptor.WAITING, SubscriberDescriptor.RUNNING);
        Words.INT.setRelease(ctl, r + SubscriberDescriptor.RING_PUBLICATION, 0);
        // No pid: a row reserved again (JOINING) before its new occupant writes its own pid must
        // not look like a row of the dead previous occupant.
        ctl.set(JAVA_INT, r + SubscriberDescriptor.PID, 0);
        Words.INT.setRelease(ctl, r + SubscriberDescriptor.STATE, SubscriberDescriptor.FREE);
    }

    /**
     * Whether {@code id} names a subscriber attached now with {@code accessBit}: the row its
     * index names is ACTIVE and holds that id.
     */
    public boolean isActive(int id, int accessBit) {
        int index = SubscriberDescriptor.index(id);
        if (id <= 0 || index >= rows) {
            return false;
        }
        return stateAcquire(index) == SubscriberDescriptor.ACTIVE && id(index) == id
                && (access(index) & accessBit) != 0;
    }

    /** Whether row {@code index} is ACTIVE or JOINING with {@code accessBit}: counted by producers. */
    public boolean isMember(int index, int accessBit) {
        int state = stateAcquire(index);
        return (state == SubscriberDescriptor.ACTIVE || state == SubscriberDescriptor.JOINING)
                && (access(index) & accessBit) != 0;
    }

    // --- identity (plain reads: published by the state) ----------------------------------------

    public int id(int index) {
        return ctl.get(JAVA_INT, row(index) + SubscriberDescriptor.ID);
    }

    public int access(int index) {
        return ctl.get(JAVA_INT, row(index) + SubscriberDescriptor.ACCESS);
    }

    public int pid(int index) {
        return ctl.get(JAVA_INT, row(index) + SubscriberDescriptor.PID);
    }

    public long startTime(int index) {
        return ctl.get(JAVA_LONG, row(index) + SubscriberDescriptor.START_TIME);
    }

    public int uid(int index) {
        return ctl.get(JAVA_INT, row(index) + SubscriberDescriptor.UID);
    }

    public int gid(int index) {
        return ctl.get(JAVA_INT, row(index) + SubscriberDescriptor.GID);
    }

    public long attachedMillis(int index) {
        return ctl.get(JAVA_LONG, row(index) + SubscriberDescriptor.ATTACHED_MILLIS);
    }

    // --- cursor --------------------------------------------------------------------------------

    /** Broadcast: the next position this receiver reads; producers never pass it by a ring. */
    public long cursorAcquire(int index) {
        return (long) Words.LONG.getAcquire(ctl, row(index) + SubscriberDescriptor.CURSOR);
    }

    /**
     * Moves the cursor. Broadcast: the copy out of every position below it is complete BEFORE
     * the cursor hands those slots back to producers.
     */
    public void advanceCursorRelease(int index, long position) {
        Words.LONG.setRelease(ctl, row(index) + SubscriberDescriptor.CURSOR, position);
    }

    /** Unicast and multicast: where this receiver's search stands, for observers only (a plain store). */
    public void publishSearchPosition(int index, long position) {
        ctl.set(JAVA_LONG, row(index) + SubscriberDescriptor.CURSOR, position);
    }

    // --- claim ---------------------------------------------------------------------------------

    /**
     * Announces that this producer is about to try to claim {@code position}. Visible BEFORE the
     * tail compare-and-set that would make it ours, so a reaper finds it if we die between the
     * two. The record of an attempt that lost, or was aborted, must not outlive it: see
     * {@link #clearClaimRelease}; one that names a committed position may stay.
     */
    public void announceClaimRelease(int index, long position) {
        Words.LONG.setRelease(ctl, row(index) + SubscriberDescriptor.CLAIM, position);
    }

    /**
     * No claim: the position was aborted or never won (or committed, and the producer is about
     * to wait). Visible only AFTER whatever the producer did to the position before: a reaper
     * that finds no claim finds the skip or the commit.
     */
    public void clearClaimRelease(int index) {
        Words.LONG.setRelease(ctl, row(index) + SubscriberDescriptor.CLAIM, -1L);
    }

    /** The position this row's producer is claiming or writing, or -1. */
    public long claimAcquire(int index) {
        return (long) Words.LONG.getAcquire(ctl, row(index) + SubscriberDescriptor.CLAIM);
    }

    // --- waiting -------------------------------------------------------------------------------

    /** The doorbell's current value: the caller sleeps only while it still holds it. */
    public int doorbellAcquire(int index) {
        return (int) Words.INT.getAcquire(ctl, row(index) + SubscriberDescriptor.DOORBELL);
    }

    /** The offset of the doorbell in the control memory: the futex word to sleep on or wake. */
    public static long doorbellOffset(int index) {
        return row(index) + SubscriberDescriptor.DOORBELL;
    }

    /** This subscriber is about to sleep; made visible BEFORE it counts itself as waiting. */
    public void announceParkedRelease(int index) {
        Words.INT.setRelease(ctl, row(index) + SubscriberDescriptor.WAITING, SubscriberDescriptor.PARKED);
    }

    /**
     * This subscriber runs again. Returns whether a waker had chosen it meanwhile (WAKING): a
     * wake meant for some parked subscriber was spent on this one, which then passes it on if
     * it has not itself found what the wake was for.
     */
    public boolean leaveParked(int index) {
        return (int) Words.INT.getAndSet(ctl, row(index) + SubscriberDescriptor.WAITING, SubscriberDescriptor.RUNNING)
                == SubscriberDescriptor.WAKING;
    }

    /** Whether row {@code index} is parked now and has {@code accessBit}: a candidate to wake. */
    public boolean isParkedOpaque(int index, int accessBit) {
        return (int) Words.INT.getOpaque(ctl, row(index) + SubscriberDescriptor.WAITING) == SubscriberDescriptor.PARKED
                && (access(index) & accessBit) != 0;
    }

    /** The row's waiting word as it is (RUNNING, PARKED or WAKING), for observers. */
    public int waitingOpaque(int index) {
        return (int) Words.INT.getOpaque(ctl, row(index) + SubscriberDescriptor.WAITING);
    }

    /**
     * Whether a waker chose row {@code index} (WAKING) and it has {@code accessBit}: its wake is
     * on its way, unless the waker died first.
     */
    public boolean isChosenOpaque(int index, int accessBit) {
        return (int) Words.INT.getOpaque(ctl, row(index) + SubscriberDescriptor.WAITING) == SubscriberDescriptor.WAKING
                && (access(index) & accessBit) != 0;
    }

    /** Whether the row is parked, for observers. */
    public boolean isParkedOpaque(int index) {
        return (int) Words.INT.getOpaque(ctl, row(index) + SubscriberDescriptor.WAITING) == SubscriberDescriptor.PARKED;
    }

    /** A waker picks a parked row (PARKED to WAKING), so that two wakers wake two different sleepers. */
    public boolean tryChooseToWake(int index) {
        return Words.INT.compareAndSet(ctl, row(index) + SubscriberDescriptor.WAITING, SubscriberDescriptor.PARKED,
                SubscriberDescriptor.WAKING);
    }

    /**
     * Rings the doorbell: adds 1, an atomic add and so a full fence. The new value is visible
     * BEFORE the futex wake that follows, so a sleeper that has read the old value but not yet
     * entered the kernel sees it changed and does not sleep.
     */
    public void ringDoorbell(int index) {
        Words.INT.getAndAdd(ctl, row(index) + SubscriberDescriptor.DOORBELL, 1);
    }

    // --- ring doorbell (docs/LAYOUT.md section 5) ------------------------------------------------

    /**
     * The broker records (or, with 0, withdraws) where this subscriber's completion loop can be
     * reached. Its record is written BEFORE this store, and the loop parks only AFTER it, so a
     * waker that chose the parked row reads this publication or a later one.
     */
    public void publishRingRelease(int index, int publication) {
        Words.INT.setRelease(ctl, row(index) + SubscriberDescriptor.RING_PUBLICATION, publication);
    }

    /** The row's ring publication, 0 for none; a hint only: the broker says what it means. */
    public int ringPublicationAcquire(int index) {
        return (int) Words.INT.getAcquire(ctl, row(index) + SubscriberDescriptor.RING_PUBLICATION);
    }

    /** A waker could not reach the row's ring and rang the futex doorbell instead; for observers. */
    public void recordRingRefusal(int index, int errno) {
        Words.INT.setOpaque(ctl, row(index) + SubscriberDescriptor.RING_REFUSAL, errno);
    }

    public int ringRefusal(int index) {
        return (int) Words.INT.getOpaque(ctl, row(index) + SubscriberDescriptor.RING_REFUSAL);
    }

    /** Counts a wake delivered by MSG_RING: an atomic add, as several wakers may count at once. */
    public void countRingWake(int index) {
        Words.LONG.getAndAdd(ctl, row(index) + SubscriberDescriptor.RING_WAKES, 1L);
    }

    public long ringWakes(int index) {
        return (long) Words.LONG.getOpaque(ctl, row(index) + SubscriberDescriptor.RING_WAKES);
    }

    // --- counts (written by the row's owner only; observers read them) -------------------------

    public void publishReceived(int index, long count) {
        ctl.set(JAVA_LONG, row(index) + SubscriberDescriptor.RECEIVED, count);
    }

    public void publishSent(int index, long count) {
        ctl.set(JAVA_LONG, row(index) + SubscriberDescriptor.SENT, count);
    }

    public long received(int index) {
        return ctl.get(JAVA_LONG, row(index) + SubscriberDescriptor.RECEIVED);
    }

    public long sent(int index) {
        return ctl.get(JAVA_LONG, row(index) + SubscriberDescriptor.SENT);
    }
}
