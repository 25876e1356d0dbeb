package dev.uipc.uring;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.UUID;

/** A small file in /dev/shm that a test and its child processes map, for shared futex words. */
final class SharedFile implements AutoCloseable {
    final Path path;
    final MemorySegment memory;
    private final Arena arena = Arena.ofShared();

    private SharedFile(Path path, boolean create) {
        this.path = path;
        try {
            if (create) {
                Files.write(path, new byte[4096], StandardOpenOption.CREATE_NEW);
            }
            try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                memory = channel.map(FileChannel.MapMode.READ_WRITE, 0, 4096, arena);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static SharedFile create() {
        return new SharedFile(Path.of("/dev/shm", "uipc-uring-test-" + UUID.randomUUID()), true);
    }

    static SharedFile open(String path) {
        return new SharedFile(Path.of(path), false);
    }

    @Override
    public void close() {
        arena.close();
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
