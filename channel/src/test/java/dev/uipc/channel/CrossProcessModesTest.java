package dev.uipc.channel;

import dev.uipc.testkit.ChildJvm;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each delivery mode across real processes: child JVMs send and receive checksummed messages
 * of varied sizes through a small ring (so it wraps many times and senders wait for room),
 * and report what they got. Lost and duplicated messages must be zero, and every message
 * intact. Every child is bounded by a deadline.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CrossProcessModesTest {
    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final Pattern REPORT = Pattern.compile("received (\\d+) errors (\\d+) duplicates (\\d+) order (\\d+)");

    private final TestBroker test = new TestBroker();
    private final Registry registry = test.registry;
    private final List<ChildJvm> children = new ArrayList<>();

    @AfterEach
    void cleanUp() {
        children.forEach(ChildJvm::close);
        test.close();
    }

    private record Report(long received, long errors, long duplicates, long outOfOrder, BitSet seen) {
    }

    private ChildJvm receiver(long key, String access, long count, Path out, int stride) {
        ChildJvm child = ChildJvm.start(Peer.Receiver.class, test.socket.toString(), Long.toString(key), access,
                Long.toString(count), out.toString(), Integer.toString(stride));
        children.add(child);
        child.awaitLine("attached", DEADLINE);
        return child;
    }

    private ChildJvm sender(long key, int index, int count) {
        ChildJvm child = ChildJvm.start(Peer.Sender.class, test.socket.toString(), Long.toString(key),
                Integer.toString(index), Integer.toString(count));
        children.add(child);
        return child;
    }

    private static Report report(ChildJvm child, Path out) throws IOException {
        assertEquals(0, child.waitFor(DEADLINE), child.output());
        Matcher m = REPORT.matcher(child.stdout());
        assertTrue(m.find(), child.output());
        return new Report(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), Long.parseLong(m.group(3)),
                Long.parseLong(m.group(4)), BitSet.valueOf(Files.readAllBytes(out)));
    }

    /** Waits until every message sent has been received, then destroys the channel, which ends the receivers. */
    private void drainThenDestroy(Channel ch) {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (ch.snapshot().queued() > 0) {
            assertTrue(System.nanoTime() < deadline, "messages still queued: " + ch.snapshot());
            Thread.onSpinWait();
        }
        ch.destroy();
    }

    @Test
    void unicastDeliversEachMessageToExactlyOneReceiver() throws IOException {
        int senders = 2;
        int perSender = 4000;
        try (Channel ch = registry.create(ChannelOptions.defaults().withKey(0x1001).withEntries(32).withMaxMessageSize(512))) {
            Path out1 = test.directory.resolve("r1.out");
            Path out2 = test.directory.resolve("r2.out");
            ChildJvm r1 = receiver(0x1001, "RECV", 0, out1, perSender);
            ChildJvm r2 = receiver(0x1001, "RECV", 0, out2, perSender);
            List<ChildJvm> sending = List.of(sender(0x1001, 0, perSender), sender(0x1001, 1, perSender));
            for (ChildJvm s : sending) {
                assertEquals(0, s.waitFor(DEADLINE), s.output());
            }
            drainThenDestroy(ch);
            Report a = report(r1, out1);
            Report b = report(r2, out2);
            assertEquals(0, a.errors() + b.errors(), "torn or corrupt messages");
            assertEquals(0, a.duplicates() + b.duplicates(), "duplicates within a receiver");
            assertEquals(0, a.outOfOrder() + b.outOfOrder(), "FIFO per sender, per receiver");
            BitSet both = (BitSet) a.seen().clone();
            both.and(b.seen());
            assertEquals(0, both.cardinality(), "messages delivered to both receivers");
            BitSet all = (BitSet) a.seen().clone();
            all.or(b.seen());
            assertEquals(senders * perSender, all.cardinality(), "lost messages");
            assertEquals(senders * perSender, a.received() + b.received());
            assertTrue(a.received() > 0 && b.received() > 0, "both receivers took part: " + a.received() + "/" + b.received());
        }
    }

    @Test
    void broadcastDeliversEveryMessageToEveryReceiverInOrder() throws IOException {
        int messages = 5000;
        try (Channel ch = registry.create(ChannelOptions.of(Mode.BROADCAST).withKey(0x1002).withEntries(16)
                .withMaxMessageSize(1024))) {
            List<ChildJvm> receivers = new ArrayList<>();
            List<Path> outs = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                Path out = test.directory.resolve("b" + i + ".out");
                outs.add(out);
                receivers.add(receiver(0x1002, "RECV", messages, out, messages));
            }
            ChildJvm s = sender(0x1002, 0, messages);
            assertEquals(0, s.waitFor(DEADLINE), s.output());
            for (int i = 0; i < 3; i++) {
                Report r = report(receivers.get(i), outs.get(i));
                assertEquals(messages, r.received(), "receiver " + i);
                assertEquals(0, r.errors() + r.duplicates() + r.outOfOrder(), "receiver " + i + ": " + r);
                assertEquals(messages, r.seen().cardinality(), "receiver " + i + " missed messages");
            }
            assertEquals(0, ch.snapshot().counters().lapped());
        }
    }

    @Test
    void multicastSpreadsMessagesRoundRobinOverTheReceivers() throws IOException {
        int messages = 3000;
        try (Channel ch = registry.create(ChannelOptions.of(Mode.MULTICAST).withKey(0x1003).withEntries(16)
                .withMaxMessageSize(256))) {
            Path out1 = test.directory.resolve("m1.out");
            Path out2 = test.directory.resolve("m2.out");
            Path out3 = test.directory.resolve("m3.out");
            ChildJvm r1 = receiver(0x1003, "RECV", messages / 3, out1, messages);
            ChildJvm r2 = receiver(0x1003, "RECV", messages / 3, out2, messages);
            ChildJvm r3 = receiver(0x1003, "RECV", messages / 3, out3, messages);
            ChildJvm s = sender(0x1003, 0, messages);
            assertEquals(0, s.waitFor(DEADLINE), s.output());
            Report a = report(r1, out1);
            Report b = report(r2, out2);
            Report c = report(r3, out3);
            for (Report r : List.of(a, b, c)) {
                assertEquals(messages / 3, r.received(), "round-robin gives each receiver a third: " + r);
                assertEquals(0, r.errors() + r.duplicates() + r.outOfOrder(), r.toString());
            }
            BitSet all = (BitSet) a.seen().clone();
            all.or(b.seen());
            all.or(c.seen());
            assertEquals(messages, all.cardinality(), "each message exactly once, none lost");
            assertEquals(0, ch.snapshot().queued());
        }
    }
}
