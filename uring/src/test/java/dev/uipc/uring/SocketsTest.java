package dev.uipc.uring;

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
    void scmRightsPassesAnEventfdThatStillCounts() {
        try (Sockets.Pair pair = Sockets.unixPair(Sockets.SOCK_STREAM);
             OwnedFd eventfd = EventFd.create(0, EventFd.CLOEXEC)) {
            Sockets.sendFds(pair.first().value(), new byte[] {'x'}, eventfd.value());
            Sockets.Received received = Sockets.receiveFds(pair.second().value(), 8, 2);
            assertArrayEquals(new byte[] {'x'}, received.data());
            assertEquals(1, received.fds().length);
            try (OwnedFd copy = received.fds()[0]) {
                EventFd.write(eventfd.value(), 5);
                assertEquals(5, EventFd.read(copy.value()), "both descriptors name the same eventfd");
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
    void aTcpLoopbackPairIsConnected() {
        try (Arena arena = Arena.ofConfined(); Sockets.Pair pair = Sockets.tcpLoopbackPair()) {
            MemorySegment out = arena.allocateFrom("tcp", StandardCharsets.UTF_8);
            Pipe.write(pair.first().value(), out, out.byteSize());
            MemorySegment in = arena.allocate(16);
            assertEquals(out.byteSize(), Pipe.read(pair.second().value(), in, 16));
            assertEquals("tcp", in.getString(0));
        }
    }

    @Test
    void closingTwiceIsHarmlessAndUseAfterCloseSaysSo() {
        OwnedFd fd = EventFd.create(0, EventFd.CLOEXEC);
        fd.close();
        fd.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, fd::value);
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
    }

    @Test
    void pidfdOfNoProcessIsEsrch() {
        ErrnoException e = assertThrows(ErrnoException.class, () -> PidFd.open(Integer.MAX_VALUE - 1));
        assertEquals(Errno.ESRCH, e.error());
        assertTrue(e.getMessage().contains("no process"), e.getMessage());
    }
}
