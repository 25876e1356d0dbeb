package dev.uipc.uring.linux;

import dev.uipc.uring.Errno;
import dev.uipc.uring.ErrnoException;
import dev.uipc.uring.IoUring;
import dev.uipc.uring.Ring;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class SocketsTest {
    @BeforeAll
    static void ioUringIsHere() {
        assumeTrue(IoUring.isAvailable(), IoUring.unavailabilityCause());
    }

    @Test
    void scmRightsPassesADescriptorThatStillWorks() {
        try (Arena arena = Arena.ofConfined(); Sockets.Pair pair = Sockets.unixPair(Sockets.SOCK_STREAM);
             Pipe pipe = Pipe.open(Pipe.CLOEXEC)) {
            Sockets.sendFds(pair.first().value(), new byte[] {'x'}, pipe.writeEnd().value());
            Sockets.Received received = Sockets.receiveFds(pair.second().value(), 8, 2);
            assertArrayEquals(new byte[] {'x'}, received.data());
            assertEquals(1, received.fds().length);
            try (OwnedFd copy = received.fds()[0]) {
                MemorySegment out = arena.allocateFrom("through the copy", StandardCharsets.UTF_8);
                Pipe.write(copy.value(), out, out.byteSize());
                MemorySegment in = arena.allocate(out.byteSize());
                assertEquals(out.byteSize(), Pipe.read(pipe.readEnd().value(), in, in.byteSize()),
                        "both descriptors name the same pipe");
                assertEquals("through the copy", in.getString(0));
            }
        }
    }

    @Test
    void aRingFdIsRefusedOverScmRightsWithAClearError() {
        try (Ring ring = Ring.open(8); Sockets.Pair pair = Sockets.unixPair(Sockets.SOCK_STREAM)) {
            ErrnoException e = assertThrows(ErrnoException.class,
                    () -> Sockets.sendFds(pair.first().value(), new byte[] {1}, ring.fd()));
            assertEquals(Errno.EINVAL, e.error());
            assertTrue(e.getMessage().startsWith("EINVAL: sendmsg("), e.getMessage());
            assertTrue(e.getMessage().contains("pidfd_getfd"), e.getMessage());
        }
    }

    @Test
    void aPipeMovesBytes() {
        try (Arena arena = Arena.ofConfined(); Pipe pipe = Pipe.open(Pipe.CLOEXEC)) {
            MemorySegment out = arena.allocateFrom("pipe", StandardCharsets.UTF_8);
            assertEquals(out.byteSize(), Pipe.write(pipe.writeEnd().value(), out, out.byteSize()));
            MemorySegment in = arena.allocate(16);
            assertEquals(out.byteSize(), Pipe.read(pipe.readEnd().value(), in, 16));
            assertEquals("pipe", in.getString(0));
        }
    }

    @Test
    void closingTwiceIsHarmlessAndUseAfterCloseSaysSo() {
        try (Pipe pipe = Pipe.open(Pipe.CLOEXEC)) {
            OwnedFd fd = pipe.readEnd();
            fd.close();
            fd.close();
            IllegalStateException e = assertThrows(IllegalStateException.class, fd::value);
            assertTrue(e.getMessage().contains("closed"), e.getMessage());
        }
    }

    @Test
    void pidfdOfNoProcessIsEsrch() {
        ErrnoException e = assertThrows(ErrnoException.class, () -> PidFd.open(Integer.MAX_VALUE - 1));
        assertEquals(Errno.ESRCH, e.error());
        assertTrue(e.getMessage().contains("no process"), e.getMessage());
    }
}
