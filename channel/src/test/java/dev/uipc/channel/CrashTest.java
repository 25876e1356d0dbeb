package dev.uipc.channel;

import dev.uipc.testkit.ChildJvm;
import dev.uipc.testkit.Eventually;
import dev.uipc.testkit.Workers;
import dev.uipc.uring.Errno;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static dev.uipc.channel.Bytes.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A peer may die at any instruction: a receiver with unread messages, a receiver half-way
 * through taking one, a producer half-way through writing one, a channel's creator. Each is
 * found dead at once (pid and start time) and what it held is recovered; nothing committed is
 * lost or duplicated, and nothing is left in the registry.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CrashTest {
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    private final TestBroker test = new TestBroker();
    private final Registry registry = test.registry;

    @AfterEach
    void cleanUp() {
        test.close();
    }

    private ChildJvm start(Class<?> main, String... args) {
        String[] all = new String[args.length + 1];
        all[0] = test.socket.toString();
        System.arraycopy(args, 0, all, 1, args.length);
        return ChildJvm.start(main, all);
    }

    @Test
    void aDeadBroadcastReceiverIsReapedAndNoLongerHoldsSendersBack() {
        try (Channel ch = registry.create(ChannelOptions.of(Mode.BROADCAST).withKey(0x2001).withEntries(8));
             Subscriber sender = ch.attach(Access.SEND);
             ChildJvm idle = start(Peer.Idle.class, "0x2001", "RECV")) {
            idle.awaitLine("attached", DEADLINE);
            for (int i = 0; i < 8; i++) {
                assertEquals(1, sender.trySend(utf8("x")));
            }
            assertEquals(Outcome.FULL, sender.trySend(utf8("x")), "the idle receiver holds all 8 slots");
            idle.kill();
            long start = System.nanoTime();
            assertEquals(1, sender.send(utf8("y"), Duration.ofSeconds(10)), "reaped, not waited for");
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(2), "at once, not after a timeout");
            ChannelSnapshot status = ch.snapshot();
            assertEquals(1, status.counters().reaped());
            assertTrue(status.subscribers().stream().noneMatch(s -> s.pid() == idle.pid()), status.toString());
        }
    }

    @Test
    void aMessageTakenByAReceiverThatDiedIsDeliveredToAnother() {
        try (Channel ch = registry.create(ChannelOptions.defaults().withKey(0x2002));
             Subscriber sender = ch.attach(Access.SEND);
             Subscriber survivor = ch.attach(Access.RECV)) {
            sender.trySend(utf8("precious"));
            try (ChildJvm dying = start(Peer.DiesWhileReceiving.class, "0x2002")) {
                assertEquals(9, dying.waitFor(DEADLINE), dying.output());
                assertTrue(dying.stdout().contains("took 0"), dying.output());
            }
            byte[] buffer = new byte[16];
            MessageInfo info = new MessageInfo();
            int n = survivor.receive(buffer, 0, 16, info, Duration.ofSeconds(10));
            assertEquals("precious", Bytes.text(buffer, n));
            assertTrue(info.redelivered(), info.toString());
            assertEquals(0, info.messageId());
            assertEquals(Outcome.EMPTY, survivor.tryReceive(buffer, info), "exactly once");
            assertEquals(1, ch.snapshot().counters().redelivered());
        }
    }

    @Test
    void aSlotClaimedByAProducerThatDiedIsSkipped() {
        for (Mode mode : new Mode[] {Mode.UNICAST, Mode.BROADCAST}) {
            long key = 0x2003 + mode.ordinal();
            try (Channel ch = registry.create(ChannelOptions.of(mode).withKey(key).withEntries(4));
                 Subscriber receiver = ch.attach(Access.RECV);
                 Subscriber sender = ch.attach(Access.SEND)) {
                try (ChildJvm dying = start(Peer.DiesWhileSending.class, "0x" + Long.toHexString(key))) {
                    assertEquals(9, dying.waitFor(DEADLINE), dying.output());
                    assertTrue(dying.stdout().contains("claimed"), dying.output());
                }
                assertEquals(5, sender.trySend(utf8("after")), "position 1, behind the dead claim");
                byte[] buffer = new byte[16];
                MessageInfo info = new MessageInfo();
                int n = receiver.receive(buffer, 0, 16, info, Duration.ofSeconds(10));
                assertEquals("after", Bytes.text(buffer, n), mode + ": the receiver passed the dead claim");
                assertEquals(1, info.messageId());
                assertEquals(1, ch.snapshot().counters().skipped(), mode.toString());
                for (int i = 0; i < 8; i++) {                  // and the slot is usable again as the ring wraps
                    assertEquals(1, sender.trySend(utf8(Integer.toString(i))));
                    assertEquals(Integer.toString(i), Bytes.receiveText(receiver));
                }
            }
        }
    }

    /**
     * A waker that dies between choosing a sleeper (WAKING) and its futex wake: until it is reaped
     * nobody can wake that sleeper — only PARKED rows can be chosen — not even a commit meant for
     * it; once it is reaped, the broker wakes every chosen row too. (Found by the SIGKILL loop: a
     * producer killed inside its commit's wake left a broadcast receiver asleep for good.)
     */
    @Test
    void aSleeperChosenByAWakerThatDiedIsWokenWhenTheWakerIsReaped() throws Exception {
        for (Mode mode : new Mode[] {Mode.UNICAST, Mode.BROADCAST}) {
            long key = 0x2020 + mode.ordinal();
            try (Channel ch = registry.create(ChannelOptions.of(mode).withKey(key));
                 Subscriber receiver = ch.attach(Access.RECV);
                 Subscriber sender = ch.attach(Access.SEND)) {
                java.util.concurrent.atomic.AtomicReference<String> got = new java.util.concurrent.atomic.AtomicReference<>();
                Thread sleeper = Thread.ofPlatform().start(() -> {
                    byte[] buffer = new byte[16];
                    int n = receiver.receive(buffer, new MessageInfo(), DEADLINE);
                    got.set(n < 0 ? Outcome.describe(n) : Bytes.text(buffer, n));
                });
                try (ChildJvm waker = start(Peer.ChoosesAndDies.class, "0x" + Long.toHexString(key),
                        Integer.toString(receiver.index()))) {
                    waker.awaitLine("chose", DEADLINE);
                    assertEquals(5, sender.trySend(utf8("hello")));
                    sleeper.join(300);
                    assertTrue(sleeper.isAlive(), mode + ": chosen by a waker that never woke it, the receiver sleeps "
                            + "through the commit (got " + got.get() + ")");
                    waker.kill();
                }
                sleeper.join(TimeUnit.SECONDS.toMillis(10));
                assertEquals("hello", got.get(), mode + ": reaping the waker woke the receiver it had chosen");
            }
        }
    }

    @Test
    void aChannelDiesWithItsCreatorAndLeavesNothingBehind() {
        try (ChildJvm creator = start(Peer.Creator.class, "0x2010", "false")) {
            String line = creator.awaitLine("created", DEADLINE);
            int id = Integer.parseInt(line.substring("created ".length()).trim());
            try (Subscriber sub = registry.attachById(id, Access.BOTH)) {
                assertEquals(1, sub.trySend(utf8("x")), "usable while its creator lives");
                creator.kill();
                Eventually.holds(Duration.ofSeconds(5), "the broker destroys the channel of its dead creator",
                        () -> registry.list().isEmpty());
                ChannelException e = assertThrows(ChannelException.class, () -> registry.attachByKey(0x2010, Access.RECV));
                assertEquals(Errno.ENOENT, e.errno(), e.getMessage());
                assertEquals("x", Bytes.receiveText(sub), "attached subscribers may still drain");
                assertEquals(Outcome.CLOSED, sub.tryReceive(new byte[8], new MessageInfo()));
            }
        }
    }

    @Test
    void aPersistentChannelOutlivesItsCreator() {
        try (ChildJvm creator = start(Peer.Creator.class, "0x2011", "true")) {
            creator.awaitLine("created", DEADLINE);
            creator.kill();
            Eventually.holds(Duration.ofSeconds(5), "the broker notices the creator's death",
                    () -> !registry.list().getFirst().creatorAlive());
            assertEquals(1, registry.list().size(), "a persistent channel outlives its creator");
            try (Subscriber sub = registry.attachByKey(0x2011, Access.BOTH)) {
                assertEquals(1, sub.trySend(utf8("x")));
            }
            registry.destroyByKey(0x2011);
            assertTrue(registry.list().isEmpty());
        }
    }

    @Test
    void aDeadReceiversRowIsReusedByTheNextSubscriber() {
        try (Channel ch = registry.create(ChannelOptions.defaults().withKey(0x2012).withMaxSubscribers(1))) {
            try (ChildJvm idle = start(Peer.Idle.class, "0x2012", "RECV")) {
                idle.awaitLine("attached", DEADLINE);
                ChannelException full = assertThrows(ChannelException.class, () -> ch.attach(Access.RECV));
                assertEquals(Errno.ENOSPC, full.errno(), full.getMessage());
                idle.kill();
            }
            try (Subscriber sub = ch.attach(Access.RECV)) {
                assertFalse(sub.id() == 0);
                assertEquals(1, ch.snapshot().counters().reaped());
            }
        }
    }

    /**
     * Regression: multicast messages assigned to a receiver that died waited until some
     * producer happened to find the ring full; the survivors received their share and then
     * waited in vain. A dead receiver's assigned messages now go to the others as soon as its
     * death is known.
     */
    @Test
    void multicastMessagesAssignedToADeadReceiverGoToTheSurvivors() throws InterruptedException {
        int messages = 30;
        try (Channel ch = registry.create(ChannelOptions.of(Mode.MULTICAST).withKey(0x2013).withEntries(64));
             Subscriber sender = ch.attach(Access.SEND);
             Subscriber first = ch.attach(Access.RECV).waitStrategy(WaitStrategy.park());
             Subscriber second = ch.attach(Access.RECV).waitStrategy(WaitStrategy.park());
             ChildJvm doomed = start(Peer.Idle.class, "0x2013", "RECV");
             Workers workers = new Workers()) {
            doomed.awaitLine("attached", DEADLINE);
            for (int i = 0; i < messages; i++) {
                assertEquals(1, sender.trySend(new byte[] {(byte) i}));
            }
            java.util.BitSet seen = new java.util.BitSet();
            java.util.concurrent.atomic.AtomicInteger redelivered = new java.util.concurrent.atomic.AtomicInteger();
            doomed.kill();
            long killed = System.nanoTime();
            for (Subscriber survivor : new Subscriber[] {first, second}) {
                workers.start("survivor-" + survivor.id(), () -> {
                    byte[] buffer = new byte[8];
                    MessageInfo info = new MessageInfo();
                    while (true) {
                        synchronized (seen) {
                            if (seen.cardinality() == messages) {
                                return;
                            }
                        }
                        int n = survivor.receive(buffer, info, Duration.ofMillis(100));
                        assertTrue(System.nanoTime() - killed < TimeUnit.SECONDS.toNanos(10),
                                "the survivors still lack messages 10 s after the death: " + seen);
                        if (n == 1) {
                            synchronized (seen) {
                                assertFalse(seen.get(buffer[0]), "message " + buffer[0] + " twice");
                                seen.set(buffer[0]);
                            }
                            if (info.redelivered()) {
                                redelivered.incrementAndGet();
                            }
                        }
                    }
                });
            }
            workers.join(Duration.ofSeconds(30));
            assertEquals(messages, seen.cardinality());
            assertEquals(messages / 3, redelivered.get(), "a third had been assigned to the dead receiver");
            assertEquals(1, ch.snapshot().counters().reaped());
        }
    }
}
