package dev.uipc.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One in-process run of the uipc command line: exit status, stdout (as bytes, and as UTF-8
 * text), stderr.
 */
record CliRun(int status, byte[] outBytes, String err) {
    /** Strict: one JSON value per document, nothing after it. */
    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .build();

    /** The version the build says this is; the CLI must report the same. */
    static final String PROJECT_VERSION = System.getProperty("uipc.project.version");

    static CliRun of(String... args) {
        return run(new byte[0], false, args);
    }

    /** Runs with {@code stdin} as standard input, in UTF-8. */
    static CliRun withInput(String stdin, String... args) {
        return withInput(stdin.getBytes(StandardCharsets.UTF_8), args);
    }

    /** Runs with these bytes as standard input. */
    static CliRun withInput(byte[] stdin, String... args) {
        return run(stdin, false, args);
    }

    /** Runs as if standard output were a terminal. */
    static CliRun onTerminal(String... args) {
        return run(new byte[0], true, args);
    }

    private static CliRun run(byte[] stdin, boolean terminal, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StringWriter err = new StringWriter();
        PrintWriter outText = new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), true);
        int status = Uipc.run(args, new Uipc.Streams(new ByteArrayInputStream(stdin), out, terminal), outText,
                new PrintWriter(err, true));
        outText.flush();
        return new CliRun(status, out.toByteArray(), err.toString());
    }

    /** Stdout as UTF-8 text. */
    String out() {
        return new String(outBytes, StandardCharsets.UTF_8);
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
        return out().lines().map(line -> {
            try {
                return JSON.readTree(line);
            } catch (JsonProcessingException e) {
                throw new AssertionError("not JSON: " + line + "\n" + e.getMessage() + "\n" + this, e);
            }
        }).toList();
    }

    @Override
    public String toString() {
        return "exit " + status + "\n--- stdout:\n" + out() + "--- stderr:\n" + err;
    }
}
