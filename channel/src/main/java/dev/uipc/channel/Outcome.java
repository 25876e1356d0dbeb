package dev.uipc.channel;

import dev.uipc.uring.Errno;

/**
 * What a send or receive returns when it moved no message: negative errno values, as the
 * completions of the io_uring RFC "io_uring: add IPC channel infrastructure" carry them (literal
 * here so that callers can switch on them; a test pins each to its {@link Errno}). A
 * non-negative return is a byte count. None of these is an error; each says what the caller
 * should do next.
 */
public final class Outcome {
    private Outcome() {
    }

    /** Receive: no message for this subscriber now ({@code -EAGAIN}). Try again, or wait. */
    public static final int EMPTY = -11;
    /** Send: the ring has no free slot now ({@code -ENOBUFS}). Retry later, or send with a timeout. */
    public static final int FULL = -105;
    /** A send or receive with a timeout waited that long without success ({@code -ETIMEDOUT}). */
    public static final int TIMED_OUT = -110;
    /**
     * The channel was destroyed ({@code -EPIPE}): a send is refused; a receive returns this once
     * every message sent before the destroy has been received. Detach.
     */
    public static final int CLOSED = -32;

    /**
     * A send's or receive's result in words, for messages and logs.
     *
     * @param result what a send or receive returned
     * @return "EMPTY", "FULL", "TIMED_OUT", "CLOSED", "N bytes" for a byte count, or the errno
     *         name of another negative value
     */
    public static String describe(int result) {
        return switch (result) {
            case EMPTY -> "EMPTY";
            case FULL -> "FULL";
            case TIMED_OUT -> "TIMED_OUT";
            case CLOSED -> "CLOSED";
            default -> result >= 0 ? result + " bytes" : Errno.nameOf(result);
        };
    }
}
