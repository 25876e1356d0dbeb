package dev.uipc.channel;

import dev.uipc.channel.layout.ControlFileDescriptor;
import dev.uipc.channel.layout.DeliveryWord;
import dev.uipc.channel.layout.MessageDescriptor;
import dev.uipc.channel.layout.SubscriberDescriptor;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The receiving half of a subscriber: {@code docs/LAYOUT.md} section 4. One implementation for
 * broadcast (a cursor per receiver) and one for unicast and multicast (a delivery word per
 * slot). Not thread-safe: one consumer per subscriber, one thread at a time.
 */
abstract sealed class Consumer permits SharedConsumer, BroadcastConsumer {
    /** How long a receiver waits behind an uncommitted message before asking whether its producer died. */
    static final long STUCK_NANOS = 1_000_000;

    final MappedChannel ch;
    final int id;
    final int index;
    final long row;
    final Reaper reaper;
    long received;

    /** The position at which the last search stopped on an uncommitted message, and since when. */
    private long blockedAt = -1;
    private long blockedSince;

    Consumer(MappedChannel ch, int id, Reaper reaper) {
        this.ch = ch;
        this.id = id;
        this.index = SubscriberDescriptor.index(id);
        this.row = MappedChannel.row(index);
        this.reaper = reaper;
    }

    static Consumer of(MappedChannel ch, int id, Reaper reaper) {
        return ch.mode == Mode.BROADCAST ? new BroadcastConsumer(ch, id, reaper) : new SharedConsumer(ch, id, reaper);
    }

    /**
     * Finds the next message for this subscriber and holds it: its slot cannot be reused until
     * {@link #finish}. The caller copies it out in between.
     *
     * @return its position, or {@link Status#EMPTY}, or {@link Status#CLOSED}
     */
    abstract long take();

    /** Fills {@code info} for the message held at {@code p}; {@code copied} is what the caller got. */
    abstract void describeHeld(long p, int copied, MessageInfo info);

    /**
     * Releases the message held at {@code p}: its slot may be reused.
     *
     * @return false if what the caller read cannot be trusted (the slot was overwritten under
     *         us, which only a tampered file does): the caller discards it
     */
    abstract boolean release(long p);

    /** {@link #describeHeld} then {@link #release}: the end of a copying receive. */
    final boolean finish(long p, int copied, MessageInfo info) {
        describeHeld(p, copied, info);
        return release(p);
    }

    /**
     * The length of the message at {@code p}, or -1 if its descriptor holds a length no valid
     * producer writes (a tampered file); then the caller calls {@link #discard}.
     */
    final int length(long p) {
        int length = ch.ring.get(JAVA_INT, ch.descriptor(p) + MessageDescriptor.MESSAGE_LENGTH);
        return length < 0 || length > ch.maxMessageSize ? -1 : length;
    }

    /** Releases a message that cannot be delivered (see {@link #length}), counting it. */
    final void discard(long p, MessageInfo scratch) {
        finish(p, 0, scratch);
        ch.count(ControlFileDescriptor.DROPPED_COUNT_OFFSET);
    }

    /** Fills {@code info} from the descriptor of {@code p}. */
    final void describe(long p, int copied, MessageInfo info, boolean redelivered) {
        MemorySegment ring = ch.ring;
        long d = ch.descriptor(p);
        info.set(p, ring.get(JAVA_INT, d + MessageDescriptor.MESSAGE_LENGTH), copied,
                ring.get(JAVA_LONG, d + MessageDescriptor.TAG), ring.get(JAVA_INT, d + MessageDescriptor.SENDER_ID),
                ring.get(JAVA_INT, d + MessageDescriptor.SENDER_PID), ring.get(JAVA_INT, d + MessageDescriptor.SENDER_UID),
                ring.get(JAVA_INT, d + MessageDescriptor.TARGET), redelivered);
    }

    /** After a slot was released: counts it, and wakes senders waiting for room. */
    final void released() {
        ch.ctl.set(JAVA_LONG, row + SubscriberDescriptor.RECEIVED, ++received);
        // Our release (a store) must be ordered BEFORE we read sendersWaiting (a load): the
        // Dekker pair with a sender that announces it is parking and then looks again.
        VarHandle.fullFence();
        if ((int) Words.INT.getOpaque(ch.ctl, ControlFileDescriptor.SENDERS_WAITING_OFFSET) != 0) {
            Doorbells.wakeAll(ch, SubscriberDescriptor.SEND);
        }
    }

    /**
     * Notes that the search was held up at {@code p}: claimed but not committed, or taken by
     * another receiver and not finished. If it stays so for {@link #STUCK_NANOS}, asks the
     * reaper whether that peer died (the reaper then skips or redelivers the slot). Costs a
     * clock read only while held up.
     */
    final void blockedOn(long p) {
        long now = System.nanoTime();
        if (p != blockedAt) {
            blockedAt = p;
            blockedSince = now;
        } else if (now - blockedSince > STUCK_NANOS) {
            reaper.reapIfDue();
            blockedSince = now;
        }
    }

    /** Whether the last search was held up by a peer that may have died. */
    final boolean blocked() {
        return blockedAt >= 0 && ch.tail() > blockedAt;
    }

    final void unblocked() {
        blockedAt = -1;
    }

    /**
     * If position {@code p} holds a committed message for a target that is no longer attached:
     * drops it (TARGETED), or offers it to every receiver (ASSIGNED by multicast). Returns
     * whether its delivery word changed, so that the caller looks at it again.
     */
    static boolean settleAbandonedTarget(MappedChannel ch, long p, long word) {
        int lap = ch.lap(p);
        if (DeliveryWord.stateFor(word, lap) != DeliveryWord.OPEN) {
            return false;
        }
        long d = ch.descriptor(p);
        if ((long) Words.LONG.getAcquire(ch.ring, d + MessageDescriptor.SEQUENCE) != MessageDescriptor.committed(p)) {
            return false;
        }
        int flags = ch.ring.get(JAVA_INT, d + MessageDescriptor.FLAGS);
        if ((flags & (MessageDescriptor.TARGETED | MessageDescriptor.ASSIGNED)) == 0
                || ch.isActive(ch.ring.get(JAVA_INT, d + MessageDescriptor.TARGET), SubscriberDescriptor.RECV)) {
            return false;
        }
        boolean onlyAssigned = (flags & MessageDescriptor.TARGETED) == 0;
        long next = DeliveryWord.encode(lap, onlyAssigned ? DeliveryWord.OPEN_ANY : DeliveryWord.DROPPED, 0);
        if (Words.LONG.compareAndSet(ch.ctl, ch.deliveryWord(p), word, next)) {
            if (onlyAssigned) {
                ch.count(ControlFileDescriptor.REDELIVERED_COUNT_OFFSET);
                offeredAgain(ch);
            } else {
                ch.count(ControlFileDescriptor.DROPPED_COUNT_OFFSET);
            }
        }
        return true;
    }

    /**
     * A message became takeable by anyone again: receivers restart their searches (they may
     * have passed it) and one sleeping receiver is woken for it.
     */
    static void offeredAgain(MappedChannel ch) {
        // getAndAdd is a full fence: the OPEN_ANY word is visible BEFORE the new epoch, and both
        // BEFORE we read receiversWaiting.
        Words.INT.getAndAdd(ch.ctl, ControlFileDescriptor.REDELIVERY_EPOCH_OFFSET, 1);
        if ((int) Words.INT.getOpaque(ch.ctl, ControlFileDescriptor.RECEIVERS_WAITING_OFFSET) != 0) {
            Doorbells.wakeReceivers(ch, 0, 0);
        }
    }
}
