package dev.uipc.uring.linux;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Pins every structure offset of this package's system calls to the value {@code offsetof}
 * prints for glibc's headers on x86-64 (aarch64 agrees for every struct here), so that a
 * layout edit that drifts from the ABI fails here rather than in a system call.
 */
class LinuxAbiTest {
    @Test
    void socketStructsMatchGlibc() {
        assertEquals(0, LinuxAbi.Msghdr.NAME);
        assertEquals(8, LinuxAbi.Msghdr.NAMELEN);
        assertEquals(16, LinuxAbi.Msghdr.IOV);
        assertEquals(24, LinuxAbi.Msghdr.IOVLEN);
        assertEquals(32, LinuxAbi.Msghdr.CONTROL);
        assertEquals(40, LinuxAbi.Msghdr.CONTROLLEN);
        assertEquals(48, LinuxAbi.Msghdr.FLAGS);
        assertEquals(56, LinuxAbi.Msghdr.SIZE);

        assertEquals(0, LinuxAbi.Cmsghdr.LEN);
        assertEquals(8, LinuxAbi.Cmsghdr.LEVEL);
        assertEquals(12, LinuxAbi.Cmsghdr.TYPE);
        assertEquals(16, LinuxAbi.Cmsghdr.DATA);
        assertEquals(20, LinuxAbi.Cmsghdr.len(4));
        assertEquals(24, LinuxAbi.Cmsghdr.space(4));
        assertEquals(24, LinuxAbi.Cmsghdr.space(8));

        assertEquals(0, LinuxAbi.Iovec.BASE);
        assertEquals(8, LinuxAbi.Iovec.LEN);
        assertEquals(16, LinuxAbi.Iovec.SIZE);
    }

    @Test
    void unixSocketStructsMatchGlibc() {
        assertEquals(0, LinuxAbi.SockaddrUn.FAMILY);
        assertEquals(2, LinuxAbi.SockaddrUn.PATH);
        assertEquals(110, LinuxAbi.SockaddrUn.SIZE);
        assertEquals(108, LinuxAbi.SockaddrUn.PATH_CAPACITY);

        assertEquals(0, LinuxAbi.SockaddrIn.FAMILY);
        assertEquals(2, LinuxAbi.SockaddrIn.PORT);
        assertEquals(4, LinuxAbi.SockaddrIn.ADDR);
        assertEquals(16, LinuxAbi.SockaddrIn.SIZE);
        assertEquals(0, LinuxAbi.SockaddrIn6.FAMILY);
        assertEquals(2, LinuxAbi.SockaddrIn6.PORT);
        assertEquals(8, LinuxAbi.SockaddrIn6.ADDR);
        assertEquals(24, LinuxAbi.SockaddrIn6.SCOPE_ID);
        assertEquals(28, LinuxAbi.SockaddrIn6.SIZE);

        assertEquals(0, LinuxAbi.Ucred.PID);
        assertEquals(4, LinuxAbi.Ucred.UID);
        assertEquals(8, LinuxAbi.Ucred.GID);
        assertEquals(12, LinuxAbi.Ucred.SIZE);

        assertEquals(0, LinuxAbi.Timeval.SEC);
        assertEquals(8, LinuxAbi.Timeval.USEC);
        assertEquals(16, LinuxAbi.Timeval.SIZE);
    }

    @Test
    void statxMatchesTheUapiHeader() {
        assertEquals(0, LinuxAbi.Statx.MASK);
        assertEquals(20, LinuxAbi.Statx.UID);
        assertEquals(24, LinuxAbi.Statx.GID);
        assertEquals(28, LinuxAbi.Statx.MODE);
        assertEquals(40, LinuxAbi.Statx.SIZE_FIELD);
        assertEquals(48, LinuxAbi.Statx.BLOCKS);
        assertEquals(256, LinuxAbi.Statx.SIZE);
    }
}
