package dev.uipc.channel;

import dev.uipc.testkit.ChildJvm;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static dev.uipc.channel.Bytes.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How soon a death frees those it held up, measured from the SIGKILL to the moment the waiter
 * is back: a sender parked for room behind a broadcast receiver that is killed, and a receiver
 * parked behind a slot whose producer is killed with it claimed. The broker sees the connection
 * close and reaps at once; nothing waits for a timeout. Asserts only that every waiter came back
 * (within a bound that catches "never"), and prints the percentiles.
 *
 * <p>CI kills {@value #CI_KILLS} of each; the measurement:
 * {@code ./run-tests -pl channel -am -Dtest=ReapLatencyTest -Duipc.reap.kills=200}.
 */
@Timeout(value = 1, unit = TimeUnit.HOURS)
class ReapLatencyTest {
    static final int CI_KILLS = 10;
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final int BATCH = 10;

    private final TestBroker test = new TestBroker();
    private final Registry registry = test.registry;

    @AfterEach
    void cleanUp() {
        test.close();
    }

    private interface Trial {
        /** Starts the victim's process for the channel with {@code key}. */
        ChildJvm start(long key);

        /** What the victim prints once it holds what it holds. */
        String readyLine();

        /** Sets up the waiter, kills the victim; returns nanoseconds from the kill to the waiter's release. */
        long killAndTime(Channel channel, ChildJvm victim) throws InterruptedException;
    }

    @Test
    void aKilledBroadcastReceiverReleasesTheSenderAtOnce() throws InterruptedException {
        long[] nanos = run(ChannelOptions.of(Mode.BROADCAST).withEntries(4), 0x7100_0000L, new Trial() {
            @Override
            public ChildJvm start(long key) {
                return ChildJvm.start(Peer.Idle.class, test.socket.toString(), "0x" + Long.toHexString(key), "RECV");
            }

            @Override
            public String readyLine() {
                return "attached";
            }

            @Override
            public long killAndTime(Channel channel, ChildJvm victim) throws InterruptedException {
                try (Subscriber sender = channel.attach(Access.SEND).waitStrategy(WaitStrategy.park())) {
                    for (int i = 0; i < 4; i++) {
                        assertEquals(1, sender.trySend(utf8("x")));
                    }
                    AtomicLong released = new AtomicLong();
                    Thread waiter = Thread.ofPlatform().start(() -> {
                        int r = sender.send(utf8("y"), DEADLINE);
                        released.set(r == 1 ? System.nanoTime() : -1);
                    });
                    awaitParked(channel);
                    long killed = System.nanoTime();
                    victim.kill();
                    waiter.join(DEADLINE.toMillis());
                    assertTrue(released.get() > 0, "the sender was never released");
                    return released.get() - killed;
                }
            }
        });
        report("broadcast sender released after its slow receiver was killed", nanos);
    }

    @Test
    void aKilledProducersClaimedSlotIsSkippedAtOnce() throws InterruptedException {
        long[] nanos = run(ChannelOptions.defaults().withEntries(4), 0x7200_0000L, new Trial() {
            @Override
            public ChildJvm start(long key) {
                return ChildJvm.start(Peer.ClaimsAndWaits.class, test.socket.toString(), "0x" + Long.toHexString(key));
            }

            @Override
            public String readyLine() {
                return "claimed";
            }

            @Override
            public long killAndTime(Channel channel, ChildJvm victim) throws InterruptedException {
                try (Subscriber receiver = channel.attach(Access.RECV).waitStrategy(WaitStrategy.park());
                     Subscriber sender = channel.attach(Access.SEND)) {
                    assertEquals(5, sender.trySend(utf8("after")), "committed behind the claimed slot");
                    AtomicLong released = new AtomicLong();
                    Thread waiter = Thread.ofPlatform().start(() -> {
                        byte[] buffer = new byte[8];
                        int r = receiver.receive(buffer, new MessageInfo(), DEADLINE);
                        released.set(r == 5 ? System.nanoTime() : -1);
                    });
                    awaitParked(channel);
                    long killed = System.nanoTime();
                    victim.kill();
                    waiter.join(DEADLINE.toMillis());
                    assertTrue(released.get() > 0, "the receiver never got past the dead claim");
                    assertEquals(1, channel.snapshot().counters().skipped());
                    return released.get() - killed;
                }
            }
        });
        report("receiver past the slot of a producer killed holding it", nanos);
    }

    /** Until some subscriber of the channel is asleep on its doorbell. */
    private static void awaitParked(Channel channel) {
        dev.uipc.testkit.Eventually.holds(DEADLINE, "the waiter parks",
                () -> channel.snapshot().subscribers().stream().anyMatch(ChannelSnapshot.SubscriberSnapshot::waiting));
    }

    /** Runs the trials, victims started {@value #BATCH} at a time; returns each latency. */
    private long[] run(ChannelOptions options, long firstKey, Trial trial) throws InterruptedException {
        int kills = Integer.getInteger("uipc.reap.kills", CI_KILLS);
        long[] nanos = new long[kills];
        for (int done = 0; done < kills; ) {
            int n = Math.min(BATCH, kills - done);
            List<Channel> channels = new ArrayList<>();
            List<ChildJvm> victims = new ArrayList<>();
            try {
                for (int i = 0; i < n; i++) {
                    long key = firstKey + done + i;
                    channels.add(registry.create(options.withKey(key)));
                    victims.add(trial.start(key));
                }
                for (int i = 0; i < n; i++) {
                    victims.get(i).awaitLine(trial.readyLine(), DEADLINE);
                    nanos[done + i] = trial.killAndTime(channels.get(i), victims.get(i));
                }
            } finally {
                victims.forEach(ChildJvm::close);
                channels.forEach(Channel::close);
            }
            done += n;
        }
        return nanos;
    }

    private static void report(String what, long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        System.out.printf("%s, %d kills: p50 %.2f ms, p99 %.2f ms, max %.2f ms%n", what, sorted.length,
                percentile(sorted, 50) / 1e6, percentile(sorted, 99) / 1e6, sorted[sorted.length - 1] / 1e6);
        assertTrue(sorted[sorted.length - 1] < TimeUnit.SECONDS.toNanos(5), "a waiter took over 5 s to be released");
    }

    private static long percentile(long[] sorted, int p) {
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }
}
