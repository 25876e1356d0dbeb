package dev.uipc.uring.linux;

import dev.uipc.uring.Errno;
import dev.uipc.uring.ErrnoException;
import dev.uipc.uring.ProcessIdentity;
import dev.uipc.uring.ffm.Native;

import java.lang.foreign.Arena;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A file descriptor this process owns and closes exactly once. Closing is idempotent.
 */
public final class OwnedFd implements AutoCloseable {
    /** Access mode for {@link #open}: read only. */
    public static final int O_RDONLY = 0;
    /** Access mode for {@link #open}: write only. */
    public static final int O_WRONLY = 1;
    /** Access mode for {@link #open}: read and write. */
    public static final int O_RDWR = 2;
    private static final int O_CLOEXEC = 0x80000;

    private final int fd;
    private final String what;
    private boolean closed;

    private OwnedFd(int fd, String what) {
        this.fd = fd;
        this.what = what;
    }

    /**
     * Takes ownership of {@code fd}; {@code what} names it in messages ("eventfd", "pipe read end").
     *
     * @param fd   an open descriptor of this process, which nothing else will close
     * @param what what the descriptor is, for messages and {@link #toString()}
     * @return its owner, which closes it once
     * @throws IllegalArgumentException if {@code fd} is negative
     */
    public static OwnedFd adopt(int fd, String what) {
        if (fd < 0) {
            throw new IllegalArgumentException("not a file descriptor: " + fd);
        }
        return new OwnedFd(fd, what);
    }

    /**
     * Opens an existing file (open(2), always with {@code O_CLOEXEC}). Opening
     * {@code /proc/self/fd/N} makes a new descriptor of the file behind descriptor N with an
     * access mode of its own: with {@link #O_RDONLY}, one that can never be mapped writable,
     * which the kernel checks against the file's mode and owner like any other open.
     *
     * @param path       the file, such as {@code /proc/self/fd/N}
     * @param accessMode {@link #O_RDONLY}, {@link #O_WRONLY} or {@link #O_RDWR}; nothing else,
     *                   so that nothing is created, truncated or followed by surprise
     * @return the new descriptor, which the caller owns
     * @throws ErrnoException e.g. EACCES when the file's mode forbids this user that access
     * @throws IllegalArgumentException for any other access mode, or a path holding a NUL
     */
    public static OwnedFd open(Path path, int accessMode) {
        if (accessMode != O_RDONLY && accessMode != O_WRONLY && accessMode != O_RDWR) {
            throw new IllegalArgumentException("open takes O_RDONLY, O_WRONLY or O_RDWR, not 0x"
                    + Integer.toHexString(accessMode) + "; create files with java.nio.file.Files");
        }
        String name = path.toString();
        if (name.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("a path cannot hold a NUL character: " + name.replace('\0', '?'));
        }
        String mode = accessMode == O_RDONLY ? "O_RDONLY" : accessMode == O_WRONLY ? "O_WRONLY" : "O_RDWR";
        try (Arena local = Arena.ofConfined()) {
            int fd = Native.open(local.allocateFrom(name, StandardCharsets.UTF_8), accessMode | O_CLOEXEC, 0);
            if (fd < 0) {
                String hint = fd != -Errno.EACCES.number() ? null
                        : name.matches("/proc/\\d+/fd/.*")
                        ? "only a user allowed to trace that process may open its descriptors through /proc"
                        : "the file's owner and mode do not grant uid " + ProcessIdentity.uid() + " that access";
                throw new ErrnoException(-fd, "open(" + name + ", " + mode + ")", hint);
            }
            return new OwnedFd(fd, name);
        }
    }

    /**
     * The descriptor number.
     *
     * @return the number, for system calls and io_uring submissions, valid until {@link #close}
     * @throws IllegalStateException once closed: the number may name another file by then
     */
    public int value() {
        if (closed) {
            throw new IllegalStateException(what + " (fd " + fd + ") is closed");
        }
        return fd;
    }

    /**
     * Whether this owner has not closed the descriptor yet.
     *
     * @return {@code true} until {@link #close} is called
     */
    public boolean isOpen() {
        return !closed;
    }

    /**
     * Closes the descriptor (close(2)) the first time; later calls do nothing.
     *
     * @throws ErrnoException if close fails, e.g. EIO; the descriptor is released all the same.
     *                        Never EINTR, after which Linux has released it too: a retry could
     *                        close a descriptor another thread has just been given
     */
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
