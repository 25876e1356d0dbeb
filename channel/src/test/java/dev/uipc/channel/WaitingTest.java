package dev.uipc.channel;

import dev.uipc.testkit.Workers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.uipc.channel.Bytes.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Sleeping and waking: the Dekker pair between a parking receiver and a committing sender
 * (and between a parking sender and a releasing receiver) must never lose a wake-up.
 */
class WaitingTest {
    private static final Duration FIVE_SECONDS = Duration.ofSeconds(5);

    private final TestBroker test = new TestBroker();
    private final Registry registry = test.registry;

    @AfterEach
    void cleanUp() {
        test.close();
    }

    /**
     * Ping-pong between two threads through two channels, each side sleeping at once whenever it
     * waits (no spin budget), so that almost every message races a receiver that is announcing
     * it sleeps. A lost wake-up stalls the pair: a wait then times out after 5 s and the test
     * fails, naming the round.
     *
     * <p>Sensitivity, measured on the 2-core CI VM by removing both fences of the pair (the one
     * after the commit, and the atomic add that announces a sleeper): 100,000 rounds caught the
     * lost wake-up in 2 runs of 4 (rounds 69479 and 1799), 20,000 rounds in 1 of 3. With the
     * fences it has never failed.
     */
    @ParameterizedTest(name = "sleeping through {0}")
    @ValueSource(strings = {"futex", "io_uring"})
    void pingPongNeverLosesAWakeUp(String via) throws InterruptedException {
        WaitStrategy strategy = via.equals("io_uring") ? WaitStrategy.park().viaIoUring() : WaitStrategy.park();
        int rounds = 100_000;
        try (Channel ping = registry.create(ChannelOptions.defaults().withEntries(2).withMaxMessageSize(8));
             Channel pong = registry.create(ChannelOptions.defaults().withEntries(2).withMaxMessageSize(8))) {
            try (Workers workers = new Workers()) {
                workers.start("echo", () -> {
                    try (Subscriber in = ping.attach(Access.RECV).waitStrategy(strategy);
                         Subscriber out = pong.attach(Access.SEND).waitStrategy(strategy)) {
                        byte[] buffer = new byte[8];
                        MessageInfo info = new MessageInfo();
                        for (int i = 0; i < rounds; i++) {
                            int n = in.receive(buffer, 0, 8, info, FIVE_SECONDS);
                            assertEquals(4, n, "echo: round " + i + " received " + Outcome.describe(n));
                            assertEquals(4, out.send(buffer, 0, 4, 0, 0, FIVE_SECONDS), "echo: round " + i);
                        }
                    }
                });
                try (Subscriber out = ping.attach(Access.SEND).waitStrategy(strategy);
                     Subscriber in = pong.attach(Access.RECV).waitStrategy(strategy)) {
                    byte[] message = new byte[4];
                    byte[] reply = new byte[8];
                    MessageInfo info = new MessageInfo();
                    for (int i = 0; i < rounds; i++) {
                        java.nio.ByteBuffer.wrap(message).putInt(i);
                        assertEquals(4, out.send(message, 0, 4, 0, 0, FIVE_SECONDS));
                        int n = in.receive(reply, 0, 8, info, FIVE_SECONDS);
                        workers.check();
                        assertEquals(4, n, "round " + i + ": " + Outcome.describe(n) + " (a lost wake-up stalls here)");
                        assertEquals(i, java.nio.ByteBuffer.wrap(reply).getInt());
                    }
                }
            }
            long wakes = ping.snapshot().counters().wakes() + pong.snapshot().counters().wakes();
            assertTrue(wakes > rounds / 2, "most waits really slept and were woken: " + wakes + " wakes");
        }
    }

    /**
     * A broadcast sender streams through a 2-slot ring to three receivers, every side sleeping
     * at once whenever it waits, and one receiver sometimes passing over an aborted slot: the
     * sender sleeps for room on nearly every message, and only the receiver that held it back
     * may wake it. A wake lost anywhere stalls a side, whose wait then times out after 5 s and
     * fails the test, naming the message.
     */
    @Test
    void aBroadcastSenderWaitingForRoomIsNeverLeftAsleep() throws InterruptedException {
        int messages = 20_000;
        int receivers = 3;
        WaitStrategy strategy = WaitStrategy.park();
        try (Channel ch = registry.create(ChannelOptions.of(Mode.BROADCAST).withEntries(2).withMaxMessageSize(8))) {
            List<Subscriber> subscribers = new ArrayList<>();
            try (Workers workers = new Workers()) {
                for (int r = 0; r < receivers; r++) {
                    Subscriber in = ch.attach(Access.RECV).waitStrategy(strategy);
                    subscribers.add(in);
                    int who = r;
                    workers.start("receiver-" + r, () -> {
                        byte[] buffer = new byte[8];
                        MessageInfo info = new MessageInfo();
                        for (int i = 0; i < messages; i++) {
                            int n = in.receive(buffer, 0, 8, info, FIVE_SECONDS);
                            assertEquals(4, n, "receiver " + who + ", message " + i + ": " + Outcome.describe(n)
                                    + " (a lost wake-up stalls here)");
                            assertEquals(i, java.nio.ByteBuffer.wrap(buffer).getInt(), "receiver " + who);
                        }
                    });
                }
                try (Subscriber out = ch.attach(Access.SEND).waitStrategy(strategy)) {
                    byte[] message = new byte[4];
                    for (int i = 0; i < messages; i++) {
                        if (i % 7 == 3 && out.tryClaim(4, 0, 0) == 4) {
                            out.abort();                     // a slot every receiver passes over
                        }
                        java.nio.ByteBuffer.wrap(message).putInt(i);
                        int n = out.send(message, 0, 4, 0, 0, FIVE_SECONDS);
                        workers.check();
                        assertEquals(4, n, "message " + i + ": " + Outcome.describe(n) + " (a lost wake-up stalls here)");
                    }
                }
            } finally {
                for (Subscriber in : subscribers) {
                    in.close();
                }
            }
            assertTrue(ch.snapshot().counters().wakes() > messages / 2, "most waits really slept and were woken: "
                    + ch.snapshot().counters().wakes() + " wakes");
        }
    }

    @Test
    void aSendMakesNoSystemCallWhileNobodySleeps() {
        try (Channel ch = registry.create(ChannelOptions.defaults().withEntries(1024));
             Subscriber sender = ch.attach(Access.SEND);
             Subscriber receiver = ch.attach(Access.RECV)) {
            byte[] buffer = new byte[64];
            MessageInfo info = new MessageInfo();
            for (int i = 0; i < 10_000; i++) {
                assertEquals(3, sender.trySend(utf8("abc")));
                assertEquals(3, receiver.tryReceive(buffer, info));
            }
            assertEquals(0, ch.snapshot().counters().wakes(), "no futex wake without a sleeper");
        }
    }

    @Test
    void aReceiverWaitsOutItsTimeout() {
        try (Channel ch = registry.create(ChannelOptions.defaults());
             Subscriber receiver = ch.attach(Access.RECV)) {
            long start = System.nanoTime();
            assertEquals(Outcome.TIMED_OUT, receiver.receive(new byte[8], 0, 8, new MessageInfo(),
                    Duration.ofMillis(30)));
            long took = System.nanoTime() - start;
            assertTrue(took >= TimeUnit.MILLISECONDS.toNanos(30) && took < TimeUnit.SECONDS.toNanos(5), took + " ns");
            assertEquals(Outcome.EMPTY, receiver.tryReceive(new byte[8], new MessageInfo()));
        }
    }

    @Test
    void aSenderWaitsForRoomAndIsWokenWhenAReceiverFreesIt() throws InterruptedException {
        try (Channel ch = registry.create(ChannelOptions.defaults().withEntries(2));
             Subscriber sender = ch.attach(Access.SEND).waitStrategy(WaitStrategy.park());
             Subscriber receiver = ch.attach(Access.RECV)) {
            sender.trySend(utf8("1"));
            sender.trySend(utf8("2"));
            assertEquals(Outcome.TIMED_OUT, sender.send(utf8("3"), 0, 1, 0, 0, Duration.ofMillis(20)));
            Thread drain = Thread.ofPlatform().start(() -> {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                receiver.tryReceive(new byte[8], new MessageInfo());
            });
            long start = System.nanoTime();
            assertEquals(1, sender.send(utf8("3"), Duration.ofSeconds(10)));
            assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(30), "it waited for the receiver");
            drain.join(10_000);
            assertTrue(ch.snapshot().counters().wakes() >= 1, "the receiver woke the sleeping sender");
        }
    }

    /**
     * A broadcast sender waiting for room is woken by the receiver that held it back, not by
     * every receiver that finishes a message: the others give it no room, and with many
     * receivers their wakes took the CPU the slowest one needed.
     */
    @Test
    void aWaitingBroadcastSenderIsWokenOnlyByTheReceiverThatHeldItBack() throws InterruptedException {
        try (Channel ch = registry.create(ChannelOptions.of(Mode.BROADCAST).withEntries(4));
             Subscriber sender = ch.attach(Access.SEND).waitStrategy(WaitStrategy.park());
             Subscriber ahead = ch.attach(Access.RECV);
             Subscriber slowest = ch.attach(Access.RECV)) {
            byte[] buffer = new byte[8];
            MessageInfo info = new MessageInfo();
            sender.trySend(utf8("1"));
            sender.trySend(utf8("2"));
            assertEquals(1, ahead.tryReceive(buffer, info));
            assertEquals(1, ahead.tryReceive(buffer, info));
            sender.trySend(utf8("3"));
            sender.trySend(utf8("4"));
            try (Workers workers = new Workers()) {
                workers.start("sender", () -> assertEquals(1, sender.send(utf8("5"), Duration.ofSeconds(10))));
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (ch.snapshot().subscribers().stream().noneMatch(s -> s.id() == sender.id() && s.waiting())) {
                    workers.check();
                    assertTrue(System.nanoTime() < deadline, "the sender never slept: " + ch.snapshot());
                    Thread.onSpinWait();
                }
                long wakes = ch.snapshot().counters().wakes();
                assertEquals(1, ahead.tryReceive(buffer, info));
                assertEquals(1, ahead.tryReceive(buffer, info));
                assertEquals(wakes, ch.snapshot().counters().wakes(),
                        "a receiver ahead of the slowest freed nothing, so woke nobody");
                assertEquals(1, slowest.tryReceive(buffer, info));
            }
            assertEquals(5, sender.sentCount(), "the slowest receiver's finish woke the sender, which sent");
        }
    }

    /**
     * A broadcast receiver passing over a slot its producer aborted moves the lowest cursor just
     * as finishing a message does, so it too wakes a sender waiting for the room that makes.
     */
    @Test
    void aReceiverPassingOverAnAbortedSlotWakesAWaitingBroadcastSender() throws InterruptedException {
        try (Channel ch = registry.create(ChannelOptions.of(Mode.BROADCAST).withEntries(4));
             Subscriber sender = ch.attach(Access.SEND).waitStrategy(WaitStrategy.park());
             Subscriber receiver = ch.attach(Access.RECV)) {
            assertEquals(8, sender.tryClaim(8, 0, 0));
            sender.abort();
            sender.trySend(utf8("2"));
            sender.trySend(utf8("3"));
            sender.trySend(utf8("4"));
            try (Workers workers = new Workers()) {
                workers.start("sender", () -> assertEquals(1, sender.send(utf8("5"), Duration.ofSeconds(30))));
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (ch.snapshot().subscribers().stream().noneMatch(s -> s.id() == sender.id() && s.waiting())) {
                    workers.check();
                    assertTrue(System.nanoTime() < deadline, "the sender never slept: " + ch.snapshot());
                    Thread.onSpinWait();
                }
                byte[] buffer = new byte[8];
                assertEquals(1, receiver.tryReceive(buffer, new MessageInfo()), "message 2, past the aborted slot");
                // Its send times out only after 30 s, when it looks a last time: well before that,
                // the receiver's passing over the slot must have woken it.
                long woken = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                while (sender.sentCount() < 4 && System.nanoTime() < woken) {
                    workers.check();
                    Thread.onSpinWait();
                }
                assertEquals(4, sender.sentCount(), "the sender was woken when the receiver passed over the aborted slot");
            }
        }
    }

    @Test
    void busySpinningNeverSleeps() throws InterruptedException {
        try (Channel ch = registry.create(ChannelOptions.defaults());
             Subscriber receiver = ch.attach(Access.RECV).waitStrategy(WaitStrategy.busySpin());
             Subscriber sender = ch.attach(Access.SEND)) {
            AtomicInteger got = new AtomicInteger(-1);
            Thread t = Thread.ofPlatform().start(() -> got.set(receiver.receive(new byte[8], 0, 8, new MessageInfo(),
                    FIVE_SECONDS)));
            Thread.sleep(20);
            sender.trySend(utf8("x"));
            t.join(10_000);
            assertEquals(1, got.get());
            assertEquals(0, ch.snapshot().counters().wakes(), "a spinning receiver needs no wake");
        }
    }

    @Test
    void destroyingAChannelWakesItsSleepers() throws InterruptedException {
        Channel ch = registry.create(ChannelOptions.defaults());
        try (Subscriber receiver = ch.attach(Access.RECV).waitStrategy(WaitStrategy.park())) {
            AtomicInteger got = new AtomicInteger(0);
            Thread t = Thread.ofPlatform().start(() -> got.set(receiver.receive(new byte[8], 0, 8, new MessageInfo(),
                    Duration.ofSeconds(30))));
            Thread.sleep(30);
            ch.destroy();
            t.join(10_000);
            assertEquals(Outcome.CLOSED, got.get(), "woken, and told the channel is gone");
        }
    }

    /**
     * A broadcast commit wakes every parked receiver; with several parked, the wakes go out as
     * one batch of io_uring FUTEX_WAKE submissions (one system call), and every receiver wakes.
     */
    @Test
    void aBroadcastCommitWakesEveryParkedReceiverAtOnce() throws InterruptedException {
        int receivers = 8;
        try (Channel ch = registry.create(ChannelOptions.of(Mode.BROADCAST).withEntries(4));
             Subscriber sender = ch.attach(Access.SEND);
             Workers workers = new Workers()) {
            java.util.concurrent.atomic.AtomicInteger woken = new java.util.concurrent.atomic.AtomicInteger();
            java.util.List<Subscriber> all = new java.util.ArrayList<>();
            try {
                for (int i = 0; i < receivers; i++) {
                    Subscriber receiver = ch.attach(Access.RECV).waitStrategy(WaitStrategy.park());
                    all.add(receiver);
                    workers.start("receiver-" + i, () -> {
                        assertEquals(1, receiver.receive(new byte[8], new MessageInfo(), FIVE_SECONDS));
                        woken.incrementAndGet();
                    });
                }
                dev.uipc.testkit.Eventually.holds(FIVE_SECONDS, "every receiver parks", () -> ch.snapshot()
                        .subscribers().stream().filter(ChannelSnapshot.SubscriberSnapshot::waiting).count() == receivers);
                assertEquals(1, sender.trySend(utf8("!")));
                workers.join(FIVE_SECONDS.multipliedBy(2));
                assertEquals(receivers, woken.get());
                // Counted before any receiver detaches: a detach makes the broker wake whoever is
                // still parked or chosen, which would count too.
                assertEquals(receivers, ch.snapshot().counters().wakes(), "one wake each, no more");
            } finally {
                all.forEach(Subscriber::close);
            }
        }
    }

    /**
     * Regression (found by the SIGKILL loop, round 242 of 520): a receiver that stops at a
     * message still being written parks, and its messages behind that one wait. When that
     * message is committed, its producer woke only the message's own receiver — so a receiver
     * held up behind it slept on with messages of its own ready. A commit that others may be
     * held up behind now wakes every parked receiver.
     */
    @ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.EnumSource(value = Mode.class, names = {"UNICAST", "MULTICAST"})
    void aReceiverHeldUpBehindAnotherReceiversMessageIsWokenWhenItIsCommitted(Mode mode) throws InterruptedException {
        try (Channel ch = registry.create(ChannelOptions.of(mode).withEntries(8));
             Subscriber first = ch.attach(Access.RECV).waitStrategy(WaitStrategy.park());
             Subscriber second = ch.attach(Access.RECV).waitStrategy(WaitStrategy.park());
             Subscriber slow = ch.attach(Access.SEND);
             Subscriber quick = ch.attach(Access.SEND);
             Workers workers = new Workers()) {
            // Position 0 is claimed and left open; position 1 is committed behind it. In multicast,
            // 0 is dealt to the first receiver and 1 to the second; in unicast, 1 targets the second.
            assertEquals(4, slow.tryClaim(4, 0, mode == Mode.UNICAST ? first.id() : 0));
            assertEquals(5, quick.trySend(utf8("mine!"), 0, 5, 0, mode == Mode.UNICAST ? second.id() : 0));
            java.util.concurrent.atomic.AtomicReference<String> secondGot = new java.util.concurrent.atomic.AtomicReference<>();
            java.util.concurrent.atomic.AtomicLong secondAt = new java.util.concurrent.atomic.AtomicLong();
            Duration patience = Duration.ofSeconds(20);
            workers.start("first", () -> assertEquals(4, first.receive(new byte[8], new MessageInfo(), patience)));
            workers.start("second", () -> {
                byte[] buffer = new byte[8];
                int n = second.receive(buffer, new MessageInfo(), patience);
                secondAt.set(System.nanoTime());
                assertEquals(5, n, Outcome.describe(n));
                secondGot.set(new String(buffer, 0, n, java.nio.charset.StandardCharsets.UTF_8));
            });
            dev.uipc.testkit.Eventually.holds(FIVE_SECONDS, "both receivers park, held up at position 0",
                    () -> ch.snapshot().subscribers().stream().filter(ChannelSnapshot.SubscriberSnapshot::waiting)
                            .count() == 2);
            long committed = System.nanoTime();
            slow.commit();                                   // wakes its own receiver, and the one held up behind it
            workers.join(patience.multipliedBy(2));
            assertTrue(secondAt.get() - committed < TimeUnit.SECONDS.toNanos(3), "the second receiver slept on beside "
                    + "its message for " + (secondAt.get() - committed) / 1_000_000 + " ms: nobody woke it");
            assertEquals("mine!", secondGot.get());
        }
    }
}
