package dev.uipc.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

/** One in-process run of the uipc command line: exit status, stdout, stderr. */
record CliRun(int status, String out, String err) {
    /** Strict: one JSON value per document, nothing after it. */
    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .build();

    /** The version the build says this is; the CLI must report the same. */
    static final String PROJECT_VERSION = System.getProperty("uipc.project.version");

    static CliRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = Uipc.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new CliRun(status, out.toString(), err.toString());
    }

    /** Runs with {@code stdin} as standard input. */
    static CliRun withInput(String stdin, String... args) {
        java.io.InputStream original = System.in;
        System.setIn(new java.io.ByteArrayInputStream(stdin.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        try {
            return of(args);
        } finally {
            System.setIn(original);
        }
    }

    /** Stdout parsed as one JSON value on one line. */
    JsonNode json() {
        List<JsonNode> lines = jsonLines();
        if (lines.size() != 1) {
            throw new AssertionError("expected one line of JSON, got " + lines.size() + ":\n" + this);
        }
        return lines.getFirst();
    }

    /** Each line of stdout parsed as one JSON value. */
    List<JsonNode> jsonLines() {
        return out.lines().map(line -> {
            try {
                return JSON.readTree(line);
            } catch (JsonProcessingException e) {
                throw new AssertionError("not JSON: " + line + "\n" + e.getMessage() + "\n" + this, e);
            }
        }).toList();
    }

    @Override
    public String toString() {
        return "exit " + status + "\n--- stdout:\n" + out + "--- stderr:\n" + err;
    }
}
