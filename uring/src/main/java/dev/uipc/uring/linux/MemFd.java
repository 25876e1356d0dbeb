package dev.uipc.uring.linux;

import dev.uipc.uring.ErrnoException;
import dev.uipc.uring.ffm.Native;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;

/**
 * Anonymous shared memory files (memfd_create(2)): memory with a file descriptor, which can be
 * mapped, sized, and passed to another process over a Unix socket.
 */
public final class MemFd {
    private MemFd() {
    }

    /** {@code MFD_CLOEXEC}. */
    public static final int CLOEXEC = 0x0001;
    /** {@code MFD_ALLOW_SEALING}. */
    public static final int ALLOW_SEALING = 0x0002;

    /** Creates an empty memfd; {@code name} shows in /proc/PID/fd (as "memfd:name"). */
    public static OwnedFd create(String name, int flags) {
        try (Arena local = Arena.ofConfined()) {
            MemorySegment cName = local.allocateFrom(name, StandardCharsets.UTF_8);
            int fd = Native.memfdCreate(cName, flags);
            return OwnedFd.adopt(ErrnoException.check(fd, "memfd_create(\"" + name + "\")"), "memfd " + name);
        }
    }

    /** Sets the file's size (ftruncate(2)). */
    public static void truncate(int fd, long size) {
        ErrnoException.check(Native.ftruncate(fd, size), "ftruncate(fd " + fd + ", " + size + ")");
    }

    /**
     * Maps {@code size} bytes of {@code fd} shared and read-write; {@code arena} unmaps it.
     * The mapping stays valid after the descriptor is closed.
     */
    public static MemorySegment map(int fd, long size, Arena arena) {
        return Native.mapShared(fd, 0, size, Native.PROT_READ | Native.PROT_WRITE, 0, arena, "memfd");
    }
}
