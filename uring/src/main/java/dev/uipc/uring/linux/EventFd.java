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

    /** {@code EFD_CLOEXEC} for {@link #create}: the descriptor is closed on exec, so no child inherits it. */
    public static final int CLOEXEC = 0x80000;
    /**
     * {@code EFD_NONBLOCK} for {@link #create}: {@link #read} of a counter at 0, or a
     * {@link #write} that would overflow it, fails with EAGAIN instead of waiting.
     */
    public static final int NONBLOCK = 0x800;
    /**
     * {@code EFD_SEMAPHORE} for {@link #create}: {@link #read} takes 1 from the counter and
     * returns 1, instead of taking all of it: a counter of n lets n reads through.
     */
    public static final int SEMAPHORE = 1;

    /** Per-thread 8-byte buffer, so that reads and writes allocate nothing. */
    private static final ThreadLocal<MemorySegment> SCRATCH =
            ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(JAVA_LONG));

    /**
     * Creates an eventfd (eventfd(2)) whose counter starts at {@code initialValue}.
     *
     * @param initialValue the counter's first value, usually 0
     * @param flags        {@link #CLOEXEC}, {@link #NONBLOCK} and {@link #SEMAPHORE}, or-ed; 0 for none
     * @return the new descriptor, which the caller owns
     * @throws ErrnoException EINVAL for a flag not listed here; EMFILE or ENFILE when no
     *                        descriptor is free
     */
    public static OwnedFd create(int initialValue, int flags) {
        int fd = Native.eventfd(initialValue, flags);
        return OwnedFd.adopt(ErrnoException.check(fd, "eventfd(" + initialValue + ")"), "eventfd");
    }

    /**
     * Adds {@code value} to the counter (write(2) of 8 bytes), waking whoever waits to read it.
     * Allocates nothing.
     *
     * @param fd    an eventfd
     * @param value what to add, read as an unsigned 64-bit number
     * @throws ErrnoException EAGAIN if the counter would pass 0xfffffffffffffffe and the eventfd
     *                        is {@link #NONBLOCK} (a blocking one waits for a read instead);
     *                        EINVAL for a {@code value} of -1 (0xffffffffffffffff)
     */
    public static void write(int fd, long value) {
        MemorySegment buffer = SCRATCH.get();
        buffer.set(JAVA_LONG, 0, value);
        long r = Native.write(fd, buffer, Long.BYTES);
        if (r < 0) {                              // the message only on failure: writes allocate nothing
            throw new ErrnoException((int) -r, "write(eventfd " + fd + ")");
        }
    }

    /**
     * Reads and resets the counter; blocks while it is 0 unless the eventfd is NONBLOCK. With
     * {@link #SEMAPHORE}, it takes 1 instead. read(2) of 8 bytes; allocates nothing.
     *
     * @param fd an eventfd
     * @return the counter as it was, never 0; 1 with {@link #SEMAPHORE}
     * @throws ErrnoException EAGAIN if the counter is 0 and the eventfd is {@link #NONBLOCK}
     */
    public static long read(int fd) {
        MemorySegment buffer = SCRATCH.get();
        long r = Native.read(fd, buffer, Long.BYTES);
        if (r < 0) {
            throw new ErrnoException((int) -r, "read(eventfd " + fd + ")");
        }
        return buffer.get(JAVA_LONG, 0);
    }
}
