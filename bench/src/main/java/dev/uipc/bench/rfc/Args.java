package dev.uipc.bench.rfc;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One line of the coordinator-to-worker protocol: a verb and {@code key=value} words, e.g.
 * {@code stream-send transport=pipe size=64 fds=7,9}. Values never hold spaces.
 */
public final class Args {
    private final String verb;
    private final Map<String, String> values;

    private Args(String verb, Map<String, String> values) {
        this.verb = verb;
        this.values = values;
    }

    public static Args parse(String line) {
        String[] words = line.trim().split(" +");
        Map<String, String> values = new LinkedHashMap<>();
        for (String word : Arrays.copyOfRange(words, 1, words.length)) {
            int eq = word.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("not key=value: '" + word + "' in: " + line);
            }
            values.put(word.substring(0, eq), word.substring(eq + 1));
        }
        return new Args(words[0], values);
    }

    public static Builder of(String verb) {
        return new Builder(verb);
    }

    public String verb() {
        return verb;
    }

    public String get(String key) {
        String v = values.get(key);
        if (v == null) {
            throw new IllegalArgumentException("'" + verb + "' needs " + key + "=");
        }
        return v;
    }

    public String get(String key, String otherwise) {
        return values.getOrDefault(key, otherwise);
    }

    public int getInt(String key) {
        return Integer.parseInt(get(key));
    }

    public long getLong(String key) {
        return Long.decode(get(key));
    }

    public boolean getBoolean(String key) {
        return Boolean.parseBoolean(get(key, "false"));
    }

    public int[] getInts(String key) {
        return Arrays.stream(get(key).split(",")).mapToInt(Integer::parseInt).toArray();
    }

    public String[] getList(String key) {
        return get(key).split(",");
    }

    /** The words whose keys start with {@code prefix + "."}, without it: one end of a ping-pong. */
    public Args sub(String prefix) {
        Map<String, String> inner = new LinkedHashMap<>();
        values.forEach((k, v) -> {
            if (k.startsWith(prefix + ".")) {
                inner.put(k.substring(prefix.length() + 1), v);
            }
        });
        return new Args(verb + " " + prefix, inner);
    }

    /** Builds a line. */
    public static final class Builder {
        private final StringBuilder line;

        private Builder(String verb) {
            line = new StringBuilder(verb);
        }

        public Builder with(String key, Object value) {
            String text = String.valueOf(value);
            if (text.isEmpty() || text.contains(" ") || text.contains("\n")) {
                throw new IllegalArgumentException(key + " must be one non-empty word: '" + text + "'");
            }
            line.append(' ').append(key).append('=').append(text);
            return this;
        }

        public Builder withAll(Map<String, String> more) {
            more.forEach(this::with);
            return this;
        }

        public Builder withAll(String prefix, Map<String, String> more) {
            more.forEach((k, v) -> with(prefix + "." + k, v));
            return this;
        }

        public String line() {
            return line.toString();
        }
    }
}
