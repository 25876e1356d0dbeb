package dev.uipc.channel.delivery;

import dev.uipc.channel.layout.MessageDescriptor;
import dev.uipc.channel.memory.ControlHeader;
import dev.uipc.uring.ProcessIdentity;

/**
 * The sending half of a subscriber ({@code docs/LAYOUT.md} section 2, "Producing"). Lock-free
 * with any number of producers in any number of processes: a position is claimed by
 * compare-and-set on the ring's tail and committed by a release store of its descriptor's
 * sequence. Before the claim, the position is recorded as this producer's claim, so that
 * whoever reaps a dead producer knows which slot it may have left open. The record of an attempt
 * that did not commit never outlives it; after a commit it stays, naming a committed position,
 * until the next claim overwrites it. Not thread-safe: one producer per subscriber, one thread
 * at a time.
 */
public final class Producer {
    /** {@link #tryClaim}'s answer when there is no room. */
    public static final long NO_ROOM = -1;

    private final DeliveryMode mode;
    private final int index;
    private final int id;
    private final int pid = ProcessIdentity.pid();
    private final int uid = ProcessIdentity.uid();

    /** Positions below this may be claimed without looking at the receivers again. */
    private long limit;
    private long sent;
    private int rotation;
    /** The receiver the claimed message is for (0: any), whom its commit wakes. */
    private int claimedTarget;
    /** Whether this producer's claim record names a position (else it is -1). */
    private boolean recorded;

    public Producer(DeliveryMode mode, int index, int id) {
        this.mode = mode;
        this.index = index;
        this.id = id;
        this.rotation = index;
    }

    /**
     * Claims a position for a message of {@code length} bytes and writes its header; the caller
     * then writes the payload at {@code slots().payloadOffset(p)} and calls {@link #commit} or
     * {@link #abort}.
     *
     * @param target a subscriber id the message is for, 0 for any (already checked by the mode)
     * @return the position, or {@link #NO_ROOM}
     */
    public long tryClaim(int length, long tag, int target) {
        long p = claimPosition();
        if (p == NO_ROOM) {
            return NO_ROOM;
        }
        int flags = target != 0 ? MessageDescriptor.TARGETED : 0;
        if (target == 0) {
            target = mode.assign(p);
            flags = target != 0 ? MessageDescriptor.ASSIGNED : 0;
        }
        mode.slots.markClaimedRelease(p, id, target);   // the sooner it is marked, the sooner a reaper can tell
        mode.slots.writeHeader(p, length, flags, tag, pid, uid);
        claimedTarget = target;
        return p;
    }

    /** Publishes position {@code p}, claimed by {@link #tryClaim}, and wakes whoever it concerns. */
    public void commit(long p) {
        mode.slots.commitRelease(p);
        // The claim record is not cleared: it stays naming p, and a reaper that finds it finds p
        // committed and leaves it (docs/LAYOUT.md section 6, case 2). Clearing it would be a store
        // per message for no reader; the next claim overwrites it, and a send that finds no room
        // clears it.
        mode.rows.publishSent(index, ++sent);
        if (mode.control.anyWaitingFullFence(ControlHeader.Waiters.RECEIVERS)) {
            if (mode.ring.tailAcquire() > p + 1) {
                // Later positions were claimed while p was being written: any receiver may have
                // stopped at p, uncommitted, with messages of its own behind it. Wake them all,
                // not only the one p is for.
                mode.doorbells.wakeAll(dev.uipc.channel.layout.SubscriberDescriptor.RECV);
            } else {
                mode.wakeReceivers(claimedTarget, rotation++);
            }
        }
    }

    /**
     * Gives up position {@code p}, claimed by {@link #tryClaim} and not committed: it becomes a
     * skipped message that every receiver passes over, as a dead producer's slot does.
     */
    public void abort(long p) {
        if (mode.words.trySkip(p)) {
            mode.control.increment(ControlHeader.Counter.SKIPPED);
        }
        mode.rows.clearClaimRelease(index);
        recorded = false;
        // Receivers may be parked behind p (they saw it claimed): the skip is visible BEFORE we
        // look for them.
        if (mode.control.anyWaitingFullFence(ControlHeader.Waiters.RECEIVERS)) {
            mode.doorbells.wakeAll(dev.uipc.channel.layout.SubscriberDescriptor.RECV);
        }
    }

    /** Claims the next position, or returns {@link #NO_ROOM} with no claim recorded. */
    private long claimPosition() {
        for (;;) {
            long p = mode.ring.tailAcquire();
            if (p >= limit) {
                limit = refreshLimit(p);
                if (p >= limit) {
                    if (recorded) {
                        // A lost attempt must leave no claim behind; nor, for a producer about to
                        // wait, need a committed one stay.
                        mode.rows.clearClaimRelease(index);
                        recorded = false;
                    }
                    return NO_ROOM;
                }
            }
            mode.rows.announceClaimRelease(index, p);
            recorded = true;
            if (mode.ring.compareAndSetTail(p, p + 1)) {
                return p;
            }
        }
    }

    /** How far producers may claim now; a ring still full is counted. */
    private long refreshLimit(long p) {
        long fresh = mode.lowestNeeded() + mode.entries;
        if (p >= fresh) {
            mode.control.increment(ControlHeader.Counter.FULL);
        }
        return fresh;
    }

    /** Whether sending now would find room, without claiming: for a sender about to sleep. */
    public boolean hasRoom() {
        long p = mode.ring.tailAcquire();
        if (p < limit) {
            return true;
        }
        limit = mode.lowestNeeded() + mode.entries;
        return p < limit;
    }

    public long sent() {
        return sent;
    }

    public int index() {
        return index;
    }
}
