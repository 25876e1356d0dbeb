package dev.uipc.uring;

/** Flags of one completion ({@code IORING_CQE_F_*}). DO NOT CHANGE: values from the uapi header. */
public final class CqeFlag {
    private CqeFlag() {
    }

    public static final int BUFFER = 1;
    /** More completions will follow for this submission (multishot). */
    public static final int MORE = 1 << 1;
    public static final int SOCK_NONEMPTY = 1 << 2;
    public static final int NOTIF = 1 << 3;
    public static final int BUF_MORE = 1 << 4;
    public static final int SKIP = 1 << 5;
    public static final int F_32 = 1 << 15;
}
