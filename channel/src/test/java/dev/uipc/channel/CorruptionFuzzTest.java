package dev.uipc.channel;

import dev.uipc.channel.layout.ControlFileDescriptor;
import dev.uipc.channel.layout.MessageDescriptor;
import dev.uipc.channel.layout.RingFileDescriptor;
import dev.uipc.channel.layout.SubscriberDescriptor;
import dev.uipc.channel.memory.ChannelMemory;
import dev.uipc.testkit.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Peers that share a channel's control memory may write anything into it — the threat model
 * allows them to disturb one another — but what they write must never crash or hang a process,
 * the broker included. For each seed: a channel in some state, then random words of its control
 * memory (and, as a sender may, of its ring) overwritten with hostile values, then every
 * operation, then detaching and destroying. Each must end in a result, an {@link Outcome}, or a
 * {@link ChannelException}; anything else, a hang (every wait is bounded), or a dead JVM fails.
 * It runs in a child JVM, so that a crash is seen as one.
 *
 * <p>CI runs {@value #CI_SEEDS} seeds; the full run:
 * {@code ./run-tests -pl channel -am -Dtest=CorruptionFuzzTest -Duipc.fuzz.seeds=100000}.
 */
@Timeout(value = 2, unit = TimeUnit.HOURS)
class CorruptionFuzzTest {
    static final int CI_SEEDS = 3_000;

    @Test
    void hostileControlMemoryEndsInClearErrorsNeverACrashOrAHang() throws Exception {
        int seeds = Integer.getInteger("uipc.fuzz.seeds", CI_SEEDS);
        long first = Long.getLong("uipc.fuzz.first", 0);
        Path directory = Files.createTempDirectory("uipc-fuzz-");
        try (ChildJvm fuzzer = ChildJvm.builder(Fuzzer.class).jvmArgs("-Xmx256m")
                .args(directory.resolve("broker.sock").toString(), Long.toString(first), Integer.toString(seeds)).start()) {
            int status = fuzzer.waitFor(Duration.ofMinutes(Math.max(5, seeds / 1000)));
            String out = fuzzer.stdout();
            assertEquals(0, status, "the fuzzer failed (a seed in its output reproduces it with -Duipc.fuzz.first): "
                    + fuzzer.output());
            assertTrue(out.contains("seeds " + seeds + " "), out);
            System.out.print(out);
        } finally {
            TestBroker.deleteTree(directory);
        }
    }

    /** The child: a broker of its own, and every seed in turn. args: socket first count */
    static final class Fuzzer {
        private static final TreeMap<String, Integer> OUTCOMES = new TreeMap<>();

        public static void main(String[] args) {
            Path socket = Path.of(args[0]);
            long first = Long.parseLong(args[1]);
            int count = Integer.parseInt(args[2]);
            long mutations = 0;
            try (Broker broker = Broker.start(socket);
                 Registry registry = Registry.connect(socket)) {
                for (long seed = first; seed < first + count; seed++) {
                    try {
                        mutations += fuzz(registry, seed);
                    } catch (Throwable t) {
                        System.out.println("seed " + seed + " failed: " + t);
                        t.printStackTrace(System.out);
                        System.out.flush();
                        Runtime.getRuntime().halt(3);
                    }
                }
                if (!registry.list().isEmpty()) {
                    System.out.println("channels left behind: " + registry.list());
                    Runtime.getRuntime().halt(4);
                }
            }
            System.out.println("seeds " + count + " mutations " + mutations + " outcomes " + OUTCOMES);
        }

        private static final Duration BRIEF = Duration.ofMillis(1);

        private static long fuzz(Registry registry, long seed) {
            SplittableRandom random = new SplittableRandom(seed);
            Mode mode = Mode.values()[random.nextInt(3)];
            Channel channel = registry.create(ChannelOptions.of(mode).withEntries(1 << random.nextInt(5))
                    .withMaxMessageSize(64).withMaxSubscribers(3 + random.nextInt(6)));
            Subscriber sender = channel.attach(Access.SEND);
            Subscriber receiver = channel.attach(Access.RECV);
            Subscriber both = channel.attach(Access.BOTH);
            byte[] message = new byte[1 + random.nextInt(64)];
            random.nextBytes(message);
            byte[] buffer = new byte[64];
            MessageInfo info = new MessageInfo();
            for (int i = random.nextInt(6); i > 0; i--) {                 // some state before the attack
                sender.trySend(message);
            }
            for (int i = random.nextInt(3); i > 0; i--) {
                receiver.tryReceive(buffer, info);
            }
            if (random.nextInt(4) == 0) {
                both.tryClaim(8, 0, 0);                                    // an open claim to recover
            }
            ChannelMemory memory = sender.delivery().memory();
            int n = 1 + random.nextInt(8);
            for (int i = 0; i < n; i++) {
                corrupt(memory, random);
            }
            MessageHandler handler = (slot, in) -> slot.get(JAVA_BYTE, Math.max(0, in.length() - 1));
            for (int round = 0; round < 3; round++) {
                attempt("trySend", () -> sender.trySend(message));
                attempt("sendWaiting", () -> sender.send(message, BRIEF));
                attempt("sendTargeted", () -> sender.trySend(message, 0, message.length, 7, receiver.id()));
                attempt("tryReceive", () -> receiver.tryReceive(buffer, info));
                attempt("receiveWaiting", () -> receiver.receive(buffer, info, BRIEF));
                attempt("receiveInPlace", () -> both.receive(handler, info, BRIEF));
                attempt("poll", () -> receiver.poll(handler, info, 4));
                attempt("attach", () -> {
                    channel.attach(Access.RECV).close();
                    return 0;
                });
                attempt("snapshot", () -> registry.snapshot(channel.id()).subscribers().size());
            }
            attempt("detach", () -> {
                both.close();
                receiver.close();
                sender.close();
                return 0;
            });
            attempt("destroy", () -> {
                channel.destroy();
                return 0;
            });
            registry.list();                                               // the broker still answers
            return n;
        }

        interface Operation {
            int run();
        }

        private static void attempt(String name, Operation op) {
            String outcome;
            try {
                int r = op.run();
                outcome = r >= 0 ? "ok" : Outcome.describe(r);
            } catch (ChannelException e) {
                outcome = e.errno().name();
            } catch (IllegalStateException e) {
                if (!e.getMessage().contains("claim")) {
                    throw e;
                }
                outcome = "claim still open";                               // the fuzzer's own misuse, reported as such
            }
            OUTCOMES.merge(name + ":" + outcome, 1, Integer::sum);
        }

        /** Overwrites one word the way a hostile peer could: in the control memory, or (as a sender) the ring. */
        private static void corrupt(ChannelMemory memory, SplittableRandom random) {
            MemorySegment ctl = memory.controlSegment();
            MemorySegment ring = memory.slots().ring();
            int rows = memory.geometry().maxSubscribers();
            int entries = memory.geometry().entries();
            long value = hostileValue(random);
            switch (random.nextInt(7)) {
                case 0 -> {                                               // a hot word of the control header
                    long[] words = {ControlFileDescriptor.STATE_OFFSET, ControlFileDescriptor.CONSUMER_HEAD_OFFSET,
                            ControlFileDescriptor.RECEIVERS_WAITING_OFFSET, ControlFileDescriptor.SENDERS_WAITING_OFFSET,
                            ControlFileDescriptor.MEMBERSHIP_EPOCH_OFFSET, ControlFileDescriptor.REDELIVERY_EPOCH_OFFSET};
                    long at = words[random.nextInt(words.length)];
                    if (at == ControlFileDescriptor.CONSUMER_HEAD_OFFSET) {
                        ctl.set(JAVA_LONG, at, value);
                    } else {
                        ctl.set(JAVA_INT, at, (int) value);
                    }
                }
                case 1, 2 -> {                                            // a field of a subscriber row
                    long row = ControlFileDescriptor.subscriberOffset(random.nextInt(rows));
                    long[] ints = {SubscriberDescriptor.STATE, SubscriberDescriptor.ID, SubscriberDescriptor.ACCESS,
                            SubscriberDescriptor.PID, SubscriberDescriptor.DOORBELL, SubscriberDescriptor.WAITING,
                            SubscriberDescriptor.GENERATION};
                    long[] longs = {SubscriberDescriptor.CURSOR, SubscriberDescriptor.CLAIM,
                            SubscriberDescriptor.RECEIVED, SubscriberDescriptor.SENT};
                    if (random.nextBoolean()) {
                        ctl.set(JAVA_INT, row + ints[random.nextInt(ints.length)], (int) value);
                    } else {
                        ctl.set(JAVA_LONG, row + longs[random.nextInt(longs.length)], value);
                    }
                }
                case 3, 4 -> ctl.set(JAVA_LONG, memory.geometry().deliveryWordOffset(random.nextInt(entries)),
                        random.nextBoolean() ? value : deliveryWord(random));
                case 5 -> {                                               // anywhere in the control memory
                    long at = random.nextLong(ctl.byteSize());
                    ctl.set(JAVA_BYTE, at, (byte) value);
                }
                default -> {                                              // the ring, as a sender may write it
                    long d = RingFileDescriptor.descriptorOffset(random.nextInt(entries));
                    long[] fields = {MessageDescriptor.MESSAGE_LENGTH, MessageDescriptor.FLAGS, MessageDescriptor.TARGET,
                            MessageDescriptor.SENDER_ID};
                    switch (random.nextInt(3)) {
                        case 0 -> ring.set(JAVA_LONG, RingFileDescriptor.TAIL_OFFSET, value);
                        case 1 -> ring.set(JAVA_LONG, d + MessageDescriptor.SEQUENCE, value);
                        default -> ring.set(JAVA_INT, d + fields[random.nextInt(fields.length)], (int) value);
                    }
                }
            }
        }

        private static long hostileValue(SplittableRandom random) {
            return switch (random.nextInt(9)) {
                case 0 -> 0;
                case 1 -> -1;
                case 2 -> Long.MAX_VALUE;
                case 3 -> Long.MIN_VALUE;
                case 4 -> Integer.MAX_VALUE;
                case 5 -> Integer.MIN_VALUE;
                case 6 -> random.nextInt(8);
                case 7 -> 1L << random.nextInt(63);
                default -> random.nextLong();
            };
        }

        /** A delivery word that parses: some lap, some state (valid or not), some taker. */
        private static long deliveryWord(SplittableRandom random) {
            return ((long) random.nextInt(4) << 32) | ((long) random.nextInt(8) << 24) | random.nextInt(1 << 12);
        }
    }
}
