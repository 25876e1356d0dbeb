package dev.uipc.uring;

/**
 * Features the kernel reports when a ring is created ({@code IORING_FEAT_*}). DO NOT CHANGE:
 * values from {@code include/uapi/linux/io_uring.h}.
 */
public final class Feature {
    private Feature() {
    }

    /** Both queues share one mapping (5.4). */
    public static final int SINGLE_MMAP = 1;
    /** Completions are not dropped when the queue is full, but held back (5.5). */
    public static final int NODROP = 1 << 1;
    /** Data for a submission is consumed when it is submitted (5.5). */
    public static final int SUBMIT_STABLE = 1 << 2;
    /** An offset of -1 reads or writes at the file's current position (5.6). */
    public static final int RW_CUR_POS = 1 << 3;
    /** Operations run with the credentials of the task that submitted them (5.6). */
    public static final int CUR_PERSONALITY = 1 << 4;
    /** Operations that would block are retried by internal polling, not by a worker thread (5.7). */
    public static final int FAST_POLL = 1 << 5;
    /** Poll masks have 32 bits, EPOLLEXCLUSIVE among them (5.9). */
    public static final int POLL_32BITS = 1 << 6;
    /** An SQPOLL ring may use unregistered files (5.11). */
    public static final int SQPOLL_NONFIXED = 1 << 7;
    /** io_uring_enter takes a timeout (5.11). */
    public static final int EXT_ARG = 1 << 8;
    /** Workers are threads of the submitting process (5.12). */
    public static final int NATIVE_WORKERS = 1 << 9;
    /** Registered resources can carry tags (5.13). */
    public static final int RSRC_TAGS = 1 << 10;
    /** IOSQE_CQE_SKIP_SUCCESS is honoured (5.17). */
    public static final int CQE_SKIP = 1 << 11;
    /** A linked submission's file is looked up when it runs, not when it is submitted (5.17). */
    public static final int LINKED_FILE = 1 << 12;
    /** A registered ring fd can be used for registration too (6.3). */
    public static final int REG_REG_RING = 1 << 13;
    /** Sends and receives can take a bundle of buffers (6.10). */
    public static final int RECVSEND_BUNDLE = 1 << 14;
    /** A wait can give a minimum timeout before returning fewer completions (6.12). */
    public static final int MIN_TIMEOUT = 1 << 15;
    /** Reads and writes can carry attributes, such as integrity data. */
    public static final int RW_ATTR = 1 << 16;
    /** Waiting for completions can be kept out of the iowait accounting. */
    public static final int NO_IOWAIT = 1 << 17;

    static final String[] NAMES = {
        "SINGLE_MMAP", "NODROP", "SUBMIT_STABLE", "RW_CUR_POS", "CUR_PERSONALITY", "FAST_POLL",
        "POLL_32BITS", "SQPOLL_NONFIXED", "EXT_ARG", "NATIVE_WORKERS", "RSRC_TAGS", "CQE_SKIP",
        "LINKED_FILE", "REG_REG_RING", "RECVSEND_BUNDLE", "MIN_TIMEOUT", "RW_ATTR", "NO_IOWAIT",
    };

    /**
     * A feature mask in words, for reports.
     *
     * @param features a feature mask, as {@link Ring#features()} returns it
     * @return the names of its bits, such as {@code "SINGLE_MMAP|NODROP"}
     */
    public static String names(int features) {
        return BitNames.render(Integer.toUnsignedLong(features), NAMES);
    }
}
