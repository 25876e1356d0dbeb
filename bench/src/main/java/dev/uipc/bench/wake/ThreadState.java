package dev.uipc.bench.wake;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The scheduler's state of one thread of another process, from {@code /proc/PID/task/TID/stat}:
 * 'S' while it sleeps in the kernel (a futex, io_uring_enter, a read), 'R' while it runs or
 * waits for a CPU. The waker reads it before each sample, so that every sample is a wake from
 * sleep and none catches the sleeper still on its way down. The file stays open and is re-read
 * from offset 0, which makes the kernel render it afresh; nothing is allocated per look.
 */
final class ThreadState implements AutoCloseable {
    private final Path path;
    private final FileChannel file;
    private final ByteBuffer buffer = ByteBuffer.allocate(1024);

    ThreadState(long pid, int tid) {
        this.path = Path.of("/proc", Long.toString(pid), "task", Integer.toString(tid), "stat");
        try {
            this.file = FileChannel.open(path, StandardOpenOption.READ);
        } catch (IOException e) {
            throw new UncheckedIOException("could not open " + path + " (has the sleeper's thread gone?)", e);
        }
    }

    /** The state letter now: R, S, D, T ... */
    char state() {
        buffer.clear();
        int n;
        try {
            n = file.read(buffer, 0);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + path, e);
        }
        // "TID (COMM) S ...": COMM may hold spaces and parentheses, so look for the last ')'.
        for (int i = n - 1; i > 0; i--) {
            if (buffer.get(i) == ')' && i + 2 < n) {
                return (char) buffer.get(i + 2);
            }
        }
        throw new IllegalStateException("no state in " + path);
    }

    /** The calling thread's id (its kernel task id), from the /proc/thread-self link. */
    static int currentTid() {
        try {
            Path link = Files.readSymbolicLink(Path.of("/proc/thread-self"));     // "PID/task/TID"
            return Integer.parseInt(link.getFileName().toString());
        } catch (IOException e) {
            throw new UncheckedIOException("could not read /proc/thread-self", e);
        }
    }

    @Override
    public void close() {
        try {
            file.close();
        } catch (IOException ignored) {
            // a /proc file: nothing to flush
        }
    }
}
