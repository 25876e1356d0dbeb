package dev.uipc.channel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * A private registry root under /dev/shm for one test, removed with everything in it when
 * closed, so tests never touch /dev/shm/uipc or each other.
 */
final class TestRegistry implements AutoCloseable {
    final Path root;
    final Registry registry;

    TestRegistry() {
        root = Path.of("/dev/shm", "uipc-test-" + UUID.randomUUID());
        registry = Registry.at(root);
    }

    /** The root with the mode the registry gives it (1777), for peers under other uids. */
    TestRegistry created() {
        try {
            Files.createDirectory(root);
            Files.setAttribute(root, "unix:mode", 01777);
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Channel create(ChannelOptions options) {
        return registry.create(options);
    }

    /** The names in the root, sorted: what a crash would leave behind. */
    java.util.List<String> files() {
        if (!Files.isDirectory(root)) {
            return java.util.List.of();
        }
        try (Stream<Path> s = Files.list(root)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
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
