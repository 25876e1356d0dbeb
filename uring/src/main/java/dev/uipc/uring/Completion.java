package dev.uipc.uring;

/**
 * A holder the caller owns, into which {@link Ring#next(Completion)} copies one completion, so
 * that taking completions one at a time allocates nothing.
 */
public final class Completion {
    private int result;
    private int flags;
    private long userData;

    /** An empty holder, to be filled by {@link Ring#next(Completion)}. */
    public Completion() {
    }

    void set(int result, int flags, long userData) {
        this.result = result;
        this.flags = flags;
        this.userData = userData;
    }

    /**
     * The operation's result: {@code >= 0} on success (a byte count, a descriptor ...), {@code
     * -errno} on failure.
     *
     * @return the result; {@link Errno#of(int)} names a failure
     */
    public int result() {
        return result;
    }

    /**
     * The completion's {@link CqeFlag} bits.
     *
     * @return such as {@link CqeFlag#MORE} for a multishot operation that goes on
     */
    public int flags() {
        return flags;
    }

    /**
     * The 64-bit value the submission carried: how the caller tells its operations apart.
     *
     * @return the user data
     */
    public long userData() {
        return userData;
    }

    @Override
    public String toString() {
        return "Completion[userData=0x" + Long.toHexString(userData) + ", result="
                + (result < 0 ? "-" + Errno.nameOf(result) : Integer.toString(result)) + ", flags=0x"
                + Integer.toHexString(flags) + "]";
    }
}
