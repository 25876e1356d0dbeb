package dev.uipc.channel;

import dev.uipc.testkit.Workers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.BitSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.uipc.channel.Bytes.receiveText;
import static dev.uipc.channel.Bytes.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The defects of the io_uring RFC "io_uring: add IPC channel infrastructure" that uipc fixes,
 * each as a regression test of its fix. The fourth, the layout its header and its code
 * disagreed on, is {@link LayoutSpecificationTest}.
 */
class RfcDefectsTest {
    private final TestBroker test = new TestBroker();
    private final Registry registry = test.registry;

    @AfterEach
    void cleanUp() {
        test.close();
    }

    @Test
    void aTargetedMessageCannotBeTakenByAnotherReceiver() {
        // The RFC's file_index only chose whom to wake: any receiver could consume the slot.
        try (Channel ch = registry.create(ChannelOptions.defaults());
             Subscriber sender = ch.attach(Access.SEND);
             Subscriber other = ch.attach(Access.RECV);
             Subscriber target = ch.attach(Access.RECV)) {
            sender.trySend(utf8("for the target"), 0, 14, 7, target.id());
            sender.trySend(utf8("for anyone"));
            MessageInfo info = new MessageInfo();
            byte[] buffer = new byte[64];
            int n = other.tryReceive(buffer, info);
            assertEquals("for anyone", Bytes.text(buffer, n), "the other receiver passes over the targeted message");
            assertEquals(Outcome.EMPTY, other.tryReceive(buffer, info), "and cannot take it");
            n = target.tryReceive(buffer, info);
            assertEquals("for the target", Bytes.text(buffer, n));
            assertEquals(7, info.tag());
        }
    }

    @Test
    void aTargetedMessageWhoseTargetLeavesIsDroppedAndFreesItsSlot() {
        try (Channel ch = registry.create(ChannelOptions.defaults().withEntries(2));
             Subscriber sender = ch.attach(Access.SEND);
             Subscriber other = ch.attach(Access.RECV)) {
            Subscriber target = ch.attach(Access.RECV);
            sender.trySend(utf8("a"), 0, 1, 0, target.id());
            sender.trySend(utf8("b"), 0, 1, 0, target.id());
            assertEquals(Outcome.FULL, sender.trySend(utf8("c")));
            target.close();
            assertEquals(Outcome.EMPTY, other.tryReceive(new byte[4], new MessageInfo()), "never delivered to another");
            assertEquals(1, sender.trySend(utf8("c")), "the target's messages no longer take room");
            assertEquals("c", receiveText(other));
            assertEquals(2, ch.snapshot().counters().dropped());
        }
    }

    @Test
    void aBroadcastSubscriberJoiningAfterTheRingWrappedDoesNotStallTheChannel() {
        // The RFC started a late subscriber at position 0: after a wrap it pinned the consumer
        // head at 0 and the producer got ENOBUFS forever.
        try (Channel ch = registry.create(ChannelOptions.of(Mode.BROADCAST).withEntries(4));
             Subscriber first = ch.attach(Access.BOTH)) {
            for (int i = 0; i < 10; i++) {                  // wrap the 4-slot ring twice and more
                assertEquals(1, first.trySend(utf8(Integer.toString(i))));
                assertEquals(Integer.toString(i), receiveText(first));
            }
            try (Subscriber late = ch.attach(Access.RECV)) {
                assertEquals(Outcome.EMPTY, late.tryReceive(new byte[4], new MessageInfo()), "starts at the tail");
                for (int i = 10; i < 14; i++) {
                    assertEquals(2, first.trySend(utf8(Integer.toString(i))), "the producer is not stalled");
                }
                for (int i = 10; i < 14; i++) {
                    assertEquals(Integer.toString(i), receiveText(late), "the late subscriber gets what follows");
                    assertEquals(Integer.toString(i), receiveText(first));
                }
                assertTrue(first.trySend(utf8("14")) > 0);
            }
        }
    }

    @Test
    void aUnicastChannelWithTwoReceiversDeliversEachMessageExactlyOnce() throws InterruptedException {
        // The RFC kept a head per subscriber in unicast: two receivers duplicated messages.
        int messages = 20_000;
        try (Channel ch = registry.create(ChannelOptions.defaults().withEntries(64).withMaxMessageSize(8));
             Subscriber sender = ch.attach(Access.SEND)) {
            BitSet[] seen = {new BitSet(messages), new BitSet(messages)};
            AtomicInteger received = new AtomicInteger();
            try (Workers workers = new Workers()) {
                for (int r = 0; r < 2; r++) {
                    int me = r;
                    Subscriber receiver = ch.attach(Access.RECV);
                    workers.start("receiver-" + r, () -> {
                        try (receiver) {
                            byte[] buffer = new byte[8];
                            MessageInfo info = new MessageInfo();
                            while (received.get() < messages) {
                                if (receiver.receive(buffer, 0, 8, info, Duration.ofMillis(50)) == 4) {
                                    int value = java.nio.ByteBuffer.wrap(buffer).getInt();
                                    synchronized (seen) {
                                        assertTrue(!seen[0].get(value) && !seen[1].get(value), "duplicate " + value);
                                        seen[me].set(value);
                                    }
                                    received.incrementAndGet();
                                }
                            }
                        }
                    });
                }
                byte[] message = new byte[4];
                for (int i = 0; i < messages; i++) {
                    java.nio.ByteBuffer.wrap(message).putInt(i);
                    assertEquals(4, sender.send(message, 0, 4, 0, 0, Duration.ofSeconds(10)));
                    if ((i & 1023) == 0) {
                        workers.check();
                    }
                }
                workers.join(Duration.ofSeconds(30));
            }
            BitSet all = (BitSet) seen[0].clone();
            all.or(seen[1]);
            assertEquals(messages, all.cardinality(), "every message arrived");
            assertEquals(messages, seen[0].cardinality() + seen[1].cardinality(), "none twice");
        }
    }

    @Test
    void receivingCanBlockUntilAMessageArrives() throws InterruptedException {
        // The RFC's RECV returned -EAGAIN on an empty ring and its "wake" posted no completion.
        try (Channel ch = registry.create(ChannelOptions.defaults());
             Subscriber receiver = ch.attach(Access.RECV);
             Subscriber sender = ch.attach(Access.SEND)) {
            Thread late = Thread.ofPlatform().start(() -> {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                sender.trySend(utf8("late"));
            });
            byte[] buffer = new byte[16];
            long start = System.nanoTime();
            int n = receiver.receive(buffer, new MessageInfo(), Duration.ofSeconds(10));
            assertEquals("late", Bytes.text(buffer, n));
            assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(40));
            assertTrue(ch.snapshot().counters().wakes() >= 1, "it slept and was woken");
            late.join(10_000);
        }
    }
}
