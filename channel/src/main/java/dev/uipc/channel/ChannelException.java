package dev.uipc.channel;

import dev.uipc.uring.Errno;

/**
 * A channel operation failed through misuse or because of the system: unknown channel
 * (ENOENT), not permitted (EACCES), invalid arguments (EINVAL), key in use (EEXIST), message
 * too large (EMSGSIZE), and so on. The message starts with the errno name and says what to do:
 * {@code "EACCES: subscriber 4097 of channel 3 may only receive; attach with SEND to send"}.
 *
 * <p>Expected outcomes on the hot path (empty, full, timed out) are never exceptions; they
 * are the {@link Outcome} codes that sends and receives return.
 */
public class ChannelException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** What went wrong, as an errno. */
    private final Errno errno;

    /**
     * A failure that {@code errno} names, with a sentence saying what happened and what to do;
     * the message becomes {@code "ERRNO: sentence"}.
     *
     * @param errno   the error, as a kernel implementation of the channel calls would return it
     * @param message what happened and what to do, without the errno name
     */
    public ChannelException(Errno errno, String message) {
        super(errno.name() + ": " + message);
        this.errno = errno;
    }

    /**
     * A failure that {@code errno} names, caused by {@code cause} (a system call's
     * {@link dev.uipc.uring.ErrnoException}, for one).
     *
     * @param errno   the error, as a kernel implementation of the channel calls would return it
     * @param message what happened and what to do, without the errno name
     * @param cause   what failed underneath
     */
    public ChannelException(Errno errno, String message, Throwable cause) {
        super(errno.name() + ": " + message, cause);
        this.errno = errno;
    }

    /**
     * What went wrong, as the errno a kernel implementation would have returned: switch on it
     * to handle a failure (ENOENT: attach again or give up; EACCES: ask the owner ...).
     *
     * @return the errno; {@link Errno#number()} is what {@code uipc} exits with
     */
    public Errno errno() {
        return errno;
    }
}
