package dev.uipc.channel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * A broker of a test's own, embedded in the test's JVM, shared (so that peers under other uids
 * may connect), with its socket in a fresh directory; and a registry connected to it. Closing it
 * stops the broker and removes the directory, so tests never touch another broker or each other.
 */
final class TestBroker implements AutoCloseable {
    final Path directory;
    final Path socket;
    final Broker broker;
    final Registry registry;

    TestBroker() {
        directory = Path.of("/tmp", "uipc-test-" + UUID.randomUUID());
        try {
            Files.createDirectory(directory);
            Files.setAttribute(directory, "unix:mode", 0755);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        socket = directory.resolve("broker.sock");
        broker = Broker.startShared(socket);
        registry = Registry.connect(socket);
    }

    Channel create(ChannelOptions options) {
        return registry.create(options);
    }

    /** Another connection to the same broker, as a second process would have. */
    Registry connect() {
        return Registry.connect(socket);
    }

    @Override
    public void close() {
        try {
            registry.close();
        } finally {
            broker.close();
            deleteTree(directory);
        }
    }

    static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
