package dev.uipc.channel.broker;

import dev.uipc.channel.Access;
import dev.uipc.channel.Broker;
import dev.uipc.channel.Channel;
import dev.uipc.channel.ChannelOptions;
import dev.uipc.channel.MessageInfo;
import dev.uipc.channel.Registry;
import dev.uipc.channel.Subscriber;
import dev.uipc.testkit.ChildJvm;
import dev.uipc.testkit.Eventually;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * What a receive-only peer under another uid can do with the descriptors the broker gave it:
 * nothing that touches the other peers. Against the named-file registry, such a peer truncated
 * the control file and every other JVM mapping it died of SIGBUS; here the memory is sealed, the
 * ring it got is read-only, and the memfd's mode keeps it from reopening one read-write.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AttackTest {
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final int ATTACKER = 1003;

    private Path directory;
    private Broker broker;
    private Registry registry;

    @BeforeAll
    static void weCanBecomeAnotherUser() {
        assumeTrue(dev.uipc.uring.ProcessIdentity.uid() == 0, "running a peer as another user needs root (setpriv)");
    }

    @BeforeEach
    void startBroker() throws IOException {
        directory = Files.createTempDirectory("uipc-attack-");
        Files.setAttribute(directory, "unix:mode", 0755);
        broker = Broker.startShared(directory.resolve("broker.sock"));
        registry = Registry.connect(broker.socket());
    }

    @AfterEach
    void stopBroker() throws IOException {
        registry.close();
        broker.close();
        try (var walk = Files.walk(directory)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    @Test
    void aReceiveOnlyPeerCannotTruncateRemapOrReopenWhatItWasGiven() {
        try (Channel ch = registry.create(ChannelOptions.defaults().withPermissions(0644));
             Subscriber sender = ch.attach(Access.SEND);
             Subscriber receiver = ch.attach(Access.RECV)) {
            byte[] buffer = new byte[64];
            MessageInfo info = new MessageInfo();
            assertEquals(6, sender.trySend("before".getBytes(StandardCharsets.UTF_8)));
            Map<String, String> got = new HashMap<>();
            try (ChildJvm attacker = ChildJvm.builder(HostilePeer.class).asUser(ATTACKER, ATTACKER, 022)
                    .args(broker.socket().toString(), Integer.toString(ch.id())).start()) {
                assertEquals(0, attacker.waitFor(DEADLINE), attacker.output());
                for (String line : attacker.stdout().split("\n")) {
                    String[] kv = line.split("=", 2);
                    if (kv.length == 2) {
                        got.put(kv[0], kv[1].trim());
                    }
                }
            }
            assertEquals("EINVAL", got.get("truncateRing"), "a read-only descriptor cannot truncate: " + got);
            assertEquals("EPERM", got.get("shrinkControl"), "sealed against shrinking: " + got);
            assertEquals("EPERM", got.get("growControl"), "sealed against growing: " + got);
            assertEquals("EPERM", got.get("freezeControl"), "no seal can be added (SEAL_SEAL): " + got);
            assertEquals("EACCES", got.get("mapRingWritable"), "a read-only descriptor cannot map writable: " + got);
            assertEquals("EACCES", got.get("reopenRingWritable"), "mode 0600 keeps another uid out: " + got);
            assertEquals("true", got.get("ringStillWhole"), got.toString());
            assertEquals("true", got.get("controlStillWhole"), got.toString());
            // And this JVM, which maps the same memory, is alive and its channel works.
            assertEquals(6, receiver.receive(buffer, info, DEADLINE));
            assertEquals(5, sender.trySend("after".getBytes(StandardCharsets.UTF_8)));
            assertEquals(5, receiver.receive(buffer, info, DEADLINE));
            Eventually.holds(Duration.ofSeconds(5), "the attacker is reaped once it exits",
                    () -> registry.snapshot(ch.id()).subscribers().size() == 2);
        }
    }
}
