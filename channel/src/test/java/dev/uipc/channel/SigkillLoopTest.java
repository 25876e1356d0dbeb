package dev.uipc.channel;

import dev.uipc.testkit.ChildJvm;
import dev.uipc.testkit.Workers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Producers SIGKILLed at random moments — often while parked for room behind slow receivers,
 * the moment that once lost an acknowledged message and wedged the channel — in all three
 * modes. After each round: every message a producer was told it sent arrived (exactly once per
 * receiver that should get it), nothing arrived twice or torn, and the channel still flows.
 *
 * <p>CI runs {@value #CI_ROUNDS} rounds of two kills each. The full run:
 * {@code ./run-tests -pl channel -am -Dtest=SigkillLoopTest -Duipc.sigkill.rounds=1000 -Duipc.test.forkTimeout=7200}
 * (2,000 kills; 15 to 60 minutes on a 2-core machine); {@code -Duipc.sigkill.mode=BROADCAST}
 * runs one mode only.
 */
@Timeout(value = 4, unit = TimeUnit.HOURS)
class SigkillLoopTest {
    static final int CI_ROUNDS = 12;
    /** The sender number of the messages this test sends itself after the kills. */
    private static final int CLOSER = 4;
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    private final TestBroker test = new TestBroker();

    @AfterEach
    void cleanUp() {
        test.close();
    }

    @Test
    void killedProducersLoseNothingAcknowledgedAndWedgeNothing() throws InterruptedException {
        int rounds = Integer.getInteger("uipc.sigkill.rounds", CI_ROUNDS);
        long seed = Long.getLong("uipc.sigkill.seed", System.nanoTime());
        SplittableRandom random = new SplittableRandom(seed);
        long kills = 0;
        long acknowledged = 0;
        long delivered = 0;
        String only = System.getProperty("uipc.sigkill.mode");
        for (int round = 0; round < rounds; round++) {
            Mode mode = only != null ? Mode.valueOf(only) : Mode.values()[round % 3];
            Round r = new Round(round, mode, random.split());
            try {
                r.run();
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError("round " + round + " (" + mode + ", seed " + seed + ") failed: " + e.getMessage(), e);
            }
            kills += r.kills;
            acknowledged += r.acknowledged;
            delivered += r.delivered;
        }
        System.out.printf("sigkill loop: %d rounds, %d kills, %d acknowledged messages all delivered, %d deliveries "
                + "checked, seed %d%n", rounds, kills, acknowledged, delivered, seed);
        assertEquals(2L * rounds, kills);
    }

    /** One channel, two receivers in this process, two producer processes killed at random. */
    private final class Round {
        private final int number;
        private final Mode mode;
        private final SplittableRandom random;
        private final long key;
        int kills;
        long closerSent;
        final long started = System.nanoTime();
        /** When things happened, in milliseconds into the round: for the message of a failure. */
        final java.util.Queue<String> events = new java.util.concurrent.ConcurrentLinkedQueue<>();

        void event(String what) {
            events.add(what + " at " + (System.nanoTime() - started) / 1_000_000 + " ms");
        }
        long acknowledged;
        long delivered;

        Round(int number, Mode mode, SplittableRandom random) {
            this.number = number;
            this.mode = mode;
            this.random = random;
            this.key = 0x5100_0000L + number;
        }

        void run() throws InterruptedException {
            try (Channel ch = test.create(ChannelOptions.of(mode).withKey(key).withEntries(4).withMaxMessageSize(64))) {
                int receivers = 2;
                List<Subscriber> rx = new ArrayList<>();
                for (int i = 0; i < receivers; i++) {
                    rx.add(ch.attach(Access.RECV).waitStrategy(WaitStrategy.spinThenPark(Duration.ofNanos(5_000))));
                }
                // received.get(r): message number -> times receiver r got it
                List<Map<Long, Integer>> received = List.of(new ConcurrentHashMap<>(), new ConcurrentHashMap<>());
                AtomicBoolean pause = new AtomicBoolean();
                AtomicBoolean finished = new AtomicBoolean();
                AtomicBoolean closerDone = new AtomicBoolean();
                try (Workers workers = new Workers()) {
                    for (int i = 0; i < receivers; i++) {
                        Subscriber receiver = rx.get(i);
                        Map<Long, Integer> mine = received.get(i);
                        long receiverSeed = random.nextLong();
                        workers.start("receiver-" + i, () -> receive(receiver, mine, pause, receiverSeed));
                    }
                    ChildJvm[] producers = new ChildJvm[2];
                    try {
                        for (int p = 0; p < producers.length; p++) {
                            producers[p] = ChildJvm.start(Peer.AckingSender.class, test.socket.toString(),
                                    "0x" + Long.toHexString(key), Integer.toString(p + 1));
                        }
                        for (ChildJvm producer : producers) {
                            producer.awaitLine("attached", DEADLINE);
                        }
                        if (random.nextBoolean()) {
                            // One at a time, at random moments, half of them while parked for room.
                            for (ChildJvm producer : producers) {
                                Thread.sleep(random.nextInt(5, 120));
                                boolean parked = random.nextBoolean();
                                if (parked) {
                                    pause.set(true);        // the receivers stop: producers fill the ring and park
                                    Thread.sleep(random.nextInt(1, 10));
                                }
                                producer.kill();
                                event("killed a producer" + (parked ? " parked for room" : ""));
                                pause.set(false);
                                kills++;
                                workers.check();
                            }
                        } else {
                            // Both parked for room and killed together, while the ring is full.
                            Thread.sleep(random.nextInt(5, 60));
                            pause.set(true);
                            Thread.sleep(random.nextInt(2, 10));
                            for (ChildJvm producer : producers) {
                                producer.kill();
                                event("killed a producer with the ring full");
                                kills++;
                            }
                            pause.set(false);
                        }
                    } finally {
                        for (ChildJvm producer : producers) {
                            if (producer != null) {
                                producer.close();
                            }
                        }
                    }
                    // The channel must still flow: two laps more, each message arriving, then one
                    // last message for each receiver.
                    event("attaching the closer");
                    try (Subscriber closer = ch.attach(Access.SEND)) {
                        event("closer attached");
                        // A watchdog: a closer stuck for seconds is dumped while it is stuck, since
                        // giving up (the timeout) changes what there is to see.
                        workers.start("watchdog", () -> {
                            for (int tenths = 1; tenths <= 250 && !closerDone.get(); tenths++) {
                                Thread.sleep(100);
                                int seconds = tenths / 10;
                                synchronized (closerDone) {
                                    if (tenths % 50 == 0 && !closerDone.get()) {
                                        event("still running after " + seconds + " s:\n" + ChannelDump.of(closer));
                                    }
                                }
                            }
                        });
                        try {
                            byte[] buffer = new byte[64];
                            for (int i = 0; i < 2 * closer.entries(); i++) {
                                long number = ((long) CLOSER << 32) | i;
                                int size = Checksummed.sizeOf(number, 64);
                                Checksummed.encode(number, size, buffer);
                                int sent = closer.send(buffer, 0, size, number, 0, DEADLINE);
                                event("closer sent " + i);
                                if (sent != size) {
                                    throw new AssertionError("the channel is wedged: " + Outcome.describe(sent) + "; " + events + "\n"
                                            + ChannelDump.of(closer) + "\nworkers: " + workersState(workers));
                                }
                            }
                            closerSent = 2 * closer.entries();
                            long fin = -1L;
                            if (mode == Mode.BROADCAST) {
                                assertEquals(8, closer.send(longBytes(fin), 0, 8, fin, 0, DEADLINE), "the channel is wedged");
                            } else {
                                for (Subscriber receiver : rx) {
                                    assertEquals(8, closer.send(longBytes(fin), 0, 8, fin, receiver.id(), DEADLINE),
                                            "the channel is wedged");
                                }
                            }
                        } finally {
                            synchronized (closerDone) {
                                closerDone.set(true);   // before the closer detaches: the watchdog reads its memory
                            }
                        }
                    }
                    workers.join(DEADLINE);
                    finished.set(true);
                    for (int p = 0; p < producers.length; p++) {
                        checkAcknowledged(p + 1, producers[p], received);
                    }
                    checkNothingTwice(received);
                    for (long i = 0; i < closerSent; i++) {
                        long number = ((long) CLOSER << 32) | i;
                        int times = received.stream().mapToInt(r -> r.getOrDefault(number, 0)).sum();
                        assertEquals(mode == Mode.BROADCAST ? receivers : 1, times,
                                "message " + i + " sent after the kills arrived " + times + " times");
                    }
                } finally {
                    rx.forEach(Subscriber::close);
                }
                assertTrue(finished.get());
            }
        }

        /** Receives until the closing message, now and then slowly or not at all, so that producers park. */
        private void receive(Subscriber receiver, Map<Long, Integer> mine, AtomicBoolean pause, long seed)
                throws InterruptedException {
            SplittableRandom slow = new SplittableRandom(seed);
            byte[] buffer = new byte[64];
            MessageInfo info = new MessageInfo();
            long[] last = new long[CLOSER + 1];
            java.util.Arrays.fill(last, -1);
            for (;;) {
                while (pause.get()) {
                    Thread.onSpinWait();
                }
                int n = receiver.receive(buffer, info, DEADLINE);
                if (n < 0) {
                    throw new AssertionError("receive: " + Outcome.describe(n) + " at " + (System.nanoTime() - started) / 1_000_000
                            + " ms into the round; " + events + "\n" + ChannelDump.of(receiver));
                }
                if (info.tag() == -1L) {
                    return;                                 // the closing message: everything before it is in
                }
                long number = Checksummed.verify(buffer, n);
                assertTrue(number >= 0 && number == info.tag(), "a torn message: " + info);
                mine.merge(number, 1, Integer::sum);
                int sender = (int) (number >>> 32);
                long seq = number & 0xffffffffL;
                assertTrue(info.redelivered() || seq > last[sender], "out of order from producer " + sender + ": " + seq
                        + " after " + last[sender]);
                last[sender] = Math.max(last[sender], seq);
                if (slow.nextInt(64) == 0) {
                    Thread.sleep(1);
                }
            }
        }

        /** What producer {@code sender} acknowledged arrived as its mode says. */
        private void checkAcknowledged(int sender, ChildJvm producer, List<Map<Long, Integer>> received) {
            producer.waitFor(DEADLINE);
            List<Long> acks = new ArrayList<>();
            for (String line : producer.stdout().split("\n")) {
                if (line.startsWith("ack ")) {
                    acks.add(((long) sender << 32) | Long.parseLong(line.substring(4).trim()));
                }
            }
            acknowledged += acks.size();
            for (long number : acks) {
                if (mode == Mode.BROADCAST) {
                    for (Map<Long, Integer> r : received) {
                        assertEquals(1, r.getOrDefault(number, 0), "acknowledged message " + Long.toHexString(number)
                                + " reached a broadcast receiver " + r.getOrDefault(number, 0) + " times");
                    }
                } else {
                    int times = received.get(0).getOrDefault(number, 0) + received.get(1).getOrDefault(number, 0);
                    assertEquals(1, times, "acknowledged message " + Long.toHexString(number) + " delivered " + times
                            + " times");
                }
            }
        }

        /** No message arrived twice: at any one receiver, nor (unicast, multicast) at two. */
        private void checkNothingTwice(List<Map<Long, Integer>> received) {
            for (Map<Long, Integer> r : received) {
                for (Map.Entry<Long, Integer> e : r.entrySet()) {
                    delivered += e.getValue();
                    assertEquals(1, e.getValue(), "message " + Long.toHexString(e.getKey()) + " arrived twice");
                }
            }
            if (mode != Mode.BROADCAST) {
                for (long number : received.get(0).keySet()) {
                    assertTrue(!received.get(1).containsKey(number), "both receivers got " + Long.toHexString(number));
                }
            }
        }
    }

    private static String workersState(Workers workers) {
        try {
            workers.check();
            return "none failed";
        } catch (AssertionError e) {
            return e.getMessage();
        }
    }

    private static byte[] longBytes(long value) {
        return java.nio.ByteBuffer.allocate(8).putLong(value).array();
    }
}
