package dev.uipc.uring;

/**
 * How to create a {@link Ring}. Immutable; each {@code with} method returns a copy.
 *
 * <p>The defaults are those the io_uring maintainer advised in the discussion of the io_uring
 * RFC "io_uring: add IPC channel infrastructure", which uipc implements:
 * {@link SetupFlag#SINGLE_ISSUER} | {@link SetupFlag#DEFER_TASKRUN}, plus
 * {@link SetupFlag#TASKRUN_FLAG} so that checking for completions needs no system call when
 * none is pending, and {@link SetupFlag#NO_SQARRAY} where the kernel has it (6.6+), silently
 * dropped where it does not, as liburing does.
 *
 * @param entries        submission queue size; a power of two from 1 to 32768 (the kernel rounds
 *                       other values up, and refuses larger ones unless {@link SetupFlag#CLAMP})
 * @param flags          {@link SetupFlag} bits
 * @param cqEntries      completion queue size, used when {@code flags} has {@link SetupFlag#CQSIZE}
 * @param sqThreadIdleMillis how long an {@link SetupFlag#SQPOLL} thread spins before sleeping
 * @param noSqArray      try {@link SetupFlag#NO_SQARRAY} first and fall back without it
 * @param registerRingFd register the ring fd so that each io_uring_enter skips the fd lookup
 */
public record RingOptions(int entries, int flags, int cqEntries, int sqThreadIdleMillis, boolean noSqArray,
                          boolean registerRingFd) {

    /** The largest submission queue the kernel accepts without {@link SetupFlag#CLAMP}. */
    public static final int MAX_ENTRIES = 32768;

    /**
     * Checks the options before the kernel sees them.
     *
     * @param entries        submission queue size, 1 to {@link #MAX_ENTRIES}
     * @param flags          {@link SetupFlag} bits; DEFER_TASKRUN needs SINGLE_ISSUER
     * @param cqEntries      completion queue size, at least {@code entries} with CQSIZE
     * @param sqThreadIdleMillis how long an SQPOLL thread spins before sleeping, not negative
     * @param noSqArray      try NO_SQARRAY first
     * @param registerRingFd register the ring fd
     * @throws IllegalArgumentException for a combination the kernel would refuse, with the reason
     */
    public RingOptions {
        if (entries < 1 || entries > MAX_ENTRIES) {
            throw new IllegalArgumentException("a ring needs 1 to " + MAX_ENTRIES + " submission entries, not " + entries);
        }
        if ((flags & SetupFlag.DEFER_TASKRUN) != 0 && (flags & SetupFlag.SINGLE_ISSUER) == 0) {
            throw new IllegalArgumentException("DEFER_TASKRUN needs SINGLE_ISSUER: completion work can only be "
                    + "deferred to a ring's single owner");
        }
        if ((flags & SetupFlag.CQSIZE) != 0 && cqEntries < entries) {
            throw new IllegalArgumentException("with CQSIZE the completion queue (" + cqEntries
                    + ") must be at least as large as the submission queue (" + entries + ")");
        }
        if (sqThreadIdleMillis < 0) {
            throw new IllegalArgumentException("sqThreadIdleMillis must not be negative: " + sqThreadIdleMillis);
        }
    }

    /**
     * 64 entries, SINGLE_ISSUER | DEFER_TASKRUN | TASKRUN_FLAG, NO_SQARRAY where available.
     *
     * @return the defaults, to adjust with the {@code with} methods
     */
    public static RingOptions defaults() {
        return new RingOptions(64, SetupFlag.DEFAULT | SetupFlag.TASKRUN_FLAG, 0, 0, true, false);
    }

    /**
     * These options with another submission queue size: how many operations can be prepared before
     * a submit.
     *
     * @param entries submission queue size, 1 to {@link #MAX_ENTRIES}
     * @return a copy with that size
     */
    public RingOptions withEntries(int entries) {
        return new RingOptions(entries, flags, cqEntries, sqThreadIdleMillis, noSqArray, registerRingFd);
    }

    /**
     * Replaces the setup flags entirely.
     *
     * @param flags {@link SetupFlag} bits
     * @return a copy with exactly those flags
     */
    public RingOptions withFlags(int flags) {
        return new RingOptions(entries, flags, cqEntries, sqThreadIdleMillis, noSqArray, registerRingFd);
    }

    /**
     * Sets {@link SetupFlag#CQSIZE} and the completion queue size.
     *
     * @param cqEntries completion queue size, at least the submission queue size
     * @return a copy with that completion queue
     */
    public RingOptions withCompletionEntries(int cqEntries) {
        return new RingOptions(entries, flags | SetupFlag.CQSIZE, cqEntries, sqThreadIdleMillis, noSqArray,
                registerRingFd);
    }

    /**
     * Uses a kernel polling thread ({@link SetupFlag#SQPOLL}) that sleeps after {@code idleMillis}.
     *
     * @param idleMillis how long the thread spins without work before sleeping
     * @return a copy that polls
     */
    public RingOptions withSqPoll(int idleMillis) {
        return new RingOptions(entries, flags | SetupFlag.SQPOLL, cqEntries, idleMillis, noSqArray, registerRingFd);
    }

    /**
     * These options trying {@link SetupFlag#NO_SQARRAY} (one indirection less per submission) or
     * not; a kernel without it (before 6.6) is asked again without it.
     *
     * @param tryIt whether to try the flag
     * @return a copy that tries it or not
     */
    public RingOptions withNoSqArray(boolean tryIt) {
        return new RingOptions(entries, flags, cqEntries, sqThreadIdleMillis, tryIt, registerRingFd);
    }

    /**
     * These options registering the ring fd at open ({@link Ring#registerRingFd()}), so that each
     * io_uring_enter skips the file-table lookup, or not.
     *
     * @param register whether to register the ring fd
     * @return a copy that registers it or not
     */
    public RingOptions withRegisteredRingFd(boolean register) {
        return new RingOptions(entries, flags, cqEntries, sqThreadIdleMillis, noSqArray, register);
    }
}
