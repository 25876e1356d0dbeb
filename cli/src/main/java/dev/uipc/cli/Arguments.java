package dev.uipc.cli;

import picocli.CommandLine;

import java.time.Duration;
import java.util.Locale;

/** Converters for the command line's values, each failing with a sentence that says what it takes. */
final class Arguments {
    private Arguments() {
    }

    /** A 64-bit key, in decimal or 0x-hexadecimal (a leading 0 does not mean octal). */
    static final class Key implements CommandLine.ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            return parseKey(value);
        }
    }

    static long parseKey(String value) {
        String v = value.trim();
        try {
            if (v.startsWith("0x") || v.startsWith("0X")) {
                return Long.parseUnsignedLong(v.substring(2), 16);
            }
            return Long.parseUnsignedLong(v);
        } catch (NumberFormatException e) {
            throw new CommandLine.TypeConversionException("'" + value + "' is not a key: give 1 to 2^64-1 in decimal or "
                    + "0x-hex, e.g. 4660 or 0x1234");
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

    /** A duration: 250us, 500ms, 2s, 1m, 1h; a bare number is seconds. */
    static final class Time implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            return parseDuration(value);
        }
    }

    static Duration parseDuration(String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        int split = 0;
        while (split < v.length() && (Character.isDigit(v.charAt(split)) || v.charAt(split) == '.')) {
            split++;
        }
        String unit = v.substring(split);
        try {
            double amount = Double.parseDouble(v.substring(0, split));
            long nanos = switch (unit) {
                case "ns" -> (long) amount;
                case "us" -> (long) (amount * 1e3);
                case "ms" -> (long) (amount * 1e6);
                case "", "s" -> (long) (amount * 1e9);
                case "m", "min" -> (long) (amount * 60e9);
                case "h" -> (long) (amount * 3600e9);
                default -> throw new NumberFormatException(unit);
            };
            if (nanos >= 0) {
                return Duration.ofNanos(nanos);
            }
        } catch (NumberFormatException e) {
            // falls through to the message
        }
        throw new CommandLine.TypeConversionException("'" + value + "' is not a duration: give a number and a unit, "
                + "e.g. 500ms, 2s, 1m (ns, us, ms, s, m, h; a bare number is seconds)");
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

    /** "500ms", "2s", "1.5s" as people write them. */
    static String describe(Duration d) {
        long nanos = d.toNanos();
        if (nanos % 1_000_000_000L == 0) {
            return nanos / 1_000_000_000L + "s";
        }
        if (nanos % 1_000_000L == 0) {
            return nanos / 1_000_000L + "ms";
        }
        return nanos / 1000 + "us";
    }
}
