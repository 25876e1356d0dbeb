package dev.uipc.uring.linux;

import dev.uipc.uring.ErrnoException;
import dev.uipc.uring.ffm.Native;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_INT;

/** A pipe(2): bytes written to {@link #writeEnd()} are read from {@link #readEnd()}. */
public record Pipe(OwnedFd readEnd, OwnedFd writeEnd) implements AutoCloseable {
    public static final int CLOEXEC = 0x80000;
    public static final int NONBLOCK = 0x800;

    public static Pipe open(int flags) {
        try (Arena local = Arena.ofConfined()) {
            MemorySegment fds = local.allocate(JAVA_INT, 2);
            ErrnoException.check(Native.pipe2(fds, flags), "pipe2()");
            return new Pipe(OwnedFd.adopt(fds.getAtIndex(JAVA_INT, 0), "pipe read end"),
                    OwnedFd.adopt(fds.getAtIndex(JAVA_INT, 1), "pipe write end"));
        }
    }

    /** Writes {@code length} bytes of {@code buffer}; returns how many were written. */
    public static long write(int fd, MemorySegment buffer, long length) {
        return ErrnoException.check(Native.write(fd, buffer, length), "write(fd " + fd + ")");
    }

    /** Reads up to {@code length} bytes into {@code buffer}; returns how many (0 at end of file). */
    public static long read(int fd, MemorySegment buffer, long length) {
        return ErrnoException.check(Native.read(fd, buffer, length), "read(fd " + fd + ")");
    }

    @Override
    public void close() {
        try {
            readEnd.close();
        } finally {
            writeEnd.close();
        }
    }
}
