package dev.uipc.channel.delivery;

import dev.uipc.channel.layout.MessageDescriptor;
import dev.uipc.channel.layout.SubscriberDescriptor;
import dev.uipc.channel.memory.ControlHeader;
import dev.uipc.channel.memory.MessageSlots;

/**
 * What happens to a subscriber's row when it leaves — by detaching, or because its process
 * died — by the protocol's own rules ({@code docs/LAYOUT.md} sections 3 and 4). The row is
 * first marked LEAVING by whoever handles it, so that it no longer counts as a live claimant or
 * receiver; then what it held is recovered; then the row is freed.
 *
 * <p>Recovering a receiver is the mode's business ({@link DeliveryMode#releaseDeparted}).
 * Recovering a producer means its claim record {@code c}: if it won position {@code c} and never
 * committed it, the slot is marked SKIPPED so that receivers pass over it. The record is written
 * before the tail compare-and-set, so it may name a position the producer lost; then another
 * producer won {@code c}, and that one's own claim record or marker says so. It stays after a
 * commit, so it may name a position the producer committed; the slot's sequence then says so. When neither can
 * be told yet (a live producer is between winning and marking, or between announcing and
 * losing), the claim is left for a later pass, and the row stays LEAVING until then. Every step
 * is a compare-and-set on a word of the right lap, so two recoverers of the same row, or one that
 * dies half-way, do no harm.
 */
public final class Recovery {
    /** Only the broker recovers departed subscribers, so what it does is the broker's to report. */
    private static final System.Logger LOG = System.getLogger("dev.uipc.broker");

    private final DeliveryMode mode;

    public Recovery(DeliveryMode mode) {
        this.mode = mode;
    }

    /**
     * Recovers what LEAVING row {@code index} held.
     *
     * @return true if done (the row may be {@link #free freed}), false if its claim cannot be
     *         judged yet: call again later
     */
    public boolean recover(int index) {
        int id = mode.rows.id(index);
        if ((mode.rows.access(index) & SubscriberDescriptor.RECV) != 0) {
            mode.releaseDeparted(index, id);
        }
        return resolveClaim(index, id);
    }

    /**
     * Frees LEAVING row {@code index}, then tells producers that membership changed and wakes
     * senders (a broadcast receiver that left may have been the one holding them back) and
     * receivers (a multicast message may now be theirs).
     */
    public void free(int index) {
        mode.rows.freeRelease(index);
        mode.control.advanceMembershipEpoch();
        mode.doorbells.wakeEveryone();
    }

    /** Whether row {@code index}'s claim record names a slot that needs judging. */
    private boolean resolveClaim(int index, int id) {
        long c = mode.rows.claimAcquire(index);
        if (c < 0) {
            return true;
        }
        MessageSlots slots = mode.slots;
        for (;;) {
            if (c >= mode.ring.tailAcquire()) {
                return true;                          // nobody has won c: the record was an attempt
            }
            long s = slots.sequenceAcquire(c);
            if (s == MessageDescriptor.committed(c)) {
                return true;
            }
            if (s == MessageDescriptor.claimed(c)) {
                if (slots.senderId(c) == id) {
                    skip(c, id);                      // it won c and died writing it
                }
                return true;                          // otherwise another producer's, being written
            }
            if (MessageSlots.positionOf(s) > c) {
                return true;                          // a later lap: c was finished long ago
            }
            // An earlier lap's value: whoever won c has not marked it yet. A live producer that
            // announced c may be that winner; wait for it to mark c or move on.
            if (liveProducerAnnounces(c, index)) {
                return false;
            }
            if (slots.sequenceAcquire(c) != s) {
                continue;                             // it changed while we looked: judge again
            }
            skip(c, id);                              // no one else claims c: it was ours, and is dead
            return true;
        }
    }

    /**
     * Whether a row other than {@code except}, not itself leaving, announces a claim of
     * {@code c}. A winner's announcement stays until after its marker is written, so if none is
     * seen here and the sequence has not changed since, the winner was the departed producer.
     */
    private boolean liveProducerAnnounces(long c, int except) {
        var rows = mode.rows;
        for (int index = 0; index < rows.rows(); index++) {
            if (index == except) {
                continue;
            }
            int state = rows.stateAcquire(index);
            if ((state == SubscriberDescriptor.ACTIVE || state == SubscriberDescriptor.JOINING)
                    && rows.claimAcquire(index) == c) {
                return true;
            }
        }
        return false;
    }

    /**
     * Marks {@code c} SKIPPED if it is still open for its lap, and wakes everyone blocked behind
     * it. Reported at INFO: a message slot that a producer claimed and will never fill.
     */
    private void skip(long c, int producer) {
        if (mode.words.trySkip(c)) {
            mode.control.increment(ControlHeader.Counter.SKIPPED);
            LOG.log(System.Logger.Level.INFO, "channel {0}: skipped position {1}, which subscriber {2} claimed and left "
                    + "unfinished when it departed; receivers pass over it", Integer.toString(mode.memory.id()), Long.toString(c),
                    Integer.toString(producer));
        }
        mode.doorbells.wakeEveryone();
    }
}
