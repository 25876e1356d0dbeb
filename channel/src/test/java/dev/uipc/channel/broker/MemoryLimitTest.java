package dev.uipc.channel.broker;

import dev.uipc.channel.Broker;
import dev.uipc.channel.Channel;
import dev.uipc.channel.ChannelException;
import dev.uipc.channel.ChannelOptions;
import dev.uipc.channel.Registry;
import dev.uipc.testkit.ChildJvm;
import dev.uipc.testkit.Eventually;
import dev.uipc.uring.Errno;
import dev.uipc.uring.linux.Sockets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A broker under a memory limit (a container's, here a memory cgroup of the test's own) refuses a
 * channel that would not fit with ENOSPC, and goes on serving. Without the check, allocating past
 * the limit woke the OOM killer, which took the broker and every channel with it; and a file in a
 * full tmpfs such as Docker's 64 MB /dev/shm used to be a SIGBUS at the first send.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MemoryLimitTest {
    private static final long LIMIT = 320L << 20;

    /** The v1 memory cgroup of this process, or null if there is none to make a child group in. */
    private static Path ownMemoryCgroup() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/cgroup"))) {
            String[] f = line.split(":", 3);
            if (f.length == 3 && (" " + f[1].replace(',', ' ') + " ").contains(" memory ")) {
                Path group = Path.of("/sys/fs/cgroup/memory").resolve(f[2].substring(1));
                return Files.isWritable(group) ? group : null;
            }
        }
        return null;
    }

    @Test
    void aChannelTooLargeForTheMemoryLimitIsEnospcAndTheBrokerLives() throws Exception {
        Path parent = ownMemoryCgroup();
        assumeTrue(parent != null, "needs a writable cgroup v1 memory hierarchy to set a limit of the test's own "
                + "(this machine's is " + Files.readString(Path.of("/proc/self/cgroup")).strip() + ")");
        Path group = parent.resolve("uipc-test-" + UUID.randomUUID());
        Files.createDirectory(group);
        Path directory = Files.createTempDirectory("uipc-memory-");
        Path socket = directory.resolve("broker.sock");
        try {
            Files.writeString(group.resolve("memory.limit_in_bytes"), Long.toString(LIMIT));
            try (ChildJvm broker = ChildJvm.builder(ServeBroker.class).jvmArgs("-Xmx48m").args(socket.toString())
                    .start()) {
                Files.writeString(group.resolve("cgroup.procs"), Long.toString(broker.pid()));
                Eventually.holds(Duration.ofSeconds(30), "the broker listens", () -> listens(socket));
                try (Registry registry = Registry.connect(socket)) {
                    ChannelException tooLarge = assertThrows(ChannelException.class, () -> registry.create(
                            ChannelOptions.defaults().withEntries(1 << 16).withMaxMessageSize(8192)));   // 512 MiB
                    assertEquals(Errno.ENOSPC, tooLarge.errno(), tooLarge.getMessage());
                    assertTrue(tooLarge.getMessage().contains("no memory"), tooLarge.getMessage());
                    try (Channel small = registry.create(ChannelOptions.defaults())) {
                        assertTrue(small.id() > 0, "the broker lived and serves");
                    }
                }
                assertTrue(broker.process().isAlive(), broker.output());
            }
        } finally {
            Eventually.holds(Duration.ofSeconds(10), "the cgroup empties", () -> {
                try {
                    return Files.readString(group.resolve("cgroup.procs")).isBlank();
                } catch (IOException e) {
                    return true;
                }
            });
            Files.deleteIfExists(group);
            try (var walk = Files.walk(directory)) {
                for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private static boolean listens(Path socket) {
        try (var probe = Sockets.connect(socket, Sockets.SOCK_SEQPACKET)) {
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Serves a broker at the socket named. args: socket */
    static final class ServeBroker {
        public static void main(String[] args) {
            Broker.serve(Path.of(args[0]), false, null);
        }
    }
}
