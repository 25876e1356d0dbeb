package dev.uipc.cli;

import dev.uipc.channel.Subscriber;
import picocli.CommandLine;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.Locale;

/** Converters for the command line's values, each failing with a sentence that says what it takes. */
final class Arguments {
    private Arguments() {
    }

    /** A channel's 64-bit key: 1 to 2^64-1, in decimal or 0x-hexadecimal (a leading 0 does not mean octal). */
    static final class Key implements CommandLine.ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            return parseKey(value);
        }
    }

    static long parseKey(String value) {
        Long key = unsigned64(value);
        if (key == null || key == 0) {
            throw new CommandLine.TypeConversionException("'" + value + "' is not a key: give 1 to 2^64-1 in decimal or "
                    + "0x-hex, e.g. 4660 or 0x1234" + (key != null ? " (0 would mean no key: leave --key out for that)" : ""));
        }
        return key;
    }

    /**
     * A message's 64-bit tag: 0 to 2^64-1 in decimal or 0x-hex, or a negative decimal for the
     * same bits in two's complement (-1 is 0xffffffffffffffff).
     */
    static final class Tag implements CommandLine.ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            Long tag = unsigned64(value);
            if (tag == null) {
                try {
                    tag = Long.parseLong(value.trim());
                } catch (NumberFormatException e) {
                    throw new CommandLine.TypeConversionException("'" + value + "' is not a tag: give a 64-bit number, "
                            + "0 to 2^64-1 in decimal or 0x-hex, or -2^63 to -1");
                }
            }
            return tag;
        }
    }

    /** A decimal or 0x-hex number of 0 to 2^64-1, or null if {@code value} is none. */
    private static Long unsigned64(String value) {
        String v = value.trim();
        try {
            if (v.startsWith("0x") || v.startsWith("0X")) {
                return Long.parseUnsignedLong(v.substring(2), 16);
            }
            return v.startsWith("+") || v.startsWith("-") ? null : Long.parseUnsignedLong(v);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** A channel id: 1 to 2^31-1, as the broker numbers them. */
    static final class ChannelId implements CommandLine.ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            int id = positive(value, 1);
            if (id < 1) {
                throw new CommandLine.TypeConversionException("'" + value + "' is not a channel id: ids are whole numbers "
                        + "from 1 (uipc ls lists them)");
            }
            return id;
        }
    }

    /** A subscriber id to target: 1 to 2^31-1 (what {@code recv} prints as "attached: subscriber N"), or 0 for any. */
    static final class SubscriberId implements CommandLine.ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            int id = positive(value, 0);
            if (id < 0) {
                throw new CommandLine.TypeConversionException("'" + value + "' is not a subscriber id: give the id a "
                        + "receiver printed ('attached: subscriber N'), or 0 for any receiver");
            }
            return id;
        }
    }

    /** A decimal int of at least {@code min}, or -1 if {@code value} is none. */
    private static int positive(String value, int min) {
        try {
            int n = Integer.parseInt(value.trim());
            return n >= min ? n : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Permission bits in octal: 0660 or 660. */
    static final class Permissions implements CommandLine.ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            try {
                int bits = Integer.parseInt(value.trim(), 8);
                if (bits >= 0 && bits <= 0777) {
                    return bits;
                }
            } catch (NumberFormatException e) {
                // falls through to the message
            }
            throw new CommandLine.TypeConversionException("'" + value + "' is not a permission mode: give octal bits "
                    + "such as 0600 or 0660 (read = may receive, write = may send)");
        }
    }

    /** A duration: 250us, 500ms, 2s, 1.5m, 1h; a bare number is seconds; {@code forever} has no limit. */
    static final class Time implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            return parseDuration(value);
        }
    }

    /** The longest finite duration: what fits in a signed 64-bit count of nanoseconds, about 292 years. */
    private static final BigDecimal MAX_NANOS = BigDecimal.valueOf(Long.MAX_VALUE);

    /**
     * Parses a duration exactly (decimal arithmetic, so {@code 1.1s} is 1,100,000,000 ns); a
     * fraction of a nanosecond, a negative or an unknown unit is refused with a sentence.
     * {@code forever} is {@link Subscriber#FOREVER}.
     */
    static Duration parseDuration(String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        if (v.equals("forever")) {
            return Subscriber.FOREVER;
        }
        int split = 0;
        while (split < v.length() && (Character.isDigit(v.charAt(split)) || v.charAt(split) == '.')) {
            split++;
        }
        String unit = v.substring(split).strip();
        BigDecimal perUnit = switch (unit) {
            case "ns" -> BigDecimal.ONE;
            case "us", "\u00b5s" -> BigDecimal.valueOf(1_000L);
            case "ms" -> BigDecimal.valueOf(1_000_000L);
            case "", "s" -> BigDecimal.valueOf(1_000_000_000L);
            case "m", "min" -> BigDecimal.valueOf(60_000_000_000L);
            case "h" -> BigDecimal.valueOf(3_600_000_000_000L);
            default -> null;
        };
        String problem = "give a number and a unit, e.g. 500ms, 2s, 1m (ns, us, ms, s, m, h; a bare number is seconds), "
                + "or forever";
        if (perUnit != null && split > 0) {
            try {
                BigDecimal nanos = new BigDecimal(v.substring(0, split)).multiply(perUnit);
                if (nanos.compareTo(MAX_NANOS) > 0) {
                    problem = "that is longer than uipc can count (about 292 years); say forever for no limit";
                } else if (nanos.stripTrailingZeros().scale() > 0) {
                    problem = "the smallest step is a nanosecond";
                } else {
                    return Duration.ofNanos(nanos.longValueExact());
                }
            } catch (NumberFormatException | ArithmeticException e) {
                // not a number: the general problem stands
            }
        }
        throw new CommandLine.TypeConversionException("'" + value + "' is not a duration: " + problem);
    }

    /** A size in bytes: 4096, 64k, 1m (k and m are 1024 and 1048576). */
    static final class Size implements CommandLine.ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            String v = value.trim().toLowerCase(Locale.ROOT);
            long multiplier = 1;
            if (v.endsWith("k")) {
                multiplier = 1024;
                v = v.substring(0, v.length() - 1);
            } else if (v.endsWith("m")) {
                multiplier = 1024 * 1024;
                v = v.substring(0, v.length() - 1);
            }
            try {
                long bytes = Long.parseLong(v) * multiplier;
                if (bytes >= 0 && bytes <= Integer.MAX_VALUE) {
                    return (int) bytes;
                }
            } catch (NumberFormatException e) {
                // falls through to the message
            }
            throw new CommandLine.TypeConversionException("'" + value + "' is not a size: give bytes, e.g. 4096, 64k, 1m");
        }
    }

    /** A duration as people write it, exactly: "500ms", "2s", "1.5s", "10us", "250ns", "forever". */
    static String describe(Duration d) {
        if (isForever(d)) {
            return "forever";
        }
        long nanos = d.toNanos();
        if (nanos == 0) {
            return "0s";
        }
        String[] units = {"h", "m", "s", "ms", "us", "ns"};
        long[] sizes = {3_600_000_000_000L, 60_000_000_000L, 1_000_000_000L, 1_000_000L, 1_000L, 1L};
        for (int i = 0; i < units.length; i++) {
            // The largest unit in which it is a whole number, or at least 1 with up to three decimals.
            BigDecimal amount = new BigDecimal(nanos).divide(BigDecimal.valueOf(sizes[i]), 3, RoundingMode.DOWN);
            boolean exact = amount.multiply(BigDecimal.valueOf(sizes[i])).compareTo(new BigDecimal(nanos)) == 0;
            if (exact && (nanos % sizes[i] == 0 || amount.compareTo(BigDecimal.ONE) >= 0)) {
                return amount.stripTrailingZeros().toPlainString() + units[i];
            }
        }
        return nanos + "ns";
    }

    /** Whether {@code d} means no limit: {@link Subscriber#FOREVER}, or anything too long to count in nanoseconds. */
    static boolean isForever(Duration d) {
        return d.getSeconds() >= Long.MAX_VALUE / 1_000_000_000L;
    }
}
