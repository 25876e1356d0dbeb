package dev.uipc.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.uipc.channel.Broker;
import dev.uipc.channel.Registry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the command tests share: a broker of the test's own, named by the {@code uipc.broker}
 * property as a user would name one, a second process's view of it, and the checks every
 * command's result gets.
 */
abstract class WithBroker {
    Path directory;
    Broker broker;
    /** A second process's view of the same broker. */
    Registry registry;

    @BeforeEach
    void privateBroker() throws IOException {
        directory = Files.createTempDirectory("uipc-cli-test-");
        broker = Broker.start(directory.resolve("broker.sock"));
        System.setProperty(Registry.BROKER_PROPERTY, broker.socket().toString());
        registry = Registry.connect(broker.socket());
    }

    @AfterEach
    void stopIt() throws IOException {
        System.clearProperty(Registry.BROKER_PROPERTY);
        registry.close();
        broker.close();
        try (Stream<Path> walk = Files.walk(directory)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** Asserts that the run succeeded. */
    static CliRun ok(CliRun run) {
        assertEquals(0, run.status(), run.toString());
        return run;
    }

    static CliRun ok(String... args) {
        return ok(CliRun.of(args));
    }

    /** Asserts that the run failed with {@code status}, an error starting with {@code errno} on stderr, nothing on stdout. */
    static CliRun fails(int status, String errno, CliRun run) {
        assertEquals(status, run.status(), run.toString());
        // recv says "attached: subscriber N" first, once attached; the error follows it.
        String error = run.err().lines().filter(l -> !l.startsWith("attached: subscriber ")).findFirst().orElse("");
        assertTrue(error.startsWith(errno + ": "), "the error on stderr starts with the errno name: " + run);
        assertEquals(1, run.err().lines().filter(l -> !l.startsWith("attached: subscriber ")
                && !l.startsWith("see: ") && !l.startsWith("Did you mean")).count(), "one line of error: " + run);
        assertEquals(0, run.outBytes().length, "nothing on stdout: " + run);
        return run;
    }

    static CliRun fails(int status, String errno, String... args) {
        return fails(status, errno, CliRun.of(args));
    }

    /** The member names of a JSON object, in the order printed. */
    static List<String> names(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** Runs {@code uipc create OPTIONS} and returns the id it printed. */
    static int create(String... options) {
        String[] args = new String[options.length + 1];
        args[0] = "create";
        System.arraycopy(options, 0, args, 1, options.length);
        return Integer.parseInt(ok(args).out().trim());
    }
}
