package dev.uipc.channel;

import dev.uipc.testkit.ChildJvm;
import dev.uipc.testkit.Eventually;
import dev.uipc.uring.Errno;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What happens out of sight is reported through System.Logger, under "dev.uipc.broker" (what
 * the broker does: reaping a dead peer, skipping the slot a dead producer claimed) and
 * "dev.uipc.channel" (what this process refuses or loses: memory that is not a channel, a broker
 * that has gone) — at levels a user can turn down. Read here through java.util.logging, the
 * System.Logger backend when nothing else is configured.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class EventLogTest {
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    /** Held here: java.util.logging keeps only weak references to loggers. */
    private final Logger brokerLog = Logger.getLogger("dev.uipc.broker");
    private final Logger channelLog = Logger.getLogger("dev.uipc.channel");
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            records.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    private TestBroker test;

    @BeforeEach
    void listen() {
        brokerLog.addHandler(capture);
        channelLog.addHandler(capture);
        test = new TestBroker();
    }

    @AfterEach
    void stopListening() {
        test.close();
        brokerLog.removeHandler(capture);
        channelLog.removeHandler(capture);
        brokerLog.setLevel(null);
        channelLog.setLevel(null);
    }

    /** The records of {@code logger} at {@code level}, formatted, that contain {@code text}. */
    private List<String> logged(String logger, Level level, String text) {
        return records.stream().filter(r -> r.getLoggerName().equals(logger) && r.getLevel().equals(level))
                .map(r -> java.text.MessageFormat.format(r.getMessage(), r.getParameters()))
                .filter(m -> m.contains(text)).toList();
    }

    private void producerDies(long key) {
        try (ChildJvm dying = ChildJvm.start(Peer.DiesWhileSending.class, test.socket.toString(), "0x" + Long.toHexString(key))) {
            assertEquals(9, dying.waitFor(DEADLINE), dying.output());
            assertTrue(dying.stdout().contains("claimed"), dying.output());
        }
    }

    @Test
    void theBrokerReportsAReapedPeerAndTheSlotItLeftClaimed() {
        try (Channel ch = test.create(ChannelOptions.defaults().withKey(0x3001).withEntries(4));
             Subscriber receiver = ch.attach(Access.RECV)) {
            producerDies(0x3001);
            Eventually.holds(DEADLINE, "the reaping is logged",
                    () -> !logged("dev.uipc.broker", Level.INFO, "reaped subscriber").isEmpty());
            String reaped = logged("dev.uipc.broker", Level.INFO, "reaped subscriber").getFirst();
            assertTrue(reaped.matches("channel " + ch.id() + ": reaped subscriber \\d+ of pid \\d+, whose process died.*"),
                    reaped);
            Eventually.holds(DEADLINE, "the skipped slot is logged",
                    () -> !logged("dev.uipc.broker", Level.INFO, "skipped position 0").isEmpty());
            assertTrue(logged("dev.uipc.broker", Level.INFO, "skipped position 0").getFirst()
                    .startsWith("channel " + ch.id() + ": skipped position 0, which subscriber "), records.toString());
            assertEquals(1, ch.snapshot().counters().skipped(), "what the log says happened");

            // Turned down, the same events say nothing.
            brokerLog.setLevel(Level.WARNING);
            records.clear();
            producerDies(0x3001);
            Eventually.holds(DEADLINE, "the second death is reaped", () -> ch.snapshot().counters().reaped() == 2);
            assertEquals(List.of(), logged("dev.uipc.broker", Level.INFO, ""), "nothing below WARNING");
        }
    }

    @Test
    void memoryThatIsNotAChannelIsRefusedAndReported() {
        try (Channel ch = test.create(ChannelOptions.defaults().withKey(0x3002));
             Subscriber sender = ch.attach(Access.SEND)) {
            // A peer may write the control memory (the threat model says so): it spoils the magic.
            sender.delivery().memory().controlSegment().set(ValueLayout.JAVA_LONG_UNALIGNED, 0, 0x0BADC0FFEEL);
            ChannelException refused = assertThrows(ChannelException.class, () -> ch.attach(Access.RECV));
            assertEquals(Errno.EBADMSG, refused.errno(), refused.getMessage());
            List<String> warned = logged("dev.uipc.channel", Level.WARNING, "refused the memory of channel " + ch.id());
            assertEquals(1, warned.size(), records.toString());
            assertTrue(warned.getFirst().contains("not a valid uipc channel"), warned.getFirst());
        }
    }

    @Test
    void aBrokerThatHasGoneIsReported() {
        Registry registry = test.connect();
        try {
            test.broker.close();
            ChannelException gone = assertThrows(ChannelException.class, registry::list);
            assertEquals(Errno.ECONNRESET, gone.errno(), gone.getMessage());
            assertEquals(1, logged("dev.uipc.channel", Level.WARNING, "has gone").size(), records.toString());
        } finally {
            registry.close();
        }
    }
}
