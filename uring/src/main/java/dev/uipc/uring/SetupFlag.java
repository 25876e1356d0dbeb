package dev.uipc.uring;

/**
 * Flags for creating a ring ({@code IORING_SETUP_*}). DO NOT CHANGE: values from
 * {@code include/uapi/linux/io_uring.h}. Kept as {@code int}: several are above bit 7, which a
 * {@code byte} silently drops (the bug that made one Java binding pass 0 for SINGLE_ISSUER).
 */
public final class SetupFlag {
    private SetupFlag() {
    }

    /** Completions are found by polling the device, not by interrupts (O_DIRECT block I/O). */
    public static final int IOPOLL = 1;
    /** A kernel thread polls the SQ, so submission needs no system call while it is awake. */
    public static final int SQPOLL = 1 << 1;
    /** Pin the SQPOLL thread to the CPU given in {@code sq_thread_cpu}. */
    public static final int SQ_AFF = 1 << 2;
    /** Use {@code cq_entries} for the CQ size instead of twice the SQ size. */
    public static final int CQSIZE = 1 << 3;
    /** Clamp too-large entry counts instead of failing. */
    public static final int CLAMP = 1 << 4;
    /** Share the worker pool of the ring given in {@code wq_fd}. */
    public static final int ATTACH_WQ = 1 << 5;
    /** Start disabled; the thread that enables it becomes the SINGLE_ISSUER owner. */
    public static final int R_DISABLED = 1 << 6;
    /** Go on submitting after a submission fails, instead of stopping at it. */
    public static final int SUBMIT_ALL = 1 << 7;
    /** Run completion work at the next kernel transition instead of interrupting the task. */
    public static final int COOP_TASKRUN = 1 << 8;
    /** Set IORING_SQ_TASKRUN in the SQ flags when completion work is pending. */
    public static final int TASKRUN_FLAG = 1 << 9;
    /** Submission entries are 128 bytes, for commands that need more room. */
    public static final int SQE128 = 1 << 10;
    /** Completion entries are 32 bytes, for commands that return more. */
    public static final int CQE32 = 1 << 11;
    /** Only one task submits; another gets EEXIST (6.0). */
    public static final int SINGLE_ISSUER = 1 << 12;
    /** Run completion work only when the owner waits for completions (6.1); needs SINGLE_ISSUER. */
    public static final int DEFER_TASKRUN = 1 << 13;
    /** The application provides the queues' memory instead of mapping the kernel's. */
    public static final int NO_MMAP = 1 << 14;
    /** Return a registered ring index instead of a file descriptor. */
    public static final int REGISTERED_FD_ONLY = 1 << 15;
    /** No SQ index array: SQE i is submitted by advancing the tail past it (6.6). */
    public static final int NO_SQARRAY = 1 << 16;
    /** Sleep a little before polling for completions (with IOPOLL). */
    public static final int HYBRID_IOPOLL = 1 << 17;
    /** Completion entries of 16 and 32 bytes may be mixed. */
    public static final int CQE_MIXED = 1 << 18;
    /** Submission entries of 64 and 128 bytes may be mixed. */
    public static final int SQE_MIXED = 1 << 19;

    /**
     * The pair the io_uring maintainer advised in the discussion of the io_uring RFC "io_uring:
     * add IPC channel infrastructure": one owner thread, completion work run only when it waits.
     */
    public static final int DEFAULT = SINGLE_ISSUER | DEFER_TASKRUN;

    static final String[] NAMES = {
        "IOPOLL", "SQPOLL", "SQ_AFF", "CQSIZE", "CLAMP", "ATTACH_WQ", "R_DISABLED", "SUBMIT_ALL",
        "COOP_TASKRUN", "TASKRUN_FLAG", "SQE128", "CQE32", "SINGLE_ISSUER", "DEFER_TASKRUN", "NO_MMAP",
        "REGISTERED_FD_ONLY", "NO_SQARRAY", "HYBRID_IOPOLL", "CQE_MIXED", "SQE_MIXED",
    };

    /**
     * Setup flags in words, for reports.
     *
     * @param flags setup flags, as {@link Ring#setupFlags()} returns them
     * @return the names of the bits, such as {@code "SINGLE_ISSUER|DEFER_TASKRUN"} for 0x3000
     */
    public static String names(int flags) {
        return BitNames.render(Integer.toUnsignedLong(flags), NAMES);
    }
}
