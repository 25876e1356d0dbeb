package dev.uipc.channel.layout;

/**
 * The 64-bit word in the control file that says what happened to the message in one slot,
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
 * with a stale view fails rather than acting on the wrong message.
 */
public final class DeliveryWord {
    private DeliveryWord() {
    }

    public static final long LENGTH = Long.BYTES;

    /** Takeable by its target, or by anyone if it has none. */
    public static final int OPEN = 0;
    /** Takeable by anyone: offered again after its taker or its assigned receiver left. */
    public static final int OPEN_ANY = 1;
    /** Being copied out by {@link #taker}. */
    public static final int TAKEN = 2;
    public static final int DONE = 3;
    /** Its producer died before committing it. */
    public static final int SKIPPED = 4;
    /** Its target left before taking it. */
    public static final int DROPPED = 5;

    private static final String[] NAMES = {"OPEN", "OPEN_ANY", "TAKEN", "DONE", "SKIPPED", "DROPPED"};

    public static long encode(int lap, int state, int taker) {
        return ((long) lap << 32) | ((long) (state & 0xff) << 24) | (taker & 0xffffffL);
    }

    public static int lap(long word) {
        return (int) (word >>> 32);
    }

    public static int state(long word) {
        return (int) (word >>> 24) & 0xff;
    }

    public static int taker(long word) {
        return (int) (word & 0xffffff);
    }

    /** The lap of {@code position} in a ring of {@code 1 << entriesShift} slots. */
    public static int lapOf(long position, int entriesShift) {
        return (int) (position >>> entriesShift);
    }

    /** Whether the word says the occupant of lap {@code lap} is finished with. */
    public static boolean finished(long word, int lap) {
        int state = state(word);
        return lap(word) == lap && (state == DONE || state == SKIPPED || state == DROPPED);
    }

    public static String stateName(int state) {
        return state >= 0 && state < NAMES.length ? NAMES[state] : "STATE_" + state;
    }
}
