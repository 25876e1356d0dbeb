package dev.uipc.channel;

import dev.uipc.testkit.Workers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Multicast deals messages strictly round-robin over its receivers (docs/LAYOUT.md section 4),
 * whether they are waiting, asleep or busy elsewhere: a worker busy with a long job still gets
 * only its share, and a receiver that stops after an end marker meant for it gets no other's.
 */
class MulticastAssignmentTest {
    private static final Duration DEADLINE = Duration.ofSeconds(20);

    private final TestBroker test = new TestBroker();
    private final Registry registry = test.registry;

    @AfterEach
    void cleanUp() {
        test.close();
    }

    private Channel multicast(long key) {
        return registry.create(ChannelOptions.of(Mode.MULTICAST).withKey(key).withEntries(64).withMaxMessageSize(64));
    }

    private static List<Integer> drain(Subscriber receiver) {
        List<Integer> got = new ArrayList<>();
        byte[] buffer = new byte[64];
        MessageInfo info = new MessageInfo();
        while (receiver.tryReceive(buffer, info) >= 0) {
            got.add((int) info.tag());
        }
        return got;
    }

    @Test
    void awakeReceiversShareTheMessagesStrictlyRoundRobin() {
        try (Channel ch = multicast(0x4d01);
             Subscriber sender = registry.attachByKey(0x4d01, Access.SEND);
             Subscriber a = registry.attachByKey(0x4d01, Access.RECV);
             Subscriber b = registry.attachByKey(0x4d01, Access.RECV)) {
            for (int i = 0; i < 6; i++) {
                assertEquals(1, sender.trySend(new byte[] {(byte) i}, 0, 1, i, 0));
            }
            List<Integer> toA = drain(a);
            List<Integer> toB = drain(b);
            assertEquals(3, toA.size(), "a: " + toA + ", b: " + toB);
            assertEquals(3, toB.size(), "a: " + toA + ", b: " + toB);
            for (int i = 0; i < 3; i++) {
                assertEquals(1, Math.abs(toA.get(i) - toB.get(i)), "they alternate: a " + toA + ", b " + toB);
            }
        }
    }

    /** Waits until the subscriber with {@code id} is asleep on its doorbell, as the channel shows it. */
    private static void awaitAsleep(Channel ch, int id, Workers workers) {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (true) {
            workers.check();
            for (ChannelSnapshot.SubscriberSnapshot s : ch.snapshot().subscribers()) {
                if (s.id() == id && s.waiting()) {
                    return;
                }
            }
            assertTrue(System.nanoTime() < deadline, "subscriber " + id + " never fell asleep: " + ch.snapshot());
            Thread.onSpinWait();
        }
    }

    @Test
    void aSleepingReceiverIsWokenForItsShareWhileAnotherIsIdle() throws Exception {
        try (Channel ch = multicast(0x4d02);
             Subscriber sender = registry.attachByKey(0x4d02, Access.SEND);
             Subscriber sleeper = registry.attachByKey(0x4d02, Access.RECV);
             Subscriber idle = registry.attachByKey(0x4d02, Access.RECV)) {
            List<Integer> toSleeper = new ArrayList<>();
            try (Workers workers = new Workers()) {
                workers.start("sleeper", () -> {
                    MessageInfo info = new MessageInfo();
                    for (int i = 0; i < 3; i++) {
                        int n = sleeper.receive(new byte[64], info, DEADLINE);
                        assertEquals(1, n, "the sleeper's receive " + i + ": " + Outcome.describe(n));
                        synchronized (toSleeper) {
                            toSleeper.add((int) info.tag());
                        }
                    }
                });
                awaitAsleep(ch, sleeper.id(), workers);
                for (int i = 0; i < 6; i++) {
                    assertEquals(1, sender.trySend(new byte[] {(byte) i}, 0, 1, i, 0));
                }
                List<Integer> toIdle = drain(idle);
                assertEquals(3, toIdle.size(), "the idle receiver gets its share, no more: " + toIdle);
            }
            synchronized (toSleeper) {
                assertEquals(3, toSleeper.size(), "and the sleeper is woken for its own: " + toSleeper);
            }
        }
    }
}
