package dev.uipc.cli;

/**
 * A streaming JSON writer for the CLI's {@code --json} output: objects, arrays, strings,
 * numbers, booleans, with RFC 8259 string escaping. Commas are placed automatically. The
 * shapes it writes are specified in {@code docs/JSON.md}.
 */
final class Json {
    /**
     * The version of the shapes in {@code docs/JSON.md}, the {@code "format"} member of every
     * object the CLI prints on its own. It changes when a member is removed, renamed or changes
     * its meaning; members may be added (at the end of an object) without changing it.
     */
    static final int FORMAT = 1;

    private final StringBuilder out = new StringBuilder();
    /** Whether the next value in the current container needs a comma before it. */
    private boolean comma;

    /**
     * Begins an object that the CLI prints on its own, whose first members are {@code "version"},
     * the uipc that wrote it, and {@code "format"}, the version of its shape ({@link #FORMAT}),
     * so that a script can tell what it reads.
     */
    static Json topLevelObject() {
        return new Json().beginObject().field("version", Uipc.Version.number()).field("format", FORMAT);
    }

    Json beginObject() {
        separate();
        out.append('{');
        comma = false;
        return this;
    }

    Json endObject() {
        out.append('}');
        comma = true;
        return this;
    }

    Json beginArray() {
        separate();
        out.append('[');
        comma = false;
        return this;
    }

    Json endArray() {
        out.append(']');
        comma = true;
        return this;
    }

    /** Writes a member name; the next call writes its value. */
    Json name(String name) {
        separate();
        string(name);
        out.append(':');
        comma = false;
        return this;
    }

    Json value(String value) {
        separate();
        if (value == null) {
            out.append("null");
        } else {
            string(value);
        }
        comma = true;
        return this;
    }

    Json value(long value) {
        separate();
        out.append(value);
        comma = true;
        return this;
    }

    /** Writes the 64 bits of {@code value} as an unsigned number, 0 to 2^64-1. */
    Json valueUnsigned(long value) {
        separate();
        out.append(Long.toUnsignedString(value));
        comma = true;
        return this;
    }

    Json value(boolean value) {
        separate();
        out.append(value);
        comma = true;
        return this;
    }

    Json field(String name, String value) {
        return name(name).value(value);
    }

    Json field(String name, long value) {
        return name(name).value(value);
    }

    Json fieldUnsigned(String name, long value) {
        return name(name).valueUnsigned(value);
    }

    Json field(String name, boolean value) {
        return name(name).value(value);
    }

    private void separate() {
        if (comma) {
            out.append(',');
        }
    }

    private void string(String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    @Override
    public String toString() {
        return out.toString();
    }
}
