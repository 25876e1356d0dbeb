package dev.uipc.channel.broker;

import dev.uipc.channel.ChannelOptions;
import dev.uipc.channel.Registry;
import dev.uipc.testkit.ChildJvm;
import dev.uipc.testkit.Eventually;
import dev.uipc.uring.linux.Sockets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A broker that dies takes its channels with it; the next one at its socket takes over the
 * socket left behind and says, in its log, which channels were lost. A broker that stops cleanly
 * leaves nothing to report.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class BrokerRestartTest {
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    @Test
    void aBrokerAfterOneThatDiedSaysWhatWasLost() throws Exception {
        Path directory = Files.createTempDirectory("uipc-restart-");
        Path socket = directory.resolve("broker.sock");
        try {
            try (ChildJvm first = ChildJvm.start(MemoryLimitTest.ServeBroker.class, socket.toString())) {
                Eventually.holds(DEADLINE, "the first broker listens", () -> listens(socket));
                try (Registry registry = Registry.connect(socket)) {
                    registry.create(ChannelOptions.defaults().withKey(0x51).withPersistent(true));
                }
                first.kill();
            }
            assertTrue(Files.exists(socket), "a killed broker leaves its socket behind");
            try (ChildJvm second = ChildJvm.start(MemoryLimitTest.ServeBroker.class, socket.toString())) {
                Eventually.holds(DEADLINE, "the second broker takes the socket over", () -> listens(socket));
                Eventually.holds(DEADLINE, "it reports the loss", () -> second.stderr().contains("were lost"));
                assertTrue(second.stderr().contains("channel 1 key 0x51 unicast persistent"), second.output());
                try (Registry registry = Registry.connect(socket)) {
                    assertTrue(registry.list().isEmpty(), "nothing survived");
                }
            }
        } finally {
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
}
