package dev.uipc.bench.rfc;

import java.util.Locale;

/**
 * How a contender waits when it runs dry (a receiver on an empty ring, a sender on a full one).
 * Comparisons are made within one class, so that nobody's spinning is compared with somebody
 * else's sleeping.
 */
enum Wait {
    /** Never sleeps: a whole core per waiter. uipc busy spin; Agrona's BusySpinIdleStrategy. */
    SPIN("busy spin", "spins"),
    /**
     * Spins briefly, then sleeps. uipc's default (10 microseconds, then a futex); the shm ring
     * spins as long, then reads its eventfd; Aeron and Agrona, which cannot sleep on a kernel
     * object, use their documented default BackoffIdleStrategy (spin, yield, then timed parks of
     * 1 microsecond growing to 1 ms). Pipes and sockets block in the kernel.
     */
    SPIN_THEN_PARK("spin, then park", "sleeps"),
    /** Sleeps at once: the uipc futex system call, or an eventfd read. */
    PARK("park (futex system call)", "sleeps"),
    /** Sleeps at once, through an io_uring FUTEX_WAIT submission (uipc only). */
    PARK_IO_URING("park (io_uring FUTEX_WAIT)", "sleeps");

    private final String label;
    private final String family;

    Wait(String label, String family) {
        this.label = label;
        this.family = family;
    }

    /** What a reader sees in a table. */
    String label() {
        return label;
    }

    /** "spins" or "sleeps": the class a fair comparison stays within. */
    String family() {
        return family;
    }

    /** The spin budget of the suite's own baselines (the shm ring) under this class. */
    long spinNanos() {
        return switch (this) {
            case SPIN -> Long.MAX_VALUE;
            case SPIN_THEN_PARK -> 10_000;
            case PARK, PARK_IO_URING -> 0;
        };
    }

    String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    static Wait parse(String s) {
        return valueOf(s.toUpperCase(Locale.ROOT).replace('-', '_'));
    }
}
