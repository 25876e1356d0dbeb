package dev.uipc.channel;

import dev.uipc.testkit.Workers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Many producers and many receivers on one small ring, threads in one process (the
 * cross-process runs are CrossProcessModesTest): checksummed messages of varied sizes, with
 * targeted messages mixed in, every wait sleeping at once. Lost, duplicated, torn or
 * misdelivered messages must all be zero.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class StressTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    private final TestBroker test = new TestBroker();

    @AfterEach
    void cleanUp() {
        test.close();
    }

    private record Got(int receiver, int id, long number, boolean redelivered) {
    }

    @Test
    void unicastWithFourProducersAndFourReceiversDeliversEveryMessageOnce() throws InterruptedException {
        int producers = 4;
        int receivers = 4;
        int perProducer = 15_000;
        int stride = perProducer;
        try (Channel ch = test.create(ChannelOptions.defaults().withEntries(16).withMaxMessageSize(300))) {
            List<Subscriber> rx = new ArrayList<>();
            for (int r = 0; r < receivers; r++) {
                rx.add(ch.attach(Access.RECV).waitStrategy(WaitStrategy.park()));
            }
            ConcurrentLinkedQueue<Got> got = new ConcurrentLinkedQueue<>();
            AtomicLong corrupt = new AtomicLong();
            AtomicLong remaining = new AtomicLong((long) producers * perProducer);
            Workers workers = new Workers();
            for (int r = 0; r < receivers; r++) {
                Subscriber receiver = rx.get(r);
                int me = r;
                workers.start("rx-" + r, () -> {
                    byte[] buffer = new byte[300];
                    MessageInfo info = new MessageInfo();
                    while (remaining.get() > 0) {
                        int n = receiver.receive(buffer, 0, 300, info, Duration.ofMillis(20));
                        if (n < 0) {
                            continue;
                        }
                        long number = Checksummed.verify(buffer, n);
                        if (number < 0 || info.tag() != number) {
                            corrupt.incrementAndGet();
                        }
                        if (info.target() != 0 && info.target() != receiver.id()) {
                            corrupt.incrementAndGet();          // somebody else's targeted message
                        }
                        got.add(new Got(me, receiver.id(), number, info.redelivered()));
                        remaining.decrementAndGet();
                    }
                });
            }
            for (int p = 0; p < producers; p++) {
                int sender = p;
                workers.start("tx-" + p, () -> {
                    try (Subscriber tx = ch.attach(Access.SEND).waitStrategy(WaitStrategy.park())) {
                        byte[] buffer = new byte[300];
                        for (int i = 0; i < perProducer; i++) {
                            long number = ((long) sender << 32) | i;
                            int size = Checksummed.sizeOf(number, 300);
                            Checksummed.encode(number, size, buffer);
                            int target = i % 7 == 0 ? rx.get(i % receivers).id() : 0;    // one in seven targeted
                            assertEquals(size, tx.send(buffer, 0, size, number, target, WAIT), "send " + i);
                        }
                    }
                });
            }
            workers.join(Duration.ofSeconds(100));
            rx.forEach(Subscriber::close);
            assertEquals(0, corrupt.get(), "torn, mixed or misdelivered messages");
            BitSet seen = new BitSet();
            int duplicates = 0;
            for (Got g : got) {
                int bit = (int) (g.number() >>> 32) * stride + (int) (g.number() & 0xffffffffL);
                if (seen.get(bit)) {
                    duplicates++;
                }
                seen.set(bit);
            }
            assertEquals(0, duplicates, "duplicates");
            assertEquals(producers * perProducer, seen.cardinality(), "lost messages");
            for (int r = 0; r < receivers; r++) {
                int me = r;
                assertTrue(got.stream().anyMatch(g -> g.receiver() == me), "receiver " + r + " took part");
            }
        }
    }

    @Test
    void broadcastWithTwoProducersGivesEveryReceiverEveryMessageInEachProducersOrder() throws InterruptedException {
        int producers = 2;
        int receivers = 3;
        int perProducer = 20_000;
        try (Channel ch = test.create(ChannelOptions.of(Mode.BROADCAST).withEntries(8).withMaxMessageSize(128))) {
            List<Subscriber> rx = new ArrayList<>();
            for (int r = 0; r < receivers; r++) {
                rx.add(ch.attach(Access.RECV).waitStrategy(WaitStrategy.park()));
            }
            Workers workers = new Workers();
            for (Subscriber receiver : rx) {
                workers.start("rx-" + receiver.id(), () -> {
                    byte[] buffer = new byte[128];
                    MessageInfo info = new MessageInfo();
                    long[] next = new long[producers];
                    for (int i = 0; i < producers * perProducer; i++) {
                        int n = receiver.receive(buffer, 0, 128, info, WAIT);
                        assertTrue(n >= 0, "receive " + i + ": " + Outcome.describe(n));
                        long number = Checksummed.verify(buffer, n);
                        assertTrue(number >= 0, "message " + i + " is torn");
                        int sender = (int) (number >>> 32);
                        assertEquals(next[sender]++, number & 0xffffffffL, "lost, repeated or out of order");
                    }
                });
            }
            for (int p = 0; p < producers; p++) {
                int sender = p;
                workers.start("tx-" + p, () -> {
                    try (Subscriber tx = ch.attach(Access.SEND).waitStrategy(WaitStrategy.park())) {
                        byte[] buffer = new byte[128];
                        for (int i = 0; i < perProducer; i++) {
                            long number = ((long) sender << 32) | i;
                            int size = Checksummed.sizeOf(number, 128);
                            Checksummed.encode(number, size, buffer);
                            assertEquals(size, tx.send(buffer, 0, size, 0, 0, WAIT), "send " + i);
                        }
                    }
                });
            }
            workers.join(Duration.ofSeconds(100));
            rx.forEach(Subscriber::close);
            assertEquals(0, ch.snapshot().counters().lapped());
        }
    }
}
