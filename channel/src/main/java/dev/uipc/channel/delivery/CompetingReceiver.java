package dev.uipc.channel.delivery;

import dev.uipc.channel.Outcome;
import dev.uipc.channel.layout.DeliveryWord;
import dev.uipc.channel.layout.MessageDescriptor;
import dev.uipc.channel.memory.MessageSlots;

/**
 * Receiving on a unicast or multicast channel: receivers compete for each message by
 * compare-and-set on its delivery word; a message addressed to one receiver (targeted, or
 * assigned by multicast) can only be taken by it. The search stops at the first message still
 * being written, so each receiver sees its messages in claim order.
 *
 * <p>Neither the tail nor the consumer head is read while messages flow, nor while the receiver
 * looks for one that has not come: producers write both, and reading them on every look would
 * pull their cache lines over. A slot's sequence says whether it holds a committed message for
 * the position searched, or a later one (the receiver fell behind).
 */
final class CompetingReceiver extends Receiver {
    private final CompetingDelivery delivery;
    /** Where the next search starts: every position below it is finished or not ours. */
    private long scan;
    private int seenRedeliveryEpoch;
    /** Whether the message held between {@link #take} and {@link #release} (or found) was offered again. */
    private boolean heldRedelivered;
    /** The delivery word {@link #find} read for the message it found: the copy stands if it still holds it. */
    private long foundWord;

    CompetingReceiver(CompetingDelivery delivery, int index, int id) {
        super(delivery, index, id, true);
        this.delivery = delivery;
        this.seenRedeliveryEpoch = delivery.control.redeliveryEpochAcquire();
        this.scan = delivery.control.consumerHeadAcquire();
    }

    @Override
    public long take() {
        return search(true);
    }

    @Override
    public long find() {
        return search(false);
    }

    /**
     * The search, from {@link #scan}: the first message this receiver may take, taken (TAKEN,
     * by compare-and-set) if {@code take}, else only found, its word kept for
     * {@link #finishCopiedSlot}.
     */
    private long search(boolean take) {
        var control = mode.control;
        var slots = mode.slots;
        var words = mode.words;
        sawWriting = false;
        int epoch = control.redeliveryEpochAcquire();
        if (epoch != seenRedeliveryEpoch) {
            seenRedeliveryEpoch = epoch;       // something behind us became takeable again
            scan = control.consumerHeadAcquire();
        }
        // The window slides with scan: a search that finishes positions at its start (skipped
        // slots) must look as far past them as a search started there would.
        for (long q = scan; q < scan + mode.entries; q++) {
            long seq = slots.sequenceAcquire(q);
            long word = words.wordAcquire(q);
            if (seq != MessageDescriptor.committed(q)) {
                if (words.isFinished(word, q)) {            // skipped: its producer died or aborted
                    if (q == scan) {
                        scan++;
                    }
                    continue;
                }
                if (words.isLaterLap(word, q)) {
                    // The word speaks of a later position in this slot while the sequence still
                    // names an earlier one: producers that died before marking the slot were
                    // skipped there. A later position is claimed only once this one is finished,
                    // so we fell behind: go on from the consumer head, which is past it (its
                    // claimer advanced the head before claiming, and the skip that wrote this
                    // word came after). Rare: the head is read on this path only.
                    long head = control.consumerHeadAcquire();
                    if (head > q) {
                        scan = head;
                        q = head - 1;
                        continue;
                    }
                    return Outcome.EMPTY;                    // a word no producer leads to: tampered memory
                }
                long later = MessageSlots.positionOf(seq);
                if (later > q) {
                    // The slot holds a later position: other receivers took everything meanwhile
                    // and we fell behind. Its producer claimed it only once every position up to
                    // a ring before it was finished, so the search may go on from there (or from
                    // the consumer head, if that is further). Rare: the tail and the head are
                    // read on this path only.
                    long from = Math.max(later - mode.entries + 1, control.consumerHeadAcquire());
                    if (from > q && later < mode.ring.tailAcquire()) {
                        scan = from;
                        q = from - 1;
                        continue;
                    }
                    return Outcome.EMPTY;                    // a sequence no producer writes: tampered memory
                }
                // Not yet committed: claimed and being written (its producer commits or aborts
                // it, or dies and the broker skips it; each wakes us), or not yet claimed.
                // Either way nothing behind it is ours yet. Neither the tail nor the head is
                // read to tell which: producers write both, and a receiver looking at them on
                // every empty look pulls their cache lines away from the producers' next
                // compare-and-set. Only a destroyed channel needs to know (section 1: drained).
                if (control.isDestroyedOpaque() && q >= mode.ring.tailAcquire()) {
                    return Outcome.CLOSED;
                }
                sawWriting = seq == MessageDescriptor.claimed(q);
                return Outcome.EMPTY;
            }
            int state = words.stateOf(word, q);
            boolean redelivered = state == DeliveryWord.OPEN_ANY;
            if (state == DeliveryWord.OPEN && !isForUs(q)) {
                if (delivery.settleIfTargetGone(q, word)) {
                    q--;                                     // its word changed: look again
                }
                continue;                                    // another receiver's to take
            }
            if (state != DeliveryWord.OPEN && !redelivered) {
                // Finished, or a later lap's word (this slot was reused after it finished, and a
                // producer that died before marking the later position was skipped here).
                if (q == scan && (words.isFinished(word, q) || words.isLaterLap(word, q))) {
                    scan++;
                }
                continue;                                    // taken by another receiver, or finished
            }
            if (!take) {
                foundWord = word;                            // taken, if still so, when finished
            } else if (!words.tryTake(q, word, index)) {
                q--;                                         // another receiver moved first: look again
                continue;
            } else if (q == scan) {
                scan++;
            }
            heldRedelivered = redelivered;
            return q;
        }
        return control.isDestroyedOpaque() ? Outcome.CLOSED : Outcome.EMPTY;
    }

    @Override
    public boolean heldRedelivered() {
        return heldRedelivered;
    }

    @Override
    boolean releaseSlot(long position) {
        mode.words.markDoneRelease(position, index);
        mode.rows.publishSearchPosition(index, scan);         // where we stand, for observers
        return true;
    }

    /**
     * Finishes the message found at {@code position} straight to DONE, from the word read when
     * it was found (one compare-and-set, and so a full fence, where taking and releasing make a
     * compare-and-set, a store and a fence). False if anyone moved first: another receiver took
     * it, or a reaper settled it; the caller's copy is then void.
     */
    @Override
    boolean finishCopiedSlot(long position) {
        if (!mode.words.tryFinishCopied(position, foundWord, index)) {
            return false;
        }
        if (position == scan) {
            scan++;
        }
        mode.rows.publishSearchPosition(index, scan);         // where we stand, for observers
        return true;
    }

    /** Whether an OPEN committed message may be taken by this subscriber. */
    private boolean isForUs(long position) {
        return !mode.slots.isAddressed(position) || mode.slots.target(position) == id;
    }
}
