package dev.uipc.uring;

/** Flags of one submission ({@code IOSQE_*}). DO NOT CHANGE: values from the uapi header. */
public final class SqeFlag {
    private SqeFlag() {
    }

    /** The fd field is an index into the ring's registered files. */
    public static final int FIXED_FILE = 1;
    /** Start only after every earlier submission has completed. */
    public static final int IO_DRAIN = 1 << 1;
    /** The next submission starts only after this one completes (and is cancelled if it fails). */
    public static final int IO_LINK = 1 << 2;
    /** As {@link #IO_LINK}, but the next submission runs even if this one fails. */
    public static final int IO_HARDLINK = 1 << 3;
    /** Do not try the operation inline: hand it to a kernel worker at once. */
    public static final int ASYNC = 1 << 4;
    /** Let the kernel pick a buffer from a provided group. */
    public static final int BUFFER_SELECT = 1 << 5;
    /** Post no completion if the operation succeeds: fire-and-forget wakes and messages. */
    public static final int CQE_SKIP_SUCCESS = 1 << 6;
}
