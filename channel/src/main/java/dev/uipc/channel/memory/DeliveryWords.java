package dev.uipc.channel.memory;

import dev.uipc.channel.layout.ChannelGeometry;
import dev.uipc.channel.layout.DeliveryWord;

import java.lang.foreign.MemorySegment;

/**
 * One word per slot in the control file saying what happened to the message there
 * ({@code docs/LAYOUT.md} sections 3 and 4). Written only by receivers, reapers and a producer
 * aborting its own claim, always by compare-and-set from a word read for the same lap — so a
 * stale view fails rather than acting on another lap's message — except {@link #markDoneRelease},
 * which only the taker writes.
 *
 * <p>A message's life in its word: OPEN (or its predecessor's final word, which means the same),
 * then {@link #tryTake TAKEN} by one receiver and {@link #markDoneRelease DONE}, or
 * {@link #tryFinishCopied DONE} at once by a receiver that copied it out first; or
 * {@link #tryOfferToAnyone OPEN_ANY} when its taker or assigned receiver left, then taken;
 * {@link #tryDrop DROPPED} when its only target left; {@link #trySkip SKIPPED} when its
 * producer died or aborted before committing.
 */
public final class DeliveryWords {
    private final MemorySegment ctl;
    private final long deliveryOffset;
    private final int mask;
    private final int entriesShift;

    DeliveryWords(MemorySegment ctl, ChannelGeometry geometry) {
        this.ctl = ctl;
        this.deliveryOffset = geometry.deliveryOffset();
        this.mask = geometry.mask();
        this.entriesShift = geometry.entriesShift();
    }

    private long offset(long position) {
        return deliveryOffset + (long) ((int) position & mask) * DeliveryWord.LENGTH;
    }

    /** Which occupant of its slot {@code position} is. */
    public int lap(long position) {
        return DeliveryWord.lapOf(position, entriesShift);
    }

    /** The word of {@code position}'s slot; read before the message's header, which it may publish. */
    public long wordAcquire(long position) {
        return (long) Words.LONG.getAcquire(ctl, offset(position));
    }

    /**
     * The state of {@code position}'s message according to {@code word}: OPEN if the word
     * describes the slot's previous occupant as finished, or -1 if it describes neither (a
     * later lap, or a tampered file).
     */
    public int stateOf(long word, long position) {
        return DeliveryWord.stateFor(word, lap(position));
    }

    /** Whether {@code word} says {@code position}'s message is finished: DONE, SKIPPED or DROPPED. */
    public boolean isFinished(long word, long position) {
        return DeliveryWord.finished(word, lap(position));
    }

    /** Whether the word describes a lap after {@code position}'s: that message was finished long ago. */
    public boolean isLaterLap(long word, long position) {
        return DeliveryWord.lap(word) - lap(position) > 0;
    }

    /** Takes an OPEN or OPEN_ANY message for receiver {@code takerIndex}; fails if anyone moved first. */
    public boolean tryTake(long position, long word, int takerIndex) {
        return Words.LONG.compareAndSet(ctl, offset(position), word,
                DeliveryWord.encode(lap(position), DeliveryWord.TAKEN, takerIndex));
    }

    /**
     * Finishes an OPEN or OPEN_ANY message that receiver {@code takerIndex} has already copied
     * out, straight to DONE, from the very {@code word} it read before copying; fails if anyone
     * moved first (another receiver took it, a reaper settled it), and the copy is then void.
     * While the word still holds what was read, no receiver has taken the message and no
     * producer may reuse its slot, so the copy read what its producer committed. The
     * compare-and-set is an atomic read-modify-write, so a full fence: the copy's loads are
     * complete BEFORE DONE hands the slot back to producers, and DONE is visible BEFORE the
     * caller's next load (the waiting count of senders, section 5).
     */
    public boolean tryFinishCopied(long position, long word, int takerIndex) {
        return Words.LONG.compareAndSet(ctl, offset(position), word,
                DeliveryWord.encode(lap(position), DeliveryWord.DONE, takerIndex));
    }

    /** The taker is done: the copy out is complete BEFORE DONE hands the slot back to producers. */
    public void markDoneRelease(long position, int takerIndex) {
        Words.LONG.setRelease(ctl, offset(position), DeliveryWord.encode(lap(position), DeliveryWord.DONE, takerIndex));
    }

    /** Offers a message to every receiver (OPEN_ANY): its taker or its assigned receiver left. */
    public boolean tryOfferToAnyone(long position, long word) {
        return Words.LONG.compareAndSet(ctl, offset(position), word,
                DeliveryWord.encode(lap(position), DeliveryWord.OPEN_ANY, 0));
    }

    /** Drops a message whose only target left. */
    public boolean tryDrop(long position, long word) {
        return Words.LONG.compareAndSet(ctl, offset(position), word,
                DeliveryWord.encode(lap(position), DeliveryWord.DROPPED, 0));
    }

    /**
     * Marks {@code position} SKIPPED — its producer died, or aborted, before committing — if
     * its word speaks of an earlier lap, or of this very lap as OPEN. Never acts on a word of a
     * later lap: a stale position finds its slot's word describing a later occupant, and fails.
     * (An earlier lap in any state, not only a finished one: broadcast receivers never write
     * delivery words, so a broadcast slot's word stays at whatever lap was last skipped.)
     *
     * @return whether this call skipped it
     */
    public boolean trySkip(long position) {
        int lap = lap(position);
        for (;;) {
            long word = wordAcquire(position);
            int wordLap = DeliveryWord.lap(word);
            boolean earlier = wordLap - lap < 0;                  // laps wrap: compare as a difference
            boolean openNow = wordLap == lap && DeliveryWord.state(word) == DeliveryWord.OPEN;
            if (!earlier && !openNow) {
                return false;
            }
            if (Words.LONG.compareAndSet(ctl, offset(position), word, DeliveryWord.encode(lap, DeliveryWord.SKIPPED, 0))) {
                return true;
            }
        }
    }

    /** Whether {@code word} says receiver {@code takerIndex} took {@code position}'s message and holds it. */
    public boolean isTakenBy(long word, long position, int takerIndex) {
        return DeliveryWord.lap(word) == lap(position) && DeliveryWord.state(word) == DeliveryWord.TAKEN
                && DeliveryWord.taker(word) == takerIndex;
    }

    /** Whether {@code word} says {@code position}'s message was skipped. */
    public boolean isSkipped(long word, long position) {
        return DeliveryWord.lap(word) == lap(position) && DeliveryWord.state(word) == DeliveryWord.SKIPPED;
    }
}
