package dev.uipc.uring;

import java.util.StringJoiner;

/** Renders a bit mask as the names of its bits: {@code "SINGLE_ISSUER|DEFER_TASKRUN"}. */
final class BitNames {
    private BitNames() {
    }

    /**
     * @param names the name of bit {@code i} at index {@code i}; {@code null} for an unnamed bit
     * @return the names of the set bits joined by {@code |}, unknown bits in hex, "0" for none
     */
    static String render(long mask, String[] names) {
        if (mask == 0) {
            return "0";
        }
        StringJoiner joined = new StringJoiner("|");
        long unknown = 0;
        for (int bit = 0; bit < 64; bit++) {
            long value = 1L << bit;
            if ((mask & value) == 0) {
                continue;
            }
            if (bit < names.length && names[bit] != null) {
                joined.add(names[bit]);
            } else {
                unknown |= value;
            }
        }
        if (unknown != 0) {
            joined.add("0x" + Long.toHexString(unknown));
        }
        return joined.toString();
    }
}
