package dev.uipc.cli;

import dev.uipc.channel.Broker;
import dev.uipc.channel.Registry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A broker setting that names no broker, or one not to be trusted, gets one line on stderr that
 * names the setting and says what to do, and the errno as the exit status; nothing is created
 * anywhere else meanwhile.
 */
class ConfigurationMistakesTest {
    private Path directory;

    @BeforeEach
    void makeDirectory() throws IOException {
        directory = Files.createTempDirectory("uipc-cli-config-");
        Files.setAttribute(directory, "unix:mode", 0700);
    }

    @AfterEach
    void clean() throws IOException {
        System.clearProperty(Registry.BROKER_PROPERTY);
        Files.setAttribute(directory, "unix:mode", 0700);
        try (Stream<Path> walk = Files.walk(directory)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** Runs {@code uipc ls} with the broker setting {@code value}; checks status and the one line of error. */
    private static String ls(String value, int status, String errno) {
        System.setProperty(Registry.BROKER_PROPERTY, value);
        CliRun run = CliRun.of("ls");
        assertEquals(status, run.status(), run.toString());
        assertTrue(run.out().isEmpty(), run.toString());
        assertEquals(1, run.err().lines().count(), "one line: " + run);
        assertTrue(run.err().startsWith(errno + ": "), run.toString());
        assertTrue(run.err().contains("-Duipc.broker"), "names the setting: " + run);
        return run.err();
    }

    @Test
    void eachMistakeIsNamedWithWhatToDo() throws IOException {
        assertTrue(ls("broker.sock", 22, "EINVAL").contains("is not an absolute path; name the broker's socket from the root"));
        assertTrue(ls(directory.toString(), 21, "EISDIR").contains("is a directory, not a broker's socket; name the socket "
                + "in it, such as " + directory.resolve("broker.sock")));
        Path file = Files.writeString(directory.resolve("broker.sock"), "");
        assertTrue(ls(file.toString(), 88, "ENOTSOCK").contains("is a regular file, not a broker's socket"));
        Files.delete(file);
        assertTrue(ls(directory.resolve("brokr").resolve("broker.sock").toString(), 2, "ENOENT")
                .contains("does not exist; start one there (uipc broker --socket "));
        assertTrue(ls(directory.resolve("broker.sock").toString(), 2, "ENOENT")
                .contains("there is no socket; start one there (uipc broker --socket " + directory.resolve("broker.sock")
                        + "), or unset -Duipc.broker to use the default broker"));
        try (Stream<Path> left = Files.list(directory)) {
            assertEquals(0, left.count(), "nothing was made meanwhile");
        }
    }

    @Test
    void aBrokerInADirectoryOthersCanWriteIsRefusedWithTheRemedy() {
        try (Broker broker = Broker.start(directory.resolve("broker.sock"))) {
            Files.setAttribute(directory, "unix:mode", 0770);
            String err = ls(broker.socket().toString(), 1, "EPERM");
            assertTrue(err.contains("is writable by its group (mode 0770)"), err);
            assertTrue(err.contains("run the broker with --socket in a directory only its owner can write"), err);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
