package dev.uipc.examples.relay;

import dev.uipc.channel.Access;
import dev.uipc.channel.Broker;
import dev.uipc.channel.Channel;
import dev.uipc.channel.ChannelOptions;
import dev.uipc.channel.MessageInfo;
import dev.uipc.channel.Mode;
import dev.uipc.channel.Registry;
import dev.uipc.channel.Subscriber;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The relay under load in both directions at once, through channels small enough to fill: every
 * frame a TCP client writes arrives in the inbound channel, and every message sent into the
 * outbound channel arrives at the client, each once, whole and in order — all served by the
 * relay's one thread.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RelayTest {
    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final int FRAMES = 20_000;
    private static final long INBOUND = 0x7e1a0101L;
    private static final long OUTBOUND = 0x7e1a0102L;

    @TempDir
    Path directory;

    /** Message {@code n}: 1 to 900 bytes that only it has. */
    private static byte[] message(long stream, int n) {
        SplittableRandom random = new SplittableRandom(stream * 1_000_003L + n);
        byte[] bytes = new byte[1 + random.nextInt(900)];
        random.nextBytes(bytes);
        return bytes;
    }

    @Test
    void framesAndMessagesCrossOneThreadBothWaysWholeInOrderAndOnceWhileTheChannelsFill() throws Exception {
        try (Broker broker = Broker.start(directory.resolve("broker.sock"));
             Registry registry = Registry.connect(broker.socket());
             Channel inbound = registry.create(ChannelOptions.of(Mode.UNICAST).withKey(INBOUND).withEntries(8)
                     .withMaxMessageSize(1024));
             Channel outbound = registry.create(ChannelOptions.of(Mode.UNICAST).withKey(OUTBOUND).withEntries(8)
                     .withMaxMessageSize(1024));
             Subscriber receiver = registry.attachByKey(INBOUND, Access.RECV);
             Subscriber sender = registry.attachByKey(OUTBOUND, Access.SEND);
             Relay relay = new Relay(registry, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), INBOUND,
                     OUTBOUND)) {
            Thread relaying = Thread.ofPlatform().name("relay").start(relay);
            assertTrue(relay.awaitStarted(DEADLINE), "the relay starts");
            AtomicReference<Throwable> failure = new AtomicReference<>();
            try (Socket client = new Socket(relay.address().getAddress(), relay.address().getPort())) {
                client.setTcpNoDelay(true);
                DataOutputStream toRelay = new DataOutputStream(client.getOutputStream());
                DataInputStream fromRelay = new DataInputStream(client.getInputStream());
                Thread[] threads = {
                    worker("client writes", failure, () -> {
                        for (int n = 0; n < FRAMES; n++) {
                            byte[] m = message(1, n);
                            toRelay.writeInt(m.length);
                            toRelay.write(m);
                        }
                        toRelay.flush();
                    }),
                    worker("client reads", failure, () -> {
                        for (int n = 0; n < FRAMES; n++) {
                            byte[] frame = new byte[fromRelay.readInt()];
                            fromRelay.readFully(frame);
                            assertArrayEquals(message(2, n), frame, "frame " + n + " from the outbound channel");
                        }
                    }),
                    worker("channel sender", failure, () -> {
                        for (int n = 0; n < FRAMES; n++) {
                            byte[] m = message(2, n);
                            assertEquals(m.length, sender.send(m, DEADLINE), "message " + n + " into the outbound channel");
                        }
                    }),
                    worker("channel receiver", failure, () -> {
                        byte[] buffer = new byte[1024];
                        MessageInfo info = new MessageInfo();
                        for (int n = 0; n < FRAMES; n++) {
                            if (n % 2000 == 0) {
                                Thread.sleep(50);                 // slow now and then: the inbound channel fills
                            }
                            int length = receiver.receive(buffer, info, DEADLINE);
                            assertTrue(length >= 0, "message " + n + " from the inbound channel: " + length);
                            assertArrayEquals(message(1, n), Arrays.copyOf(buffer, length), "message " + n);
                        }
                    })
                };
                for (Thread t : threads) {
                    t.join(DEADLINE.toMillis());
                    if (failure.get() != null) {
                        throw new AssertionError(t.getName() + " or another worker failed; relay " + relay, failure.get());
                    }
                    assertTrue(!t.isAlive(), t.getName() + " did not finish within " + DEADLINE + "; relay " + relay);
                }
            }
            relay.close();
            relaying.join(DEADLINE.toMillis());
            assertTrue(!relaying.isAlive(), "the relay stops when closed");
            assertEquals(FRAMES, relay.framesIn());
            assertEquals(FRAMES, relay.framesOut());
        }
    }

    private interface Work {
        void run() throws Exception;
    }

    private static Thread worker(String name, AtomicReference<Throwable> failure, Work work) {
        return Thread.ofPlatform().name(name).start(() -> {
            try {
                work.run();
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
            }
        });
    }

    @Test
    void aClientThatLeavesIsReplacedByTheNext() throws Exception {
        try (Broker broker = Broker.start(directory.resolve("broker.sock"));
             Registry registry = Registry.connect(broker.socket());
             Channel inbound = registry.create(ChannelOptions.of(Mode.UNICAST).withKey(INBOUND));
             Channel outbound = registry.create(ChannelOptions.of(Mode.UNICAST).withKey(OUTBOUND));
             Subscriber receiver = registry.attachByKey(INBOUND, Access.RECV);
             Relay relay = new Relay(registry, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), INBOUND,
                     OUTBOUND)) {
            Thread relaying = Thread.ofPlatform().name("relay").start(relay);
            assertTrue(relay.awaitStarted(DEADLINE));
            byte[] buffer = new byte[64];
            MessageInfo info = new MessageInfo();
            for (int client = 0; client < 3; client++) {
                try (Socket socket = new Socket(relay.address().getAddress(), relay.address().getPort())) {
                    DataOutputStream out = new DataOutputStream(socket.getOutputStream());
                    byte[] m = ("client " + client).getBytes(java.nio.charset.StandardCharsets.UTF_8);
                    out.writeInt(m.length);
                    out.write(m);
                    out.flush();
                    int n = receiver.receive(buffer, info, DEADLINE);
                    assertEquals("client " + client, new String(buffer, 0, Math.max(n, 0),
                            java.nio.charset.StandardCharsets.UTF_8));
                } catch (IOException e) {
                    throw new AssertionError("client " + client + " could not talk to the relay", e);
                }
            }
            relay.close();
            relaying.join(DEADLINE.toMillis());
            assertTrue(!relaying.isAlive());
        }
    }
}
