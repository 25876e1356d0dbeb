package dev.uipc.uring;

/** Flags of one completion ({@code IORING_CQE_F_*}). DO NOT CHANGE: values from the uapi header. */
public final class CqeFlag {
    private CqeFlag() {
    }

    /** The upper 16 bits of the flags name the provided buffer the kernel picked. */
    public static final int BUFFER = 1;
    /** More completions will follow for this submission (multishot). */
    public static final int MORE = 1 << 1;
    /** The socket had more data to read when this receive completed. */
    public static final int SOCK_NONEMPTY = 1 << 2;
    /** A zero-copy send's notification: the kernel no longer uses the buffer. */
    public static final int NOTIF = 1 << 3;
    /** The provided buffer was only partly used and will be used again. */
    public static final int BUF_MORE = 1 << 4;
    /** A filler completion on a ring with mixed completion sizes: skip it. */
    public static final int SKIP = 1 << 5;
    /** The completion is 32 bytes on a ring with mixed completion sizes. */
    public static final int F_32 = 1 << 15;
}
