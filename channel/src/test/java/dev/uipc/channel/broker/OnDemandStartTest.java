package dev.uipc.channel.broker;

import dev.uipc.channel.Access;
import dev.uipc.channel.Channel;
import dev.uipc.channel.ChannelOptions;
import dev.uipc.channel.MessageInfo;
import dev.uipc.channel.Registry;
import dev.uipc.channel.Subscriber;
import dev.uipc.testkit.ChildJvm;
import dev.uipc.testkit.Eventually;
import dev.uipc.uring.ProcessIdentity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A user who has no broker needs no set-up: the first client starts one (detached, in its own
 * session), the next one uses it, and once nobody is connected and no channel is left it exits
 * by itself. Run as another user, whose runtime directory is a temporary one, so that nothing
 * here touches this machine's real brokers.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class OnDemandStartTest {
    private static final int USER = 1004;
    private static final Duration DEADLINE = Duration.ofSeconds(60);

    @Test
    void theFirstClientStartsTheUsersBrokerTheNextUsesItAndItExitsWhenIdle() throws IOException {
        assumeTrue(ProcessIdentity.uid() == 0, "running clients as another user needs root (setpriv)");
        Path runtime = Files.createTempDirectory("uipc-runtime-");
        try {
            Files.setAttribute(runtime, "unix:uid", USER);
            Files.setAttribute(runtime, "unix:gid", USER);
            Files.setAttribute(runtime, "unix:mode", 0700);
            Path socket = runtime.resolve("uipc").resolve("broker.sock");
            roundTrip(runtime);
            long broker = brokerServing(socket);
            assertTrue(broker > 0, "a broker serves at " + socket);
            Path directory = socket.getParent();
            assertEquals(USER, (Integer) Files.getAttribute(directory, "unix:uid", LinkOption.NOFOLLOW_LINKS));
            assertEquals(0700, (Integer) Files.getAttribute(directory, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 07777);
            roundTrip(runtime);
            assertEquals(broker, brokerServing(socket), "the second client used the running broker");
            Eventually.holds(DEADLINE, "the idle broker exits", () -> ProcessHandle.of(broker).isEmpty());
            assertTrue(!Files.exists(socket), "and removes its socket");
        } finally {
            try (Stream<Path> walk = Files.walk(runtime)) {
                for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private static void roundTrip(Path runtime) {
        try (ChildJvm client = ChildJvm.builder(Client.class).asUser(USER, USER, 077)
                .environment("XDG_RUNTIME_DIR", runtime.toString()).environment("UIPC_BROKER", null)
                .jvmArgs("-D" + BrokerStarter.IDLE_EXIT_PROPERTY + "=2").start()) {
            assertEquals(0, client.waitFor(DEADLINE), client.output());
            assertTrue(client.stdout().contains("round trip: hello"), client.output());
        }
    }

    /** The pid of the on-demand broker process serving at {@code socket}, or -1. */
    private static long brokerServing(Path socket) throws IOException {
        try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
            for (Path p : processes.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                try {
                    String cmdline = Files.readString(p.resolve("cmdline"), StandardCharsets.UTF_8).replace('\0', ' ');
                    if (cmdline.contains(BrokerMain.class.getName()) && cmdline.contains(socket.toString())) {
                        return Long.parseLong(p.getFileName().toString());
                    }
                } catch (IOException gone) {
                    // the process ended while we looked
                }
            }
        }
        return -1;
    }

    /** A client that finds its broker by the rule alone and makes one round trip. */
    static final class Client {
        public static void main(String[] args) {
            try (Registry registry = Registry.open();
                 Channel channel = registry.create(ChannelOptions.defaults());
                 Subscriber sender = channel.attach(Access.SEND);
                 Subscriber receiver = channel.attach(Access.RECV)) {
                sender.trySend("hello".getBytes(StandardCharsets.UTF_8));
                byte[] buffer = new byte[16];
                int n = receiver.receive(buffer, new MessageInfo(), Duration.ofSeconds(5));
                System.out.println("round trip: " + new String(buffer, 0, Math.max(0, n), StandardCharsets.UTF_8)
                        + " via " + List.of(registry.brokerSocket()));
            }
        }
    }
}
