package dev.uipc.channel;

import dev.uipc.channel.layout.ControlFileDescriptor;
import dev.uipc.channel.layout.DeliveryWord;
import dev.uipc.channel.layout.MessageDescriptor;
import dev.uipc.channel.layout.RingFileDescriptor;
import dev.uipc.channel.layout.SubscriberDescriptor;
import dev.uipc.uring.ProcessIdentity;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The sending half of a subscriber: {@code docs/LAYOUT.md} section 2, "Producing". Lock-free
 * with any number of producers in any number of processes: a position is claimed by
 * compare-and-set on the ring's tail and committed by a release store of its descriptor's
 * sequence. Not thread-safe: one producer per subscriber, one thread at a time.
 */
final class Producer {
    /** {@link #claim}'s answer when there is no room. */
    static final long NO_ROOM = -1;

    private final MappedChannel ch;
    private final int id;
    private final long row;
    private final Reaper reaper;
    private final int pid = ProcessIdentity.pid();
    private final int uid = ProcessIdentity.uid();

    /** Positions below this may be claimed without looking at the receivers again. */
    private long limit;
    private long sent;
    private int rotation;
    /** The target of the message between {@link #claim} and {@link #commit}. */
    private int claimedTarget;

    /** Multicast: the receivers in index order, as of membership epoch {@link #receiversEpoch}. */
    private int[] receivers = new int[0];
    private int receiversEpoch = -1;

    Producer(MappedChannel ch, int id, Reaper reaper) {
        this.ch = ch;
        this.id = id;
        this.row = MappedChannel.row(SubscriberDescriptor.index(id));
        this.reaper = reaper;
        this.rotation = SubscriberDescriptor.index(id);
    }

    /**
     * Claims a position for a message of {@code length} bytes and writes its header; the caller
     * then writes the payload at {@link MappedChannel#payload(long)} and calls {@link #commit}.
     *
     * @param target a subscriber id the message is for, 0 for any (already checked)
     * @return the position, or {@link #NO_ROOM}
     */
    long claim(int length, long tag, int target) {
        long p = claimPosition();
        if (p == NO_ROOM) {
            return NO_ROOM;
        }
        int flags = target != 0 ? MessageDescriptor.TARGETED : 0;
        if (target == 0 && ch.mode == Mode.MULTICAST) {
            int[] rs = currentReceivers();
            if (rs.length > 0) {
                target = rs[(int) Long.remainderUnsigned(p, rs.length)];
                flags = MessageDescriptor.ASSIGNED;
            }
        }
        MemorySegment ring = ch.ring;
        long d = ch.descriptor(p);
        ring.set(JAVA_INT, d + MessageDescriptor.SENDER_ID, id);
        // NOTE: the sender id is visible BEFORE the marker that says the slot is being written,
        // so a reaper that finds the marker after our death knows whose it was.
        Words.LONG.setRelease(ring, d + MessageDescriptor.SEQUENCE, MessageDescriptor.claimed(p));
        ring.set(JAVA_INT, d + MessageDescriptor.MESSAGE_LENGTH, length);
        ring.set(JAVA_INT, d + MessageDescriptor.FLAGS, flags);
        ring.set(JAVA_LONG, d + MessageDescriptor.TAG, tag);
        ring.set(JAVA_INT, d + MessageDescriptor.TARGET, target);
        ring.set(JAVA_INT, d + MessageDescriptor.SENDER_PID, pid);
        ring.set(JAVA_INT, d + MessageDescriptor.SENDER_UID, uid);
        claimedTarget = target;
        return p;
    }

    /** Commits position {@code p}, claimed by {@link #claim}, and wakes whoever it concerns. */
    void commit(long p) {
        // NOTE: the header and the payload are visible BEFORE the commit.
        Words.LONG.setRelease(ch.ring, ch.descriptor(p) + MessageDescriptor.SEQUENCE, MessageDescriptor.committed(p));
        ch.ctl.set(JAVA_LONG, row + SubscriberDescriptor.CLAIM, -1L);
        ch.ctl.set(JAVA_LONG, row + SubscriberDescriptor.SENT, ++sent);
        // The commit (a store) must be ordered BEFORE we read receiversWaiting (a load): the
        // Dekker pair with a receiver that announces it is parking and then looks again.
        VarHandle.fullFence();
        if ((int) Words.INT.getOpaque(ch.ctl, ControlFileDescriptor.RECEIVERS_WAITING_OFFSET) != 0) {
            Doorbells.wakeReceivers(ch, claimedTarget, rotation++);
        }
    }

    /** Claims the next position, or returns {@link #NO_ROOM}. */
    private long claimPosition() {
        MemorySegment ring = ch.ring;
        for (;;) {
            long p = (long) Words.LONG.getAcquire(ring, RingFileDescriptor.TAIL_OFFSET);
            if (p >= limit) {
                limit = refreshLimit(p);
                if (p >= limit) {
                    return NO_ROOM;
                }
            }
            // NOTE: our claim intent is visible BEFORE the tail makes the position ours, so a
            // reaper finds it if we die between the two.
            Words.LONG.setRelease(ch.ctl, row + SubscriberDescriptor.CLAIM, p);
            if (Words.LONG.compareAndSet(ring, RingFileDescriptor.TAIL_OFFSET, p, p + 1)) {
                return p;
            }
        }
    }

    /**
     * Works out how far producers may claim now, reaping dead subscribers (at most once a
     * millisecond) if the ring still looks full.
     */
    private long refreshLimit(long p) {
        long fresh = ch.mode == Mode.BROADCAST ? broadcastLimit() : sharedLimit();
        if (p >= fresh && reaper.reapIfDue()) {
            fresh = ch.mode == Mode.BROADCAST ? broadcastLimit() : sharedLimit();
        }
        if (p >= fresh) {
            ch.count(ControlFileDescriptor.FULL_COUNT_OFFSET);
        }
        return fresh;
    }

    /**
     * Broadcast: the slowest receiver's cursor plus the ring size. The tail is read before the
     * rows, so a receiver that joins after this scan starts at or after the tail we read, and
     * the limit we compute cannot overrun it (LAYOUT.md section 4).
     */
    private long broadcastLimit() {
        long tail = ch.tail();
        long min = tail;
        MemorySegment ctl = ch.ctl;
        for (int index = 0; index < ch.maxSubscribers; index++) {
            long r = MappedChannel.row(index);
            int state = (int) Words.INT.getAcquire(ctl, r + SubscriberDescriptor.STATE);
            if ((state == SubscriberDescriptor.ACTIVE || state == SubscriberDescriptor.JOINING)
                    && (ctl.get(JAVA_INT, r + SubscriberDescriptor.ACCESS) & SubscriberDescriptor.RECV) != 0) {
                long cursor = (long) Words.LONG.getAcquire(ctl, r + SubscriberDescriptor.CURSOR);
                if (cursor < min) {
                    min = cursor;
                }
            }
        }
        return min + ch.entries;
    }

    /**
     * Unicast and multicast: advances the shared consumer head past every finished position,
     * settling on the way messages whose target has left, and returns head plus ring size.
     */
    private long sharedLimit() {
        MemorySegment ctl = ch.ctl;
        long head = (long) Words.LONG.getAcquire(ctl, ControlFileDescriptor.CONSUMER_HEAD_OFFSET);
        long tail = ch.tail();
        long end = Math.min(tail, head + ch.entries);
        long h = head;
        while (h < end) {
            long wordOffset = ch.deliveryWord(h);
            long word = (long) Words.LONG.getAcquire(ctl, wordOffset);
            if (DeliveryWord.finished(word, ch.lap(h))) {
                h++;
            } else if (!Consumer.settleAbandonedTarget(ch, h, word)) {
                break;
            }
        }
        while (h > head) {
            if (Words.LONG.compareAndSet(ctl, ControlFileDescriptor.CONSUMER_HEAD_OFFSET, head, h)) {
                break;
            }
            head = (long) Words.LONG.getAcquire(ctl, ControlFileDescriptor.CONSUMER_HEAD_OFFSET);
        }
        return Math.max(h, head) + ch.entries;
    }

    /** Multicast's receivers, re-read only when someone joined or left. */
    private int[] currentReceivers() {
        int epoch = (int) Words.INT.getAcquire(ch.ctl, ControlFileDescriptor.MEMBERSHIP_EPOCH_OFFSET);
        if (epoch != receiversEpoch) {
            int[] found = new int[ch.maxSubscribers];
            int n = 0;
            for (int index = 0; index < ch.maxSubscribers; index++) {
                long r = MappedChannel.row(index);
                if ((int) Words.INT.getAcquire(ch.ctl, r + SubscriberDescriptor.STATE) == SubscriberDescriptor.ACTIVE
                        && (ch.ctl.get(JAVA_INT, r + SubscriberDescriptor.ACCESS) & SubscriberDescriptor.RECV) != 0) {
                    found[n++] = ch.ctl.get(JAVA_INT, r + SubscriberDescriptor.ID);
                }
            }
            receivers = Arrays.copyOf(found, n);
            receiversEpoch = epoch;
        }
        return receivers;
    }

    /** Whether sending now would find room, without claiming: for a sender about to sleep. */
    boolean hasRoom() {
        long p = ch.tail();
        if (p < limit) {
            return true;
        }
        limit = ch.mode == Mode.BROADCAST ? broadcastLimit() : sharedLimit();
        return p < limit;
    }

    long sent() {
        return sent;
    }
}
