package dev.uipc.channel.memory;

import dev.uipc.channel.layout.ControlFileDescriptor;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;

/**
 * The control header's live words ({@code docs/LAYOUT.md} section 3): the channel's state, the
 * consumer head, the two waiting counts, the epochs, and the event counters. Each word has its
 * own cache lines, so the methods here touch one line each.
 */
public final class ControlHeader {
    /** The two kinds of parked subscriber, each counted in its own word. */
    public enum Waiters {
        /** Receivers parked until a message arrives. */
        RECEIVERS(ControlFileDescriptor.RECEIVERS_WAITING_OFFSET),
        /** Senders parked until a slot frees. */
        SENDERS(ControlFileDescriptor.SENDERS_WAITING_OFFSET);

        final long offset;

        Waiters(long offset) {
            this.offset = offset;
        }
    }

    /** The event counters of the control header, as observers read them. */
    public enum Counter {
        /** A producer found the ring full (every look). */
        FULL(ControlFileDescriptor.FULL_COUNT_OFFSET),
        /** A futex wake was issued. */
        WAKES(ControlFileDescriptor.WAKE_COUNT_OFFSET),
        /** A message was offered to every receiver again: its taker or its assigned receiver left. */
        REDELIVERED(ControlFileDescriptor.REDELIVERED_COUNT_OFFSET),
        /** A targeted message was dropped because its target left, or held a length no producer writes. */
        DROPPED(ControlFileDescriptor.DROPPED_COUNT_OFFSET),
        /** A slot was skipped: its producer died before committing, or aborted its claim. */
        SKIPPED(ControlFileDescriptor.SKIPPED_COUNT_OFFSET),
        /** A subscriber was removed because its process died. */
        REAPED(ControlFileDescriptor.REAPED_COUNT_OFFSET),
        /** A broadcast receiver found its message overwritten (only a tampered file does this). */
        LAPPED(ControlFileDescriptor.LAPPED_COUNT_OFFSET);

        final long offset;

        Counter(long offset) {
            this.offset = offset;
        }
    }

    private final MemorySegment ctl;

    ControlHeader(MemorySegment ctl) {
        this.ctl = ctl;
    }

    // --- state ---------------------------------------------------------------------------------

    /** Whether the channel was destroyed. A flag read for its current value; it orders nothing. */
    public boolean isDestroyedOpaque() {
        return (int) Words.INT.getOpaque(ctl, ControlFileDescriptor.STATE_OFFSET) == ControlFileDescriptor.DESTROYED;
    }

    /** Destroys the channel: no new attach, no new message. Everything before it is visible BEFORE the state. */
    public void markDestroyedRelease() {
        Words.INT.setRelease(ctl, ControlFileDescriptor.STATE_OFFSET, ControlFileDescriptor.DESTROYED);
    }

    // --- consumer head (unicast and multicast) -------------------------------------------------

    /** Every position below the consumer head is finished. */
    public long consumerHeadAcquire() {
        return (long) Words.LONG.getAcquire(ctl, ControlFileDescriptor.CONSUMER_HEAD_OFFSET);
    }

    /** Advances the consumer head; fails if another producer moved it first. */
    public boolean compareAndSetConsumerHead(long expected, long next) {
        return Words.LONG.compareAndSet(ctl, ControlFileDescriptor.CONSUMER_HEAD_OFFSET, expected, next);
    }

    // --- waiting counts ------------------------------------------------------------------------

    /**
     * Counts a subscriber in or out of {@code waiters}. An atomic add is a full fence: the
     * caller's own stores before it (its row saying PARKED) are visible BEFORE its later loads
     * (looking again for a message or room) — one half of the Dekker pair of section 5.
     */
    public void addWaitersFullFence(Waiters waiters, int delta) {
        Words.INT.getAndAdd(ctl, waiters.offset, delta);
    }

    /**
     * After publishing something (a commit, a freed slot): whether any subscriber of that kind
     * is parked and must be woken. The full fence orders the caller's publishing store BEFORE
     * this load — the other half of the Dekker pair: without it a parker that looked just
     * before our store, and a publisher that reads the count just before the parker's add, would
     * each miss the other, and the wake-up would be lost. The load is an acquire: a caller that
     * finds a parker also sees what the parker read before announcing itself (a broadcast
     * receiver deciding whether it gave room reads the tail after this, and must not see one
     * older than the parked sender saw). Free on x86, where every load is an acquire.
     */
    public boolean anyWaitingFullFence(Waiters waiters) {
        VarHandle.fullFence();
        return (int) Words.INT.getAcquire(ctl, waiters.offset) != 0;
    }

    /**
     * As {@link #anyWaitingFullFence}, for a caller whose publishing store was itself an atomic
     * read-modify-write (a compare-and-set, an exchange): that is a full fence, so the store is
     * visible BEFORE this load without another. A volatile load, so that it is ordered after the
     * read-modify-write on every platform, not only on x86.
     */
    public boolean anyWaitingAfterAtomic(Waiters waiters) {
        return (int) Words.INT.getVolatile(ctl, waiters.offset) != 0;
    }

    /** How many of that kind are parked now, for observers. */
    public int waitingOpaque(Waiters waiters) {
        return (int) Words.INT.getOpaque(ctl, waiters.offset);
    }

    // --- epochs --------------------------------------------------------------------------------

    /** Changes whenever a subscriber joins or leaves: producers rebuild cached receiver lists. */
    public int membershipEpochAcquire() {
        return (int) Words.INT.getAcquire(ctl, ControlFileDescriptor.MEMBERSHIP_EPOCH_OFFSET);
    }

    /** A subscriber joined or left; the row change before it is visible BEFORE the new epoch. */
    public void advanceMembershipEpoch() {
        Words.INT.getAndAdd(ctl, ControlFileDescriptor.MEMBERSHIP_EPOCH_OFFSET, 1);
    }

    /** Changes whenever a message becomes takeable by anyone again: receivers restart their searches. */
    public int redeliveryEpochAcquire() {
        return (int) Words.INT.getAcquire(ctl, ControlFileDescriptor.REDELIVERY_EPOCH_OFFSET);
    }

    /**
     * A message was offered again. An atomic add, so a full fence: the delivery word that says
     * so is visible BEFORE the new epoch, and both BEFORE the caller reads who is waiting.
     */
    public void advanceRedeliveryEpochFullFence() {
        Words.INT.getAndAdd(ctl, ControlFileDescriptor.REDELIVERY_EPOCH_OFFSET, 1);
    }

    // --- counters ------------------------------------------------------------------------------

    /** Adds one to a counter (off the hot path: an atomic add). */
    public void increment(Counter counter) {
        Words.LONG.getAndAdd(ctl, counter.offset, 1L);
    }

    /** Adds {@code delta} to a counter (off the hot path: an atomic add). */
    public void add(Counter counter, long delta) {
        Words.LONG.getAndAdd(ctl, counter.offset, delta);
    }

    /** A counter's current value, for observers. */
    public long counterOpaque(Counter counter) {
        return (long) Words.LONG.getOpaque(ctl, counter.offset);
    }
}
