package dev.uipc.uring.linux;

import dev.uipc.uring.ErrnoException;
import dev.uipc.uring.ffm.Native;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * eventfd(2): a 64-bit counter with a descriptor, readable when non-zero — the wake-up the
 * benchmarks' shared-memory baseline uses, and a descriptor an io_uring can wait on.
 */
public final class EventFd {
    private EventFd() {
    }

    public static final int CLOEXEC = 0x80000;
    public static final int NONBLOCK = 0x800;
    public static final int SEMAPHORE = 1;

    /** Per-thread 8-byte buffer, so that reads and writes allocate nothing. */
    private static final ThreadLocal<MemorySegment> SCRATCH =
            ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(JAVA_LONG));

    public static OwnedFd create(int initialValue, int flags) {
        int fd = Native.eventfd(initialValue, flags);
        return OwnedFd.adopt(ErrnoException.check(fd, "eventfd(" + initialValue + ")"), "eventfd");
    }

    /** Adds {@code value} to the counter. */
    public static void write(int fd, long value) {
        MemorySegment buffer = SCRATCH.get();
        buffer.set(JAVA_LONG, 0, value);
        ErrnoException.check(Native.write(fd, buffer, Long.BYTES), "write(eventfd " + fd + ")");
    }

    /** Reads and resets the counter; blocks while it is 0 unless the eventfd is NONBLOCK. */
    public static long read(int fd) {
        MemorySegment buffer = SCRATCH.get();
        ErrnoException.check(Native.read(fd, buffer, Long.BYTES), "read(eventfd " + fd + ")");
        return buffer.get(JAVA_LONG, 0);
    }
}
