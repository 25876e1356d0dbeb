package dev.uipc.channel;

import java.nio.file.Path;

/** The names of a channel's files in a registry root, {@code docs/LAYOUT.md} section 1. */
final class ChannelFiles {
    private ChannelFiles() {
    }

    static final String LOCK = ".lock";
    static final String NEXT_ID = "next-id";
    static final String RING_SUFFIX = ".ring";
    static final String CONTROL_SUFFIX = ".ctl";
    static final String KEY_PREFIX = "key-";
    static final String TEMP_PREFIX = ".tmp-";

    static Path ring(Path root, int id) {
        return root.resolve(Integer.toUnsignedString(id) + RING_SUFFIX);
    }

    static Path control(Path root, int id) {
        return root.resolve(Integer.toUnsignedString(id) + CONTROL_SUFFIX);
    }

    static Path key(Path root, long key) {
        return root.resolve(KEY_PREFIX + String.format("%016x", key));
    }

    static Path tempRing(Path root, int id, long pid) {
        return root.resolve(TEMP_PREFIX + Integer.toUnsignedString(id) + "-" + pid + RING_SUFFIX);
    }

    static Path tempControl(Path root, int id, long pid) {
        return root.resolve(TEMP_PREFIX + Integer.toUnsignedString(id) + "-" + pid + CONTROL_SUFFIX);
    }

    /** The channel id a ring file's name holds, or -1 if it is not a ring file's name. */
    static int idOfRingFile(String name) {
        if (!name.endsWith(RING_SUFFIX) || name.startsWith(".")) {
            return -1;
        }
        String digits = name.substring(0, name.length() - RING_SUFFIX.length());
        if (digits.isEmpty() || digits.length() > 10 || !digits.chars().allMatch(Character::isDigit)) {
            return -1;
        }
        long id = Long.parseLong(digits);
        return id > 0 && id <= Integer.MAX_VALUE ? (int) id : -1;
    }

    /** "0x000000000000abcd" as the CLI and messages print keys. */
    static String keyText(long key) {
        return "0x" + Long.toHexString(key);
    }
}
