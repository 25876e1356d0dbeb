package dev.uipc.uring.linux;

import dev.uipc.uring.Errno;
import dev.uipc.uring.ErrnoException;
import dev.uipc.uring.ffm.Native;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Anonymous shared memory files (memfd_create(2)): memory with a file descriptor, which can be
 * sized, allocated, sealed, mapped, and passed to another process over a Unix socket.
 *
 * <p>How a broker makes memory no peer can take away from another:
 * <ol>
 *   <li>{@link #create} it (close-on-exec, sealable, never executable);</li>
 *   <li>{@link #allocate} every page, so that a lack of memory is an error now (ENOSPC on a full
 *       tmpfs, ENOMEM when memory runs out) and never a SIGBUS at some later first touch;</li>
 *   <li>{@link #addSeals} {@link #SEAL_SHRINK} | {@link #SEAL_GROW} | {@link #SEAL_SEAL}: from
 *       then on no holder of any descriptor can change its size, so no mapping of it can ever
 *       fault (allocate first: a file sealed against growing cannot be allocated further);</li>
 *   <li>{@link #chmod} it {@code 0600}, so that another user who receives a read-only
 *       descriptor cannot {@link #reopen} it read-write through {@code /proc};</li>
 *   <li>hand out {@link #reopen}{@code (fd, O_RDONLY)} to peers that may only read: a
 *       read-only descriptor cannot be mapped writable.</li>
 * </ol>
 * A receiver maps what it got with {@link #mapReadOnly} or {@link #mapReadWrite}, which need no
 * path, and can check the seals with {@link #seals} before trusting it.
 */
public final class MemFd {
    private MemFd() {
    }

    /** {@code F_SEAL_SEAL}: no further seals can be added. */
    public static final int SEAL_SEAL = 0x0001;
    /** {@code F_SEAL_SHRINK}: the file cannot be made smaller. */
    public static final int SEAL_SHRINK = 0x0002;
    /** {@code F_SEAL_GROW}: the file cannot be made larger. */
    public static final int SEAL_GROW = 0x0004;
    /** {@code F_SEAL_WRITE}: the contents cannot change (and no writable shared mapping may exist). */
    public static final int SEAL_WRITE = 0x0008;
    /** {@code F_SEAL_FUTURE_WRITE}: no new writes, but mappings writable before it stay so. */
    public static final int SEAL_FUTURE_WRITE = 0x0010;
    /** {@code F_SEAL_EXEC}: the execute bits cannot change; set by creation here (Linux 6.3). */
    public static final int SEAL_EXEC = 0x0020;

    // DO NOT CHANGE: include/uapi/linux/memfd.h and fcntl.h.
    private static final int MFD_CLOEXEC = 0x0001;
    private static final int MFD_ALLOW_SEALING = 0x0002;
    private static final int MFD_NOEXEC_SEAL = 0x0008;
    private static final int F_ADD_SEALS = 1033;
    private static final int F_GET_SEALS = 1034;
    /** The longest name memfd_create takes: NAME_MAX less the "memfd:" prefix. */
    private static final int MAX_NAME_BYTES = 249;

    /**
     * Creates an empty memfd, close-on-exec, sealable, and never executable where the kernel can
     * promise it (MFD_NOEXEC_SEAL, Linux 6.3; older kernels create it without).
     *
     * @param name shows in {@code /proc/PID/fd} as {@code memfd:name}; at most 249 bytes
     * @return the new memfd, 0 bytes long, which the caller owns
     * @throws IllegalArgumentException if {@code name} is longer than 249 bytes of UTF-8 or
     *                                  holds a NUL
     * @throws ErrnoException EMFILE or ENFILE when no descriptor is free
     */
    public static OwnedFd create(String name) {
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > MAX_NAME_BYTES || name.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("a memfd name is at most " + MAX_NAME_BYTES
                    + " bytes of UTF-8 without NUL; this one has " + bytes.length + ": " + name);
        }
        try (Arena local = Arena.ofConfined()) {
            MemorySegment cName = local.allocateFrom(name, StandardCharsets.UTF_8);
            int flags = MFD_CLOEXEC | MFD_ALLOW_SEALING;
            int fd = Native.memfdCreate(cName, flags | MFD_NOEXEC_SEAL);
            if (fd == -Errno.EINVAL.number()) {
                fd = Native.memfdCreate(cName, flags);         // before 6.3: no MFD_NOEXEC_SEAL
            }
            return OwnedFd.adopt(ErrnoException.check(fd, "memfd_create(\"" + name + "\", MFD_CLOEXEC | "
                    + "MFD_ALLOW_SEALING)"), "memfd " + name);
        }
    }

    /**
     * Allocates the first {@code size} bytes of the file now (fallocate(2), mode 0), growing it
     * to {@code size} if it was smaller.
     *
     * @param fd   the file, open for writing
     * @param size how many bytes, from its start, to allocate; at least 1
     * @throws ErrnoException ENOSPC if its file system cannot hold that much, ENOMEM if memory
     *                        runs out, EPERM if it is sealed against growing
     * @throws IllegalArgumentException if {@code size} is below 1
     */
    public static void allocate(int fd, long size) {
        if (size <= 0) {
            throw new IllegalArgumentException("allocate at least one byte, not " + size);
        }
        int r = Native.fallocate(fd, 0, 0, size);
        if (r < 0) {
            String hint = r == -Errno.ENOSPC.number()
                    ? "the file system holding it is full or smaller than that (a tmpfs's size= limit)"
                    : r == -Errno.EPERM.number() ? sealedHint(fd) : null;
            throw new ErrnoException(-r, "fallocate(fd " + fd + ", 0, " + size + " bytes)", hint);
        }
    }

    /**
     * Sets the file's size (ftruncate(2)), leaving new bytes unallocated: prefer
     * {@link #allocate} for memory that will be mapped.
     *
     * @param fd   the file, open for writing
     * @param size its new length in bytes
     * @throws ErrnoException EPERM if it is sealed against that change, EINVAL if {@code fd} is
     *                        not open for writing
     */
    public static void truncate(int fd, long size) {
        int r = Native.ftruncate(fd, size);
        if (r < 0) {
            String hint = r == -Errno.EPERM.number() ? sealedHint(fd)
                    : r == -Errno.EINVAL.number() ? "the descriptor must be open for writing, and the size not negative"
                    : null;
            throw new ErrnoException(-r, "ftruncate(fd " + fd + ", " + size + ")", hint);
        }
    }

    /**
     * Adds {@code seals} ({@code SEAL_*} bits) to the file (fcntl F_ADD_SEALS). Seals cannot be
     * removed; they bind every descriptor of the file, in every process.
     *
     * @param fd    a memfd created sealable, as {@link #create} makes them
     * @param seals the {@code SEAL_*} bits to add, or-ed; seals already there may be repeated
     * @throws ErrnoException EPERM if the file is already sealed with {@link #SEAL_SEAL} or was
     *                        created without sealing; EBUSY for {@link #SEAL_WRITE} while a
     *                        writable shared mapping exists
     */
    public static void addSeals(int fd, int seals) {
        int r = Native.fcntl(fd, F_ADD_SEALS, seals);
        if (r < 0) {
            String hint = r == -Errno.EPERM.number()
                    ? "the file takes no more seals (SEAL_SEAL is set, or it was created without sealing)"
                    : r == -Errno.EBUSY.number() ? "a writable shared mapping of it exists; unmap it first" : null;
            throw new ErrnoException(-r, "fcntl(fd " + fd + ", F_ADD_SEALS, " + sealNames(seals) + ")", hint);
        }
    }

    /**
     * The file's seals ({@code SEAL_*} bits; fcntl F_GET_SEALS), 0 for none. A receiver checks
     * them before it trusts a mapping of the file not to shrink under it.
     *
     * @param fd any descriptor of the file
     * @return the seals, or-ed
     * @throws ErrnoException EINVAL if the file is no memfd (or other shmem file), which never
     *                        carries seals
     */
    public static int seals(int fd) {
        int r = Native.fcntl(fd, F_GET_SEALS, 0);
        if (r < 0) {
            String hint = r == -Errno.EINVAL.number() ? "only memfds (and shmem files) carry seals" : null;
            throw new ErrnoException(-r, "fcntl(fd " + fd + ", F_GET_SEALS)", hint);
        }
        return r;
    }

    /**
     * Sets the file's permission bits (fchmod(2)), e.g. {@code 0600}.
     *
     * @param fd   the file
     * @param mode the permission bits, within {@code 07777}
     * @throws IllegalArgumentException if {@code mode} has bits outside {@code 07777}
     * @throws ErrnoException EPERM if this process's user does not own the file, or if the change
     *                        touches the execute bits of a file sealed with {@link #SEAL_EXEC}
     *                        (as {@link #create} seals it where the kernel can)
     */
    public static void chmod(int fd, int mode) {
        if ((mode & ~07777) != 0) {
            throw new IllegalArgumentException("permission bits are within 07777, not 0" + Integer.toOctalString(mode));
        }
        ErrnoException.check(Native.fchmod(fd, mode), "fchmod(fd " + fd + ", 0" + Integer.toOctalString(mode) + ")");
    }

    /**
     * A new descriptor of the same file with its own access mode, by opening
     * {@code /proc/self/fd/N}; with {@link OwnedFd#O_RDONLY}, one to hand to a peer that may
     * only read. The kernel checks the file's mode and owner as for any open.
     *
     * @param fd         a descriptor of the file, in this process
     * @param accessMode {@link OwnedFd#O_RDONLY}, {@link OwnedFd#O_WRONLY} or
     *                   {@link OwnedFd#O_RDWR}
     * @return the new descriptor, close-on-exec, which the caller owns
     * @throws ErrnoException EACCES if the file's mode and owner do not grant this user that
     *                        access; ENOENT if {@code fd} is not open
     * @throws IllegalArgumentException for any other access mode
     */
    public static OwnedFd reopen(int fd, int accessMode) {
        return OwnedFd.open(Path.of("/proc/self/fd/" + fd), accessMode);
    }

    /**
     * Maps the first {@code size} bytes of {@code fd} shared and read-write; {@code arena}
     * unmaps them when it closes. The mapping outlives the descriptor.
     *
     * @param fd    the file, open for reading and writing
     * @param size  how many bytes to map, from the file's start; at least 1
     * @param arena the arena whose closing unmaps them
     * @return the mapping, {@code size} bytes long, which writes through to the file
     * @throws ErrnoException EACCES if {@code fd} was not opened read-write
     * @throws IllegalArgumentException if the file is shorter than {@code size}, or
     *                                  {@code size} is below 1
     */
    public static MemorySegment mapReadWrite(int fd, long size, Arena arena) {
        return map(fd, size, Native.PROT_READ | Native.PROT_WRITE, arena, "memfd, read-write");
    }

    /**
     * Maps the first {@code size} bytes of {@code fd} shared and read-only; {@code arena}
     * unmaps them when it closes. The segment is read-only (writing through it throws
     * IllegalArgumentException); the mapping outlives the descriptor.
     *
     * @param fd    the file, open for reading
     * @param size  how many bytes to map, from the file's start; at least 1
     * @param arena the arena whose closing unmaps them
     * @return the mapping, {@code size} bytes long, read-only
     * @throws ErrnoException EACCES if {@code fd} was not opened for reading
     * @throws IllegalArgumentException if the file is shorter than {@code size}, or
     *                                  {@code size} is below 1
     */
    public static MemorySegment mapReadOnly(int fd, long size, Arena arena) {
        return map(fd, size, Native.PROT_READ, arena, "memfd, read-only").asReadOnly();
    }

    private static MemorySegment map(int fd, long size, int prot, Arena arena, String what) {
        if (size <= 0) {
            throw new IllegalArgumentException("map at least one byte, not " + size);
        }
        // A mapping past the end of the file faults (SIGBUS, a dead JVM) when touched, so refuse
        // one here; a file sealed against shrinking (see seals) stays long enough for good.
        long length = FileStatus.of(fd).size();
        if (length < size) {
            throw new IllegalArgumentException("fd " + fd + " holds " + length + " bytes, fewer than the " + size
                    + " to map: touching the rest would kill the JVM with SIGBUS");
        }
        try {
            return Native.mapShared(fd, 0, size, prot, 0, arena, what);
        } catch (ErrnoException e) {
            if (e.error() == Errno.EACCES) {
                throw new ErrnoException(e.errno(), e.operation(), "the descriptor is not open for "
                        + ((prot & Native.PROT_WRITE) != 0 ? "reading and writing" : "reading")
                        + "; a read-only descriptor maps only with mapReadOnly");
            }
            throw e;
        }
    }

    private static String sealedHint(int fd) {
        try {
            return "the file is sealed (" + sealNames(seals(fd)) + "): its size is fixed for every holder";
        } catch (ErrnoException e) {
            return null;
        }
    }

    /** "SHRINK|GROW|SEAL" for a seal mask. */
    static String sealNames(int seals) {
        StringBuilder s = new StringBuilder();
        String[] names = {"SEAL", "SHRINK", "GROW", "WRITE", "FUTURE_WRITE", "EXEC"};
        for (int bit = 0; bit < names.length; bit++) {
            if ((seals & (1 << bit)) != 0) {
                s.append(s.isEmpty() ? "" : "|").append("F_SEAL_").append(names[bit]);
            }
        }
        int unknown = seals & ~((1 << names.length) - 1);
        if (unknown != 0) {
            s.append(s.isEmpty() ? "" : "|").append("0x").append(Integer.toHexString(unknown));
        }
        return s.isEmpty() ? "0" : s.toString();
    }
}
