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
}
