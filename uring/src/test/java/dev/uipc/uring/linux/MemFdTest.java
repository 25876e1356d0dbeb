package dev.uipc.uring.linux;

import dev.uipc.uring.Errno;
import dev.uipc.uring.ErrnoException;
import dev.uipc.uring.KernelVersion;
import dev.uipc.uring.ProcessIdentity;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A memfd as a broker makes it, in one process: allocated, sealed against resizing, mode 0600,
 * handed out read-only. Each refusal is shown to be the kernel's, by first doing the same
 * thing where it is allowed. What another user can do is {@link BrokerCallsAcrossUsersTest}.
 */
class MemFdTest {
    private static final int SIZE_SEALS = MemFd.SEAL_SHRINK | MemFd.SEAL_GROW | MemFd.SEAL_SEAL;
    private static final long MIB = 1 << 20;

    @Test
    void anAllocatedMemfdHasItsSizeBackedByMemory() {
        try (OwnedFd memfd = MemFd.create("uipc-test-allocated")) {
            FileStatus empty = FileStatus.of(memfd.value());
            assertEquals(0, empty.size());
            assertEquals(ProcessIdentity.uid(), empty.uid());
            assertEquals(ProcessIdentity.gid(), empty.gid());
            MemFd.allocate(memfd.value(), MIB);
            FileStatus allocated = FileStatus.of(memfd.value());
            assertEquals(MIB, allocated.size());
            assertTrue(allocated.allocatedBytes() >= MIB, "every page allocated up front: " + allocated);

            try (OwnedFd sparse = MemFd.create("uipc-test-sparse")) {
                MemFd.truncate(sparse.value(), MIB);
                assertEquals(0, FileStatus.of(sparse.value()).allocatedBytes(), "ftruncate alone allocates nothing");
            }
        }
    }

    @Test
    void aMemfdIsCreatedSealableAndNeverExecutable() {
        try (OwnedFd memfd = MemFd.create("uipc-test-seals")) {
            int seals = MemFd.seals(memfd.value());
            assertEquals(0, seals & SIZE_SEALS, "no size seal yet: " + MemFd.sealNames(seals));
            assumeTrue(ProcessIdentity.kernelVersion().isAtLeast(new KernelVersion(6, 3)),
                    "MFD_NOEXEC_SEAL arrived in Linux 6.3; this is " + ProcessIdentity.kernelRelease());
            assertEquals(MemFd.SEAL_EXEC, seals & MemFd.SEAL_EXEC, MemFd.sealNames(seals));
            assertEquals(0, FileStatus.of(memfd.value()).permissions() & 0111, "no execute bit");
        }
    }

    @Test
    void aSealedMemfdCannotBeResizedThroughAnyDescriptor() {
        try (OwnedFd memfd = MemFd.create("uipc-test-sealed")) {
            MemFd.allocate(memfd.value(), 2 * MIB);
            MemFd.truncate(memfd.value(), MIB);                  // allowed before sealing
            MemFd.truncate(memfd.value(), 2 * MIB);
            MemFd.addSeals(memfd.value(), SIZE_SEALS);
            assertEquals(SIZE_SEALS, MemFd.seals(memfd.value()) & SIZE_SEALS);

            try (OwnedFd other = MemFd.reopen(memfd.value(), OwnedFd.O_RDWR)) {   // another open file, read-write
                for (int fd : new int[] {memfd.value(), other.value()}) {
                    assertErrno(Errno.EPERM, () -> MemFd.truncate(fd, MIB), "sealed");
                    assertErrno(Errno.EPERM, () -> MemFd.truncate(fd, 4 * MIB), "sealed");
                    assertErrno(Errno.EPERM, () -> MemFd.truncate(fd, 0), "sealed");
                    assertErrno(Errno.EPERM, () -> MemFd.allocate(fd, 4 * MIB), "sealed");
                    assertErrno(Errno.EPERM, () -> MemFd.addSeals(fd, MemFd.SEAL_WRITE), "no more seals");
                }
            }
            assertEquals(2 * MIB, FileStatus.of(memfd.value()).size());
        }
    }

    @Test
    void aReadOnlyDescriptorMapsOnlyReadOnly() {
        try (Arena arena = Arena.ofConfined(); OwnedFd memfd = MemFd.create("uipc-test-read-only")) {
            MemFd.allocate(memfd.value(), 4096);
            MemorySegment writable = MemFd.mapReadWrite(memfd.value(), 4096, arena);
            writable.setString(0, "hello", StandardCharsets.UTF_8);
            try (OwnedFd readOnly = MemFd.reopen(memfd.value(), OwnedFd.O_RDONLY)) {
                MemorySegment view = MemFd.mapReadOnly(readOnly.value(), 4096, arena);
                assertEquals("hello", view.getString(0, StandardCharsets.UTF_8), "the same pages");
                assertTrue(view.isReadOnly());
                assertThrows(IllegalArgumentException.class, () -> view.set(JAVA_BYTE, 0, (byte) 1), "a read-only segment");
                ErrnoException e = assertErrno(Errno.EACCES,
                        () -> MemFd.mapReadWrite(readOnly.value(), 4096, arena), "mapReadOnly");
                assertTrue(e.getMessage().startsWith("EACCES: mmap("), e.getMessage());
                assertErrno(Errno.EINVAL, () -> MemFd.truncate(readOnly.value(), 0), "open for writing");
            }
        }
    }

    @Test
    void fchmodSetsTheModeAnOpenChecks() {
        try (OwnedFd memfd = MemFd.create("uipc-test-mode")) {
            MemFd.chmod(memfd.value(), 0600);
            FileStatus status = FileStatus.of(memfd.value());
            assertEquals(0600, status.permissions(), status.toString());
            assertEquals(0100000, status.mode() & 0170000, "a regular file");
            assertThrows(IllegalArgumentException.class, () -> MemFd.chmod(memfd.value(), 010000 << 1));
        }
    }

    @Test
    void mappingMoreThanTheFileHoldsIsRefusedBeforeItCanFault() {
        try (Arena arena = Arena.ofConfined(); OwnedFd memfd = MemFd.create("uipc-test-short")) {
            MemFd.allocate(memfd.value(), 4096);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> MemFd.mapReadWrite(memfd.value(), 8192, arena));
            assertTrue(e.getMessage().contains("SIGBUS"), e.getMessage());
        }
    }

    @Test
    void badNamesAndSizesAreRefusedWithAReason() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MemFd.create("x".repeat(250)));
        assertTrue(e.getMessage().contains("249"), e.getMessage());
        try (OwnedFd memfd = MemFd.create("uipc-test-bad")) {
            assertThrows(IllegalArgumentException.class, () -> MemFd.allocate(memfd.value(), 0));
            assertThrows(IllegalArgumentException.class, () -> MemFd.reopen(memfd.value(), 0x40));   // O_CREAT
        }
    }

    /**
     * A full tmpfs fails the allocation at once, so that a channel is refused at creation rather
     * than killing a process with SIGBUS at its first send. A memfd lives in the kernel's own
     * tmpfs, which has no size limit of its own (memory is its limit), so this asks /dev/shm's
     * for more than it holds. The file is unlinked before anything is allocated.
     */
    @Test
    void allocatingMoreThanATmpfsHoldsIsEnospcAtOnce() throws IOException {
        Path shm = Path.of("/dev/shm");
        assumeTrue(Files.isDirectory(shm), "no /dev/shm here");
        FileStore store = Files.getFileStore(shm);
        assumeTrue(store.type().equals("tmpfs"), "/dev/shm is " + store.type() + ", not a tmpfs");
        Path file = Files.createTempFile(shm, "uipc-test-enospc-", "");
        OwnedFd fd;
        try {
            fd = OwnedFd.open(file, OwnedFd.O_RDWR);
        } finally {
            Files.delete(file);
        }
        try (fd) {
            long tooMuch = store.getTotalSpace() + 1024 * MIB;
            ErrnoException e = assertErrno(Errno.ENOSPC, () -> MemFd.allocate(fd.value(), tooMuch), "full");
            assertTrue(e.getMessage().startsWith("ENOSPC: fallocate("), e.getMessage());
            assertEquals(0, FileStatus.of(fd.value()).size(), "nothing was left allocated");
        }
    }

    private static ErrnoException assertErrno(Errno expected, Runnable call, String hintContains) {
        ErrnoException e = assertThrows(ErrnoException.class, call::run);
        assertEquals(expected, e.error(), e.getMessage());
        assertTrue(e.getMessage().contains(hintContains), "the message says why: " + e.getMessage());
        return e;
    }
}
