package dev.uipc.uring.linux;

import dev.uipc.uring.ErrnoException;
import dev.uipc.uring.ffm.Native;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * What the kernel says about an open file: its size, how much of it is backed by memory or
 * disk, its owner and its mode. Read through the descriptor (statx(2) with
 * {@code AT_EMPTY_PATH}, the {@code fstat} whose struct is the same on every architecture), so
 * it describes a file that has no path, such as a memfd, or one received from another process.
 *
 * @param size           the file's length in bytes
 * @param allocatedBytes bytes actually allocated to it (512 times {@code st_blocks}); less than
 *                       {@code size} for a sparse file
 * @param uid            the owner's user id
 * @param gid            the owner's group id
 * @param mode           {@code st_mode}: the file type bits and the permission bits
 */
public record FileStatus(long size, long allocatedBytes, int uid, int gid, int mode) {

    /**
     * The status of the file {@code fd} refers to.
     *
     * @param fd any open descriptor, of a file with a path or without one
     * @return its size, allocation, owner and mode, as the kernel has them now
     * @throws ErrnoException EBADF if {@code fd} is not open
     * @throws IllegalStateException if the file system behind {@code fd} does not report all
     *                               of those fields
     */
    public static FileStatus of(int fd) {
        try (Arena local = Arena.ofConfined()) {
            MemorySegment buffer = local.allocate(LinuxAbi.Statx.LAYOUT);
            ErrnoException.check(Native.statx(fd, local.allocateFrom(""), LinuxAbi.Statx.AT_EMPTY_PATH,
                    LinuxAbi.Statx.WANTED, buffer), "statx(fd " + fd + ", AT_EMPTY_PATH)");
            int got = buffer.get(JAVA_INT, LinuxAbi.Statx.MASK);
            if ((got & LinuxAbi.Statx.WANTED) != LinuxAbi.Statx.WANTED) {
                throw new IllegalStateException("statx(fd " + fd + ") left out fields uipc needs: asked for 0x"
                        + Integer.toHexString(LinuxAbi.Statx.WANTED) + ", got 0x" + Integer.toHexString(got)
                        + "; the file system behind this descriptor does not report them");
            }
            return new FileStatus(buffer.get(JAVA_LONG, LinuxAbi.Statx.SIZE_FIELD),
                    buffer.get(JAVA_LONG, LinuxAbi.Statx.BLOCKS) * 512,
                    buffer.get(JAVA_INT, LinuxAbi.Statx.UID), buffer.get(JAVA_INT, LinuxAbi.Statx.GID),
                    Short.toUnsignedInt(buffer.get(JAVA_SHORT, LinuxAbi.Statx.MODE)));
        }
    }

    /**
     * The permission bits, {@code mode & 07777}: e.g. {@code 0600}.
     *
     * @return the read, write and execute bits of owner, group and others, with the set-user-id,
     *         set-group-id and sticky bits; without the file type
     */
    public int permissions() {
        return mode & 07777;
    }

    @Override
    public String toString() {
        return "FileStatus[size=" + size + ", allocated=" + allocatedBytes + ", uid=" + uid + ", gid=" + gid
                + ", mode=0" + Integer.toOctalString(mode) + "]";
    }
}
