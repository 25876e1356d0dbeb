package dev.uipc.channel;

import dev.uipc.testkit.ChildJvm;
import dev.uipc.uring.ProcessIdentity;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Ring doorbells: peers wake a completion loop by posting into its io_uring (MSG_RING), taking
 * the ring from its process with pidfd_getfd on the broker's word; a peer the kernel refuses it
 * (another user) wakes the futex instead and says why; a publication forged into a row is
 * checked with the broker; a subscription that moves to another loop is woken there.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class RingDoorbellTest {
    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final int OTHER_USER = 1003;

    private final TestBroker test = new TestBroker();
    private final Registry registry = test.registry;

    @AfterEach
    void cleanUp() {
        test.close();
    }

    /** What a loop received: each message verified and recorded by number (sender * stride + n). */
    private static final class Tally implements MessageHandler {
        final BitSet seen = new BitSet();
        final int stride;
        long received;
        long errors;
        long duplicates;
        private final byte[] copy;

        Tally(int stride, int maxMessageSize) {
            this.stride = stride;
            this.copy = new byte[maxMessageSize];
        }

        @Override
        public void onMessage(MemorySegment slot, MessageInfo info) {
            int n = info.length();
            MemorySegment.copy(slot, JAVA_BYTE, 0, copy, 0, n);
            long number = Checksummed.verify(copy, n);
            if (number < 0) {
                errors++;
                return;
            }
            int bit = (int) (number >>> 32) * stride + (int) (number & 0xffffffffL);
            if (seen.get(bit)) {
                duplicates++;
            }
            seen.set(bit);
            received++;
        }
    }

    private static void runUntil(CompletionLoop loop, java.util.function.BooleanSupplier done, String what) {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (!done.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "not within " + DEADLINE + ": " + what + "; " + loop.stats());
            loop.runOnce(Duration.ofMillis(50));
        }
    }

    private ChannelSnapshot.SubscriberSnapshot row(Channel channel, Subscriber subscriber) {
        return registry.snapshot(channel.id()).subscribers().stream().filter(s -> s.id() == subscriber.id())
                .findFirst().orElseThrow();
    }

    private ChildJvm pacedSender(long key, int sender, int count, int maxPauseMicros, boolean asOtherUser) {
        ChildJvm.Builder b = ChildJvm.builder(Peer.Sender.class).args(test.socket.toString(),
                Long.toString(key), Integer.toString(sender), Integer.toString(count), Integer.toString(maxPauseMicros));
        if (asOtherUser) {
            b.asUser(OTHER_USER, OTHER_USER, 022);
        }
        return b.start();
    }

    /**
     * Two peers in other processes race to wake one parked loop, many times over: one of this
     * user, which posts into the loop's ring, and one of another user, which the kernel refuses
     * the ring and which so wakes the futex. Every message arrives once, intact; the ring
     * carried wakes; the row says who could not use it, and why.
     */
    @Test
    void peersInOtherProcessesWakeAParkedLoopByRingOrByFutexAndNoWakeIsLost() {
        assumeTrue(ProcessIdentity.uid() == 0, "a peer under another user needs root to start it (setpriv)");
        long key = 0x51a6L;
        int count = 400;
        try (Channel ch = registry.create(ChannelOptions.defaults().withKey(key).withPermissions(0666));
             Subscriber receiver = ch.attach(Access.RECV);
             CompletionLoop loop = CompletionLoop.open()) {
            Tally tally = new Tally(count, receiver.maxMessageSize());
            loop.receive(receiver, tally);
            assertTrue(row(ch, receiver).ringDoorbell(), "the loop published its ring: " + row(ch, receiver));
            try (ChildJvm ours = pacedSender(key, 0, count, 3000, false);
                 ChildJvm theirs = pacedSender(key, 1, count, 3000, true)) {
                runUntil(loop, () -> tally.received + tally.errors >= 2L * count, "both senders' messages arrive");
                assertEquals(0, ours.waitFor(DEADLINE), ours.output());
                assertEquals(0, theirs.waitFor(DEADLINE), theirs.output());
            }
            loop.runOnce(Duration.ofMillis(50));
            CompletionLoop.Stats stats = loop.stats();
            ChannelSnapshot.SubscriberSnapshot row = row(ch, receiver);
            System.out.println("ring doorbells across processes: " + stats + "; row: " + row);
            assertEquals(0, tally.errors, "every message intact");
            assertEquals(0, tally.duplicates, "none twice");
            assertEquals(2L * count, tally.received, "every message once");
            assertEquals(2 * count, tally.seen.cardinality());
            assertTrue(stats.ringWakes() > 0, "this user's sender woke the loop through its ring: " + stats);
            assertTrue(stats.wakes() > stats.ringWakes(), "the other user's sender woke it by futex: " + stats);
            assertTrue(row.ringWakes() >= stats.ringWakes(), row.toString());
            assertEquals("EPERM", row.ringRefusal(), "the row says why the other user could not use the ring");
            assertEquals("ring (futex for some: EPERM)", row.doorbell());
        }
    }

    /** A loop's wakes come by ring once a peer has taken it; stats and the row agree. */
    @Test
    void aPeerOfTheSameUserWakesTheLoopThroughItsRing() {
        long key = 0x51a7L;
        int count = 300;
        try (Channel ch = registry.create(ChannelOptions.defaults().withKey(key));
             Subscriber receiver = ch.attach(Access.RECV);
             CompletionLoop loop = CompletionLoop.open()) {
            Tally tally = new Tally(count, receiver.maxMessageSize());
            loop.receive(receiver, tally);
            try (ChildJvm sender = pacedSender(key, 0, count, 2000, false)) {
                runUntil(loop, () -> tally.received + tally.errors >= count, "the messages arrive");
                assertEquals(0, sender.waitFor(DEADLINE), sender.output());
            }
            CompletionLoop.Stats stats = loop.stats();
            ChannelSnapshot.SubscriberSnapshot row = row(ch, receiver);
            assertEquals(0, tally.errors);
            assertEquals(count, tally.received);
            assertEquals(count, tally.seen.cardinality());
            assertTrue(stats.ringWakes() > 0, stats.toString());
            assertNull(row.ringRefusal(), row.toString());
            assertEquals("ring", row.doorbell());
            assertTrue(row.ringWakes() > 0, row.toString());
        }
    }

    /**
     * A peer wrote a publication into the row of a receiver that has no loop: a waker asks the
     * broker, which knows of no ring, and rings the futex — the receiver wakes, nothing is
     * taken from anyone's process, and the snapshot (the broker's word) shows no ring.
     */
    @Test
    void aPublicationForgedIntoARowIsCheckedWithTheBroker() throws Exception {
        try (Channel ch = registry.create(ChannelOptions.defaults());
             Subscriber receiver = ch.attach(Access.RECV);
             Subscriber sender = ch.attach(Access.SEND)) {
            receiver.delivery().memory().subscribers().publishRingRelease(receiver.index(), 0x7777);
            AtomicReference<String> got = new AtomicReference<>();
            Thread blocked = Thread.ofPlatform().start(() -> {
                byte[] buffer = new byte[64];
                int n = receiver.receive(buffer, 0, buffer.length, new MessageInfo(), DEADLINE);
                got.set(n < 0 ? Outcome.describe(n) : new String(buffer, 0, n, java.nio.charset.StandardCharsets.UTF_8));
            });
            dev.uipc.testkit.Eventually.holds(DEADLINE, "the receiver parks", () -> receiver.delivery().memory()
                    .subscribers().isParkedOpaque(receiver.index()));
            assertTrue(sender.trySend(Bytes.utf8("woken")) > 0);
            blocked.join(DEADLINE.toMillis());
            assertEquals("woken", got.get(), "the futex woke it");
            ChannelSnapshot.SubscriberSnapshot row = row(ch, receiver);
            assertFalse(row.ringDoorbell(), "the broker knows of no ring: " + row);
            assertEquals(0, row.ringWakes());
        }
    }

    /**
     * A subscription closed on one loop and opened on another is woken on the new one: its new
     * publication makes the waker, which had taken the first loop's ring, ask again.
     */
    @Test
    void aSubscriptionThatMovesToAnotherLoopIsWokenThere() throws Exception {
        try (Channel ch = registry.create(ChannelOptions.defaults());
             Subscriber receiver = ch.attach(Access.RECV);
             Subscriber sender = ch.attach(Access.SEND)) {
            List<Long> ringWakes = new ArrayList<>();
            for (int round = 0; round < 3; round++) {
                try (CompletionLoop loop = CompletionLoop.open()) {
                    Tally tally = new Tally(1000, receiver.maxMessageSize());
                    loop.receive(receiver, tally);
                    for (int i = 0; i < 5; i++) {
                        parkThenSend(loop, receiver, sender, round * 100 + i);
                        long want = i + 1;
                        runUntil(loop, () -> tally.received >= want, "message " + i + " of round " + round);
                    }
                    assertEquals(0, tally.errors);
                    ringWakes.add(loop.stats().ringWakes());
                }
            }
            System.out.println("ring wakes per loop: " + ringWakes);
            for (long wakes : ringWakes) {
                assertTrue(wakes > 0, "each loop was woken through its own ring: " + ringWakes);
            }
        }
    }

    /** Runs the loop until the receiver is parked, then sends one message from another thread. */
    private static void parkThenSend(CompletionLoop loop, Subscriber receiver, Subscriber sender, long number)
            throws InterruptedException {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (!receiver.delivery().memory().subscribers().isParkedOpaque(receiver.index())) {
            assertTrue(System.nanoTime() < deadline, "the subscription parks");
            loop.runOnce(Duration.ZERO);
        }
        byte[] message = new byte[64];
        Checksummed.encode(number, 64, message);
        Thread t = Thread.ofPlatform().start(() -> sender.trySend(message, 0, 64, 0, 0));
        t.join(DEADLINE.toMillis());
    }
}
