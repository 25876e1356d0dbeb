package dev.uipc.uring;

/**
 * A system call failed. The message starts with the errno name, then says which call failed
 * and with what, then what the kernel says the error means, and, where we know one, what to
 * do about it: {@code "EINVAL: io_uring_setup(entries=3, flags=0x3000) failed: Invalid
 * argument. entries must be a power of two"}.
 */
public class ErrnoException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The positive error number. */
    private final int errno;
    /** The call that failed, with its arguments. */
    private final String operation;

    /**
     * A failed call, its errno, and what to do about it.
     *
     * @param errno     the error number, positive or negative
     * @param operation the call and its arguments, e.g. {@code "close(fd 7)"}
     * @param hint      what the reader can do about it, or {@code null}
     */
    public ErrnoException(int errno, String operation, String hint) {
        super(message(errno, operation, hint));
        this.errno = Math.abs(errno);
        this.operation = operation;
    }

    /**
     * A failed call and its errno, with nothing more to advise.
     *
     * @param errno     the error number, positive or negative
     * @param operation the call and its arguments, e.g. {@code "close(fd 7)"}
     */
    public ErrnoException(int errno, String operation) {
        this(errno, operation, null);
    }

    private static String message(int errno, String operation, String hint) {
        Errno e = Errno.of(errno);
        String text = Errno.nameOf(errno) + ": " + operation + " failed: "
                + (e != null ? e.description() : "unknown error");
        return hint == null ? text : text + ". " + hint;
    }

    /**
     * The positive error number.
     *
     * @return such as 105 for ENOBUFS
     */
    public int errno() {
        return errno;
    }

    /**
     * The error as a constant, to switch on.
     *
     * @return the constant, or {@code null} for a number Linux does not define
     */
    public Errno error() {
        return Errno.of(errno);
    }

    /**
     * The call that failed, with its arguments.
     *
     * @return such as {@code "close(fd 7)"}
     */
    public String operation() {
        return operation;
    }

    /**
     * Throws for a negative kernel-style result ({@code -errno}), such as a system call's or a
     * {@link Completion#result()}; returns the result otherwise, so that call sites read as
     * {@code fd = check(r, "open(...)")}.
     *
     * @param result    what the call returned
     * @param operation the call and its arguments, for the message
     * @return {@code result}, when it is not negative
     * @throws ErrnoException when it is
     */
    public static long check(long result, String operation) {
        if (result < 0) {
            throw new ErrnoException((int) -result, operation);
        }
        return result;
    }

    /**
     * {@link #check(long, String)} for an {@code int} result.
     *
     * @param result    what the call returned
     * @param operation the call and its arguments, for the message
     * @return {@code result}, when it is not negative
     * @throws ErrnoException when it is
     */
    public static int check(int result, String operation) {
        if (result < 0) {
            throw new ErrnoException(-result, operation);
        }
        return result;
    }
}
