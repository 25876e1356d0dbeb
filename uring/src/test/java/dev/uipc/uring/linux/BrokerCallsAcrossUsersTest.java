package dev.uipc.uring.linux;

import dev.uipc.testkit.ChildJvm;
import dev.uipc.uring.ErrnoException;
import dev.uipc.uring.ProcessIdentity;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The calls a broker makes, against a peer that runs as another user (uid and gid 65534, one
 * supplementary group): the broker listens on a Unix socket, reads the peer's credentials as
 * the kernel recorded them, and hands it a sealed memfd of mode 0600 read-only, with a second
 * descriptor in the same message. The peer tries what a hostile peer would.
 *
 * <p>Run twice: with the fchmod, the peer cannot reopen its read-only descriptor read-write;
 * without it, it can, which shows that the mode is what stops it.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class BrokerCallsAcrossUsersTest {
    private static final int NOBODY = 65534;
    private static final int GROUP = 4242;
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final int SIZE_SEALS = MemFd.SEAL_SHRINK | MemFd.SEAL_GROW | MemFd.SEAL_SEAL;

    @TempDir
    Path dir;

    @BeforeAll
    static void canBecomeAnotherUser() {
        assumeTrue(ProcessIdentity.uid() == 0, "running a peer as another user needs root (setpriv); this JVM runs as uid "
                + ProcessIdentity.uid());
    }

    @Test
    void afterFchmod0600AnotherUserCannotReopenItsReadOnlyDescriptorReadWrite() throws IOException {
        String seen = exchange(true);
        assertTrue(seen.contains("reopen-self EACCES"), seen);
    }

    @Test
    void withoutTheFchmodAnotherUserCould() throws IOException {
        String seen = exchange(false);
        assertTrue(seen.contains("reopen-self ok"), "the memfd's default mode lets anyone reopen it: " + seen);
    }

    /** Serves one peer as a broker would; returns what the peer reported. */
    private String exchange(boolean fchmod) throws IOException {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx--x--x"));
        Path socket = dir.resolve("broker.sock");
        try (Arena arena = Arena.ofConfined(); OwnedFd ring = MemFd.create("uipc-test-ring");
             OwnedFd control = MemFd.create("uipc-test-control");
             OwnedFd listener = Sockets.listen(socket, Sockets.SOCK_SEQPACKET, 4)) {
            Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-rw-rw-"));
            MemFd.allocate(ring.value(), 4096);
            MemFd.allocate(control.value(), 4096);
            MemorySegment memory = MemFd.mapReadWrite(ring.value(), 4096, arena);
            memory.setString(0, "hello", StandardCharsets.UTF_8);
            MemFd.addSeals(ring.value(), SIZE_SEALS);
            MemFd.addSeals(control.value(), SIZE_SEALS);
            if (fchmod) {
                MemFd.chmod(ring.value(), 0600);
                MemFd.chmod(control.value(), 0600);
            }
            try (OwnedFd readOnly = MemFd.reopen(ring.value(), OwnedFd.O_RDONLY);
                 ChildJvm peer = ChildJvm.builder(ReadOnlyPeer.class)
                         .args(socket.toString(), Long.toString(ProcessHandle.current().pid()),
                                 Integer.toString(ring.value()))
                         .asUser(NOBODY, NOBODY, 022, GROUP).start()) {
                Sockets.setReceiveTimeout(listener.value(), DEADLINE);
                try (OwnedFd connection = accept(listener, peer)) {
                    assertEquals(new PeerCredentials((int) peer.pid(), NOBODY, NOBODY),
                            Sockets.peerCredentials(connection.value()), "the kernel's record of who connected");
                    assertEquals(Set.of(GROUP), SocketsTest.asSet(Sockets.peerGroups(connection.value())));
                    Sockets.sendFds(connection.value(), "ring".getBytes(StandardCharsets.UTF_8), readOnly.value(),
                            control.value());
                    assertEquals(0, peer.waitFor(DEADLINE), peer.output());
                }
                String seen = peer.stdout();
                assertTrue(seen.contains("broker uid 0"), "the peer can check who serves it: " + seen);
                assertTrue(seen.contains("received 2 descriptors"), seen);
                assertTrue(seen.contains("read hello"), seen);
                assertTrue(seen.contains("seals F_SEAL_SEAL|F_SEAL_SHRINK|F_SEAL_GROW"), seen);
                assertTrue(seen.contains("map-read-write EACCES"), "a read-only descriptor maps only read-only: " + seen);
                assertTrue(seen.contains("truncate EINVAL"), seen);
                assertTrue(seen.contains("truncate-control EPERM"), "sealed, for every holder: " + seen);
                assertTrue(seen.contains("reopen-broker EACCES"), "another user's /proc/PID/fd is closed: " + seen);
                assertEquals("hello", memory.getString(0, StandardCharsets.UTF_8));
                assertEquals(4096, FileStatus.of(ring.value()).size());
                assertEquals(4096, FileStatus.of(control.value()).size());
                return seen;
            }
        }
    }

    private static OwnedFd accept(OwnedFd listener, ChildJvm peer) {
        try {
            return Sockets.accept(listener.value());
        } catch (ErrnoException e) {
            throw new AssertionError("the peer never connected: " + e.getMessage() + "\n" + peer.output(), e);
        }
    }

    /**
     * Connects to the broker socket (args: path, broker pid, the broker's own descriptor number
     * of the ring), takes the two descriptors it sends and tries everything on them, printing
     * one line per try: what worked ("ok") or the errno name.
     */
    static final class ReadOnlyPeer {
        public static void main(String[] args) {
            Path socket = Path.of(args[0]);
            String brokerFd = "/proc/" + args[1] + "/fd/" + args[2];
            try (Arena arena = Arena.ofConfined(); OwnedFd connection = Sockets.connect(socket, Sockets.SOCK_SEQPACKET)) {
                System.out.println("broker uid " + Sockets.peerCredentials(connection.value()).uid());
                Sockets.Received received = Sockets.receiveFds(connection.value(), 64, 4);
                System.out.println("received " + received.fds().length + " descriptors");
                try (OwnedFd ring = received.fds()[0]; OwnedFd control = received.fds()[1]) {
                    MemorySegment view = MemFd.mapReadOnly(ring.value(), 4096, arena);
                    System.out.println("read " + view.getString(0, StandardCharsets.UTF_8));
                    System.out.println("seals " + MemFd.sealNames(MemFd.seals(ring.value()) & SIZE_SEALS));
                    report("map-read-write", () -> MemFd.mapReadWrite(ring.value(), 4096, arena));
                    report("truncate", () -> MemFd.truncate(ring.value(), 0));
                    report("truncate-control", () -> MemFd.truncate(control.value(), 0));
                    report("reopen-self", () -> MemFd.reopen(ring.value(), OwnedFd.O_RDWR).close());
                    report("reopen-broker", () -> OwnedFd.open(Path.of(brokerFd), OwnedFd.O_RDWR).close());
                }
            }
        }

        private static void report(String what, Runnable attempt) {
            try {
                attempt.run();
                System.out.println(what + " ok");
            } catch (ErrnoException e) {
                System.out.println(what + " " + e.error() + " (" + e.getMessage() + ")");
            }
        }
    }
}
