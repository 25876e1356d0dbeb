package dev.uipc.channel;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
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
    private final TestRegistry test = new TestRegistry();

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
            assertEquals(Status.EMPTY, receiver.tryReceive(new byte[64], new MessageInfo()), "not before commit");
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
            assertEquals(Status.FULL, s.tryClaim(1, 0, 0), "the one slot holds the committed message");
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
                assertEquals(Status.EMPTY, s.tryReceive((slot, i) -> { }, info));
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
                    TimeUnit.SECONDS.toNanos(10));
            later.join(10_000);
            assertEquals(10, n);
            assertEquals(10, length.get());
            assertEquals(Status.TIMED_OUT, receiver.receive((slot, info) -> { }, new MessageInfo(),
                    TimeUnit.MILLISECONDS.toNanos(10)));
        }
    }
}
