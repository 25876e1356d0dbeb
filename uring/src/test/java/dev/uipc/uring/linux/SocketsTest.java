package dev.uipc.uring.linux;

import dev.uipc.uring.Errno;
import dev.uipc.uring.ErrnoException;
import dev.uipc.uring.IoUring;
import dev.uipc.uring.ProcessIdentity;
import dev.uipc.uring.Ring;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Unix sockets in one process: a server and a client exchanging descriptors, who the peer is,
 * messages that do not fit, and the ways a blocked call ends. Another user at the other end is
 * {@link BrokerCallsAcrossUsersTest}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SocketsTest {
    @TempDir
    Path dir;

    @Test
    void thePeersPidfdNamesTheProcessThatConnected() throws IOException {
        Path path = dir.resolve("pidfd.sock");
        try (OwnedFd listener = Sockets.listen(path, Sockets.SOCK_SEQPACKET, 4);
             OwnedFd client = Sockets.connect(path, Sockets.SOCK_SEQPACKET);
             OwnedFd server = Sockets.accept(listener.value());
             OwnedFd pidfd = Sockets.peerPidFd(server.value())) {
            // The kernel says which process a pidfd refers to in its fdinfo.
            String fdinfo = Files.readString(Path.of("/proc/self/fdinfo/" + pidfd.value()));
            assertTrue(fdinfo.contains("Pid:\t" + ProcessIdentity.pid() + "\n"), fdinfo);
        }
    }

    @Test
    void aServerAndItsClientPassSeveralDescriptorsInOneMessage() {
        Path path = dir.resolve("server.sock");
        try (Arena arena = Arena.ofConfined(); OwnedFd listener = Sockets.listen(path, Sockets.SOCK_SEQPACKET, 4);
             OwnedFd client = Sockets.connect(path, Sockets.SOCK_SEQPACKET);
             OwnedFd server = Sockets.accept(listener.value());
             Pipe pipe = Pipe.open(Pipe.CLOEXEC);
             OwnedFd first = MemFd.create("uipc-test-first");
             OwnedFd second = MemFd.create("uipc-test-second")) {
            PeerCredentials us = new PeerCredentials(ProcessIdentity.pid(), ProcessIdentity.uid(), ProcessIdentity.gid());
            assertEquals(us, Sockets.peerCredentials(server.value()), "the server sees the client");
            assertEquals(us, Sockets.peerCredentials(client.value()), "the client sees the server");
            MemFd.allocate(first.value(), 4096);
            MemFd.allocate(second.value(), 4096);
            MemFd.mapReadWrite(first.value(), 4096, arena).setString(0, "first", StandardCharsets.UTF_8);
            MemFd.mapReadWrite(second.value(), 4096, arena).setString(0, "second", StandardCharsets.UTF_8);

            assertEquals(5, Sockets.sendFds(server.value(), "hello".getBytes(StandardCharsets.UTF_8),
                    first.value(), pipe.writeEnd().value(), second.value()));
            Sockets.Received received = Sockets.receiveFds(client.value(), 64, 8);
            assertEquals("hello", new String(received.data(), StandardCharsets.UTF_8));
            assertEquals(3, received.fds().length, received.toString());
            try (OwnedFd firstCopy = received.fds()[0]; OwnedFd pipeCopy = received.fds()[1];
                 OwnedFd secondCopy = received.fds()[2]) {
                assertEquals("first", MemFd.mapReadOnly(firstCopy.value(), 4096, arena)
                        .getString(0, StandardCharsets.UTF_8));
                assertEquals("second", MemFd.mapReadOnly(secondCopy.value(), 4096, arena)
                        .getString(0, StandardCharsets.UTF_8));
                MemorySegment out = arena.allocateFrom("via the copy", StandardCharsets.UTF_8);
                Pipe.write(pipeCopy.value(), out, out.byteSize());
                MemorySegment in = arena.allocate(out.byteSize());
                Pipe.read(pipe.readEnd().value(), in, in.byteSize());
                assertEquals("via the copy", in.getString(0));
            }
        }
    }

    @Test
    void moreDescriptorsThanRoomIsAnErrorThatLeaksNone() throws IOException {
        try (Sockets.Pair pair = Sockets.unixPair(Sockets.SOCK_SEQPACKET); Pipe pipe = Pipe.open(Pipe.CLOEXEC)) {
            int w = pipe.writeEnd().value();
            Sockets.sendFds(pair.first().value(), new byte[] {1}, w, w, w);
            long open = openDescriptors();
            ErrnoException e = assertThrows(ErrnoException.class, () -> Sockets.receiveFds(pair.second().value(), 8, 1));
            assertEquals(Errno.EMSGSIZE, e.error(), e.getMessage());
            assertTrue(e.getMessage().contains("more descriptors than the 1"), e.getMessage());
            assertEquals(open, openDescriptors(), "the one descriptor that fitted was closed, none leaked");

            Sockets.sendFds(pair.first().value(), new byte[] {2}, w);           // the next message is intact
            Sockets.Received next = Sockets.receiveFds(pair.second().value(), 8, 1);
            assertArrayEquals(new byte[] {2}, next.data());
            next.fds()[0].close();
        }
    }

    @Test
    void aMessageLongerThanTheBufferIsAnErrorNotACut() {
        try (Sockets.Pair pair = Sockets.unixPair(Sockets.SOCK_SEQPACKET)) {
            Sockets.sendFds(pair.first().value(), "0123456789".getBytes(StandardCharsets.UTF_8));
            ErrnoException e = assertThrows(ErrnoException.class, () -> Sockets.receiveFds(pair.second().value(), 4, 0));
            assertEquals(Errno.EMSGSIZE, e.error(), e.getMessage());
            assertTrue(e.getMessage().contains("longer than the 4 bytes"), e.getMessage());
        }
    }

    @Test
    void aClosedPeerIsTheEndOfTheStream() {
        try (Sockets.Pair pair = Sockets.unixPair(Sockets.SOCK_SEQPACKET)) {
            pair.first().close();
            assertTrue(Sockets.receiveFds(pair.second().value(), 8, 1).isEndOfStream());
            ErrnoException e = assertThrows(ErrnoException.class,
                    () -> Sockets.sendFds(pair.second().value(), new byte[] {1}));
            assertEquals(Errno.EPIPE, e.error(), "an error, not SIGPIPE: " + e.getMessage());
        }
    }

    @Test
    void shutdownWakesAThreadBlockedInAccept() throws InterruptedException {
        try (OwnedFd listener = Sockets.listen(dir.resolve("stopping.sock"), Sockets.SOCK_SEQPACKET, 1)) {
            AtomicReference<Throwable> outcome = new AtomicReference<>();
            Thread acceptor = Thread.ofPlatform().name("acceptor").start(() -> {
                try (OwnedFd unexpected = Sockets.accept(listener.value())) {
                    outcome.set(new AssertionError("accepted " + unexpected));
                } catch (Throwable t) {
                    outcome.set(t);
                }
            });
            Thread.sleep(100);                  // let it block; if it has not yet, accept fails at once all the same
            Sockets.shutdown(listener.value());
            acceptor.join(TimeUnit.SECONDS.toMillis(10));
            assertFalse(acceptor.isAlive(), "shutdown did not wake accept");
            ErrnoException e = assertInstanceOf(ErrnoException.class, outcome.get());
            assertEquals(Errno.EINVAL, e.error(), e.getMessage());
            assertTrue(e.getMessage().contains("shut down"), e.getMessage());
        }
    }

    @Test
    void aReceiveTimeoutEndsTheWaitWithEagain() {
        try (Sockets.Pair pair = Sockets.unixPair(Sockets.SOCK_SEQPACKET)) {
            Sockets.setReceiveTimeout(pair.second().value(), Duration.ofMillis(50));
            long start = System.nanoTime();
            ErrnoException e = assertThrows(ErrnoException.class, () -> Sockets.receiveFds(pair.second().value(), 8, 1));
            assertEquals(Errno.EAGAIN, e.error(), e.getMessage());
            assertTrue(e.getMessage().contains("receive timeout"), e.getMessage());
            assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(40), "waited the timeout");
        }
    }

    @Test
    void theListenerAndConnectSayWhatIsWrongWithAPath() {
        Path path = dir.resolve("taken.sock");
        try (OwnedFd listener = Sockets.listen(path, Sockets.SOCK_STREAM, 1)) {
            ErrnoException taken = assertThrows(ErrnoException.class, () -> Sockets.listen(path, Sockets.SOCK_STREAM, 1));
            assertEquals(Errno.EADDRINUSE, taken.error());
            assertTrue(taken.getMessage().contains("remove it"), taken.getMessage());
            ErrnoException otherType = assertThrows(ErrnoException.class,
                    () -> Sockets.connect(path, Sockets.SOCK_SEQPACKET));
            assertEquals(Errno.EPROTOTYPE, otherType.error(), otherType.getMessage());
        }
        ErrnoException stale = assertThrows(ErrnoException.class, () -> Sockets.connect(path, Sockets.SOCK_STREAM));
        assertEquals(Errno.ECONNREFUSED, stale.error(), "the file outlives its listener: " + stale.getMessage());
        ErrnoException missing = assertThrows(ErrnoException.class,
                () -> Sockets.connect(dir.resolve("nobody.sock"), Sockets.SOCK_STREAM));
        assertEquals(Errno.ENOENT, missing.error());
        assertTrue(missing.getMessage().contains("nobody.sock"), missing.getMessage());

        IllegalArgumentException tooLong = assertThrows(IllegalArgumentException.class,
                () -> Sockets.connect(dir.resolve("x".repeat(120)), Sockets.SOCK_STREAM));
        assertTrue(tooLong.getMessage().contains("107"), tooLong.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Sockets.listen(dir.resolve("dgram.sock"), 2, 1));
    }

    @Test
    void peerGroupsAreTheSupplementaryGroupsOfThePeer() {
        try (Sockets.Pair pair = Sockets.unixPair(Sockets.SOCK_STREAM)) {
            assertEquals(asSet(ProcessIdentity.groups()), asSet(Sockets.peerGroups(pair.first().value())));
        }
    }

    static Set<Integer> asSet(int[] values) {
        return Arrays.stream(values).boxed().collect(Collectors.toSet());
    }

    private static long openDescriptors() throws IOException {
        try (var entries = Files.list(Path.of("/proc/self/fd"))) {
            return entries.count();
        }
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
        assumeTrue(IoUring.isAvailable(), IoUring.unavailabilityCause());
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
