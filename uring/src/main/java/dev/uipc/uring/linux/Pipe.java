package dev.uipc.uring.linux;

import dev.uipc.uring.ErrnoException;
import dev.uipc.uring.ffm.Native;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * A pipe(2): bytes written to {@link #writeEnd()} are read from {@link #readEnd()}.
 *
 * @param readEnd  the end to read from
 * @param writeEnd the end to write to
 */
public record Pipe(OwnedFd readEnd, OwnedFd writeEnd) implements AutoCloseable {
    /** {@code O_CLOEXEC} for {@link #open}: both ends are closed on exec, so no child inherits them. */
    public static final int CLOEXEC = 0x80000;
    /**
     * {@code O_NONBLOCK} for {@link #open}: reading an empty pipe, or writing to a full one,
     * fails with EAGAIN instead of waiting.
     */
    public static final int NONBLOCK = 0x800;

    /**
     * Creates a pipe (pipe2(2)).
     *
     * @param flags {@link #CLOEXEC} and {@link #NONBLOCK}, or-ed; 0 for none
     * @return both ends, which the caller owns; closing the pipe closes both
     * @throws ErrnoException EINVAL for a flag not listed here; EMFILE or ENFILE when no
     *                        descriptor is free
     */
    public static Pipe open(int flags) {
        try (Arena local = Arena.ofConfined()) {
            MemorySegment fds = local.allocate(JAVA_INT, 2);
            ErrnoException.check(Native.pipe2(fds, flags), "pipe2()");
            return new Pipe(OwnedFd.adopt(fds.getAtIndex(JAVA_INT, 0), "pipe read end"),
                    OwnedFd.adopt(fds.getAtIndex(JAVA_INT, 1), "pipe write end"));
        }
    }

    /**
     * Writes {@code length} bytes of {@code buffer}; returns how many were written (write(2)).
     *
     * @param fd     the write end
     * @param buffer the bytes, from its start
     * @param length how many of them to write
     * @return how many were written, which may be fewer than {@code length}
     * @throws ErrnoException EPIPE if no read end is open; EAGAIN if the pipe is full and was
     *                        opened {@link #NONBLOCK}
     */
    public static long write(int fd, MemorySegment buffer, long length) {
        long r = Native.write(fd, buffer, length);
        if (r < 0) {                              // the message only on failure: writes allocate nothing
            throw new ErrnoException((int) -r, "write(fd " + fd + ")");
        }
        return r;
    }

    /**
     * Reads up to {@code length} bytes into {@code buffer}; returns how many (0 at end of file).
     * read(2): it waits while the pipe is empty and a write end is open, unless the pipe is
     * {@link #NONBLOCK}.
     *
     * @param fd     the read end
     * @param buffer where the bytes go, from its start
     * @param length the most to read
     * @return how many were read; 0 once every write end is closed and the pipe is empty
     * @throws ErrnoException EAGAIN if the pipe is empty and was opened {@link #NONBLOCK}
     */
    public static long read(int fd, MemorySegment buffer, long length) {
        long r = Native.read(fd, buffer, length);
        if (r < 0) {
            throw new ErrnoException((int) -r, "read(fd " + fd + ")");
        }
        return r;
    }

    /** Closes both ends: the write end even if closing the read end fails. */
    @Override
    public void close() {
        try {
            readEnd.close();
        } finally {
            writeEnd.close();
        }
    }
}
