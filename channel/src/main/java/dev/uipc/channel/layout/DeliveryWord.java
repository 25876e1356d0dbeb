package dev.uipc.channel.layout;

/**
 * The 64-bit word in the control memory that says what happened to the message in one slot,
 * {@code docs/LAYOUT.md} section 3:
 *
 * <pre>
 *   63                               32 31       24 23                    0
 *  +-----------------------------------+-----------+-----------------------+
 *  |  lap: position >> log2(entries)   |   state   |  taker (row index)    |
 *  +-----------------------------------+-----------+-----------------------+
 * </pre>
 *
 * The lap tells this slot's occupant from the previous one, so that a compare-and-set made
 * with a stale view fails rather than acting on the wrong message. Only receivers (and
 * reapers) write these words: a message is OPEN when its slot's word says OPEN for its lap
 * (lap 0 in a new file, which is all zeros) or says its predecessor, one lap earlier, is
 * finished; so a producer never touches the line a receiver is writing.
 */
public final class DeliveryWord {
    private DeliveryWord() {
    }

    /** The size of a delivery word: 8 bytes, one per slot. */
    public static final long LENGTH = Long.BYTES;

    /** Takeable by its target, or by anyone if it has none. */
    public static final int OPEN = 0;
    /** Takeable by anyone: offered again after its taker or its assigned receiver left. */
    public static final int OPEN_ANY = 1;
    /** Being copied out by {@link #taker}. */
    public static final int TAKEN = 2;
    /** Received: its slot may be reused a lap later. */
    public static final int DONE = 3;
    /** Its producer died before committing it. */
    public static final int SKIPPED = 4;
    /** Its target left before taking it. */
    public static final int DROPPED = 5;

    private static final String[] NAMES = {"OPEN", "OPEN_ANY", "TAKEN", "DONE", "SKIPPED", "DROPPED"};

    /**
     * The word that says {@code state} for the occupant of lap {@code lap}.
     *
     * @param lap   the occupant's lap
     * @param state OPEN, OPEN_ANY, TAKEN, DONE, SKIPPED or DROPPED
     * @param taker the row index of the receiver taking it, 0 if none
     * @return the word
     */
    public static long encode(int lap, int state, int taker) {
        return ((long) lap << 32) | ((long) (state & 0xff) << 24) | (taker & 0xffffffL);
    }

    /**
     * The lap a word describes.
     *
     * @param word a delivery word
     * @return its upper 32 bits
     */
    public static int lap(long word) {
        return (int) (word >>> 32);
    }

    /**
     * The state a word says.
     *
     * @param word a delivery word
     * @return one of the states, or another value in a tampered word
     */
    public static int state(long word) {
        return (int) (word >>> 24) & 0xff;
    }

    /**
     * The receiver a TAKEN word names.
     *
     * @param word a delivery word
     * @return the row index in its low 24 bits
     */
    public static int taker(long word) {
        return (int) (word & 0xffffff);
    }

    /**
     * The lap of {@code position} in a ring of {@code 1 << entriesShift} slots.
     *
     * @param position     a message position
     * @param entriesShift log2 of the ring's entries
     * @return {@code position >>> entriesShift}
     */
    public static int lapOf(long position, int entriesShift) {
        return (int) (position >>> entriesShift);
    }

    /**
     * Whether the word says the occupant of lap {@code lap} is finished with.
     *
     * @param word a delivery word
     * @param lap  the occupant's lap
     * @return true if it says DONE, SKIPPED or DROPPED for that lap
     */
    public static boolean finished(long word, int lap) {
        return lap(word) == lap && finishedState(state(word));
    }

    private static boolean finishedState(int state) {
        return state == DONE || state == SKIPPED || state == DROPPED;
    }

    /**
     * The state of the occupant of lap {@code lap}: the word's own state if it describes that
     * lap, OPEN if it says the previous occupant is finished (producers never write delivery
     * words, so a new message starts with its predecessor's final word), or -1 if the word
     * describes neither (tampered memory, or a lap long gone).
     *
     * @param word a delivery word
     * @param lap  the occupant's lap
     * @return the occupant's state, or -1
     */
    public static int stateFor(long word, int lap) {
        int wordLap = lap(word);
        if (wordLap == lap) {
            return state(word);
        }
        return wordLap == lap - 1 && finishedState(state(word)) ? OPEN : -1;
    }

    /**
     * A state's name, for messages and snapshots.
     *
     * @param state a state
     * @return such as {@code "TAKEN"}, or {@code "STATE_9"} for a value no state has
     */
    public static String stateName(int state) {
        return state >= 0 && state < NAMES.length ? NAMES[state] : "STATE_" + state;
    }
}
