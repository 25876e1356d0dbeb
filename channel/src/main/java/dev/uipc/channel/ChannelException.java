package dev.uipc.channel;

import dev.uipc.uring.Errno;

/**
 * A channel operation failed through misuse or because of the system: unknown channel
 * (ENOENT), not permitted (EACCES), invalid arguments (EINVAL), key in use (EEXIST), message
 * too large (EMSGSIZE), and so on. The message starts with the errno name and says what to do:
 * {@code "EACCES: subscriber 4097 of channel 3 may only receive; attach with SEND to send"}.
 *
 * <p>Expected outcomes on the hot path (empty, full, timed out) are never exceptions; they
 * are the {@link Status} codes that sends and receives return.
 */
public class ChannelException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final Errno errno;

    public ChannelException(Errno errno, String message) {
        super(errno.name() + ": " + message);
        this.errno = errno;
    }

    public ChannelException(Errno errno, String message, Throwable cause) {
        super(errno.name() + ": " + message, cause);
        this.errno = errno;
    }

    /** What went wrong, as the errno a kernel implementation would have returned. */
    public Errno errno() {
        return errno;
    }
}
