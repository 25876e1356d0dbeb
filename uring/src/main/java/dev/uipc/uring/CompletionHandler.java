package dev.uipc.uring;

/** Receives completions as primitives, so that delivering one allocates nothing. */
@FunctionalInterface
public interface CompletionHandler {
    /**
     * Handles one completion; it has already been consumed from the ring.
     *
     * @param result   the operation's result: a count or value on success, {@code -errno} on
     *                 failure (see {@link Errno#of(int)})
     * @param flags    {@link CqeFlag} bits
     * @param userData the value the submission carried
     */
    void onCompletion(int result, int flags, long userData);
}
