package dev.uipc.channel;

import org.junit.jupiter.api.AfterEach;
import dev.uipc.testkit.Workers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static dev.uipc.channel.Bytes.receiveText;
import static dev.uipc.channel.Bytes.utf8;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Writing a message in place (claim, write, commit) and reading one in place (a handler). */
class ZeroCopyTest {
    private final TestBroker test = new TestBroker();

    @AfterEach
    void cleanUp() {
        test.close();
    }

    private static void write(MemorySegment into, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        MemorySegment.copy(bytes, 0, into, JAVA_BYTE, 0, bytes.length);
    }

    @Test
    void aClaimedMessageIsWrittenInPlaceAndSeenOnlyOnceCommitted() {
        try (Channel ch = test.create(ChannelOptions.defaults().withMaxMessageSize(64));
             Subscriber sender = ch.attach(Access.SEND);
             Subscriber receiver = ch.attach(Access.RECV)) {
            assertEquals(11, sender.tryClaim(11, 5, 0));
            write(sender.claimedBuffer(), "in place!!!");
            assertEquals(Outcome.EMPTY, receiver.tryReceive(new byte[64], new MessageInfo()), "not before commit");
            sender.commit();
            assertEquals("in place!!!", receiveText(receiver));
        }
    }

    @Test
    void aClaimMayBeCommittedShorter() {
        try (Channel ch = test.create(ChannelOptions.defaults().withMaxMessageSize(64));
             Subscriber s = ch.attach(Access.BOTH)) {
            s.tryClaim(64, 0, 0);
            write(s.claimedBuffer(), "short");
            s.commit(5);
            assertEquals("short", receiveText(s));
        }
    }

    @Test
    void claimsAreMisuseProof() {
        try (Channel ch = test.create(ChannelOptions.defaults().withEntries(1));
             Subscriber s = ch.attach(Access.BOTH)) {
            assertThrows(IllegalStateException.class, s::commit, "nothing claimed");
            assertThrows(IllegalStateException.class, s::claimedBuffer);
            s.tryClaim(1, 0, 0);
            assertThrows(IllegalStateException.class, () -> s.tryClaim(1, 0, 0), "one claim at a time");
            assertThrows(IllegalArgumentException.class, () -> s.commit(2), "longer than claimed");
            s.commit();
            assertEquals(Outcome.FULL, s.tryClaim(1, 0, 0), "the one slot holds the committed message");
            ChannelException tooBig = assertThrows(ChannelException.class, () -> s.tryClaim(1 << 20, 0, 0));
            assertEquals(dev.uipc.uring.Errno.EMSGSIZE, tooBig.errno());
        }
    }

    @Test
    void aHandlerReadsTheMessageWhereItLies() {
        for (Mode mode : Mode.values()) {
            try (Channel ch = test.create(ChannelOptions.of(mode).withMaxMessageSize(32));
                 Subscriber s = ch.attach(Access.BOTH)) {
                s.trySend(utf8("no copy"), 0, 7, 99, 0);
                AtomicReference<String> seen = new AtomicReference<>();
                MessageInfo info = new MessageInfo();
                int n = s.tryReceive((slot, i) -> {
                    seen.set(new String(slot.asSlice(0, i.length()).toArray(JAVA_BYTE), StandardCharsets.UTF_8));
                    assertTrue(slot.isReadOnly(), "the view cannot change the ring");
                }, info);
                assertEquals(7, n, mode.toString());
                assertEquals("no copy", seen.get(), mode.toString());
                assertEquals(99, info.tag());
                assertEquals(Outcome.EMPTY, s.tryReceive((slot, i) -> { }, info));
            }
        }
    }

    @Test
    void aHandlerThatThrowsStillReleasesTheSlot() {
        try (Channel ch = test.create(ChannelOptions.defaults().withEntries(1));
             Subscriber s = ch.attach(Access.BOTH)) {
            s.trySend(utf8("boom"));
            assertThrows(IllegalStateException.class, () -> s.tryReceive((slot, info) -> {
                throw new IllegalStateException("handler failed");
            }, new MessageInfo()));
            assertEquals(5, s.trySend(utf8("again")), "the slot was released");
            assertEquals("again", receiveText(s));
        }
    }

    @Test
    void aBlockingInPlaceReceiveWaitsForTheMessage() throws InterruptedException {
        try (Channel ch = test.create(ChannelOptions.defaults());
             Subscriber receiver = ch.attach(Access.RECV);
             Subscriber sender = ch.attach(Access.SEND)) {
            Thread later = Thread.ofPlatform().start(() -> {
                try {
                    Thread.sleep(30);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                sender.trySend(utf8("eventually"));
            });
            AtomicReference<Integer> length = new AtomicReference<>();
            int n = receiver.receive((slot, info) -> length.set(info.length()), new MessageInfo(),
                    Duration.ofSeconds(10));
            later.join(10_000);
            assertEquals(10, n);
            assertEquals(10, length.get());
            assertEquals(Outcome.TIMED_OUT, receiver.receive((slot, info) -> { }, new MessageInfo(),
                    Duration.ofMillis(10)));
        }
    }

    /**
     * Regression: a subscriber closed while holding a claim left its slot claimed forever, and
     * every later send found the ring full (receivers stop at the first unfinished message).
     * Closing now aborts the claim, which becomes a skipped message.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(Mode.class)
    void closingASubscriberWithAnOpenClaimWedgesNothing(Mode mode) {
        try (Channel ch = test.create(ChannelOptions.of(mode).withEntries(2));
             Subscriber receiver = ch.attach(Access.RECV);
             Subscriber sender = ch.attach(Access.SEND)) {
            Subscriber claimer = ch.attach(Access.SEND);
            assertEquals(8, claimer.tryClaim(8, 0, 0));
            assertEquals(5, sender.trySend(utf8("after")));
            claimer.close();
            assertEquals("after", receiveText(receiver), "the message behind the abandoned claim arrives");
            for (int i = 0; i < 10; i++) {
                assertEquals(1, sender.trySend(utf8(Integer.toString(i))), "round " + i + ": the ring is not wedged");
                assertEquals(Integer.toString(i), receiveText(receiver));
            }
            assertEquals(1, ch.snapshot().counters().skipped(), "the abandoned claim became one skipped message");
            assertEquals(0, ch.snapshot().queued());
        }
    }

    /** An aborted claim is passed over, and a receiver asleep behind it is woken to pass it. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(Mode.class)
    void anAbortedClaimIsPassedOverByASleepingReceiver(Mode mode) throws InterruptedException {
        try (Channel ch = test.create(ChannelOptions.of(mode).withEntries(4));
             Subscriber receiver = ch.attach(Access.RECV).waitStrategy(WaitStrategy.park());
             Subscriber claimer = ch.attach(Access.SEND);
             Subscriber sender = ch.attach(Access.SEND);
             Workers workers = new Workers()) {
            assertEquals(3, claimer.tryClaim(3, 0, 0));
            assertEquals(4, sender.trySend(utf8("next")));      // committed behind the open claim
            AtomicReference<String> got = new AtomicReference<>();
            workers.start("receiver", () -> {
                byte[] buffer = new byte[16];
                int n = receiver.receive(buffer, new MessageInfo(), Duration.ofSeconds(10));
                assertTrue(n >= 0, Outcome.describe(n));
                got.set(new String(buffer, 0, n, StandardCharsets.UTF_8));
            });
            Thread.sleep(50);                                   // let it park behind the claim
            claimer.abort();
            workers.join(Duration.ofSeconds(15));
            assertEquals("next", got.get());
            assertThrows(IllegalStateException.class, claimer::abort, "nothing left to abort");
            assertEquals(4, claimer.tryClaim(4, 0, 0), "the claimer may claim again");
            claimer.commit();
            assertEquals(4, receiver.tryReceive(new byte[16], new MessageInfo()));
        }
    }

    @Test
    void byteBuffersSendAndReceiveExactlyTheirRemainingBytes() {
        try (Channel ch = test.create(ChannelOptions.defaults().withMaxMessageSize(64));
             Subscriber s = ch.attach(Access.BOTH)) {
            for (boolean direct : new boolean[] {true, false}) {
                java.nio.ByteBuffer out = direct ? java.nio.ByteBuffer.allocateDirect(32) : java.nio.ByteBuffer.allocate(32);
                out.put(utf8("xxhello")).flip().position(2);
                assertEquals(5, s.trySend(out));
                assertEquals(7, out.position(), "the position advanced past what was sent");
                java.nio.ByteBuffer in = direct ? java.nio.ByteBuffer.allocateDirect(32) : java.nio.ByteBuffer.allocate(32);
                in.position(3).limit(6);                        // room for 3 bytes at 3..5
                MessageInfo info = new MessageInfo();
                assertEquals(3, s.tryReceive(in, info));
                assertTrue(info.truncated());
                assertEquals(6, in.position());
                byte[] got = new byte[3];
                in.get(3, got);
                assertEquals("hel", new String(got, StandardCharsets.UTF_8), direct ? "direct" : "heap");
            }
        }
    }
}
