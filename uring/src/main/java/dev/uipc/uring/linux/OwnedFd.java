package dev.uipc.uring.linux;

import dev.uipc.uring.Errno;
import dev.uipc.uring.ErrnoException;
import dev.uipc.uring.ffm.Native;

/**
 * A file descriptor this process owns and closes exactly once. Closing is idempotent.
 */
public final class OwnedFd implements AutoCloseable {
    private final int fd;
    private final String what;
    private boolean closed;

    private OwnedFd(int fd, String what) {
        this.fd = fd;
        this.what = what;
    }

    /** Takes ownership of {@code fd}; {@code what} names it in messages ("eventfd", "pipe read end"). */
    public static OwnedFd adopt(int fd, String what) {
        if (fd < 0) {
            throw new IllegalArgumentException("not a file descriptor: " + fd);
        }
        return new OwnedFd(fd, what);
    }

    /** The descriptor number. */
    public int value() {
        if (closed) {
            throw new IllegalStateException(what + " (fd " + fd + ") is closed");
        }
        return fd;
    }

    public boolean isOpen() {
        return !closed;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        int r = Native.close(fd);
        // EINTR from close still releases the descriptor on Linux; retrying could close another.
        if (r < 0 && r != -Errno.EINTR.number()) {
            throw new ErrnoException(r, "close(" + what + ", fd " + fd + ")");
        }
    }

    @Override
    public String toString() {
        return what + "(fd " + fd + (closed ? ", closed)" : ")");
    }
}
