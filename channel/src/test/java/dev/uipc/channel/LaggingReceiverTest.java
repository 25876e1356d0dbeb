package dev.uipc.channel;

import dev.uipc.channel.delivery.Recovery;
import dev.uipc.channel.layout.SubscriberDescriptor;
import dev.uipc.channel.memory.ChannelMemory;
import dev.uipc.channel.memory.SubscriberTable;
import dev.uipc.uring.ProcessIdentity;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static dev.uipc.channel.Bytes.receiveText;
import static dev.uipc.channel.Bytes.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A unicast receiver whose search position lags (others received meanwhile) meets a slot whose
 * delivery word the broker moved to a later lap by skipping an unmarked position (a producer
 * SIGKILLed between its tail compare-and-set and its marker), while the slot's sequence still
 * names an earlier position. It must still reach the committed message beyond: both cases
 * below left it parked with the message in the channel (found by a review of the copy-first
 * receive; the first case older than it).
 */
class LaggingReceiverTest {
    private final TestBroker test = new TestBroker();

    @AfterEach
    void cleanUp() {
        test.close();
    }

    private static int deadProducer(SubscriberTable rows) {
        for (int index = 0; index < rows.rows(); index++) {
            if (rows.tryReserve(index)) {
                rows.writeIdentity(index, SubscriberDescriptor.SEND, 1, 0, ProcessIdentity.uid(), ProcessIdentity.gid(),
                        System.currentTimeMillis());
                rows.activateRelease(index);
                return index;
            }
        }
        throw new AssertionError("no free row");
    }

    /** A producer the test kills between winning position c (tail CAS) and marking it; reaped as the broker reaps. */
    private static void dieUnmarked(Subscriber any, ChannelMemory memory, long c) {
        SubscriberTable rows = memory.subscribers();
        int dead = deadProducer(rows);
        rows.announceClaimRelease(dead, c);
        assertTrue(memory.ringHeader().compareAndSetTail(c, c + 1), "the dead producer won position " + c);
        rows.tryBeginLeaving(dead, SubscriberDescriptor.ACTIVE);
        Recovery recovery = new Recovery(any.delivery());
        assertTrue(recovery.recover(dead));
        recovery.free(dead);
    }

    /**
     * What the dead producer's own room check did before it claimed {@code c}: advanced the
     * consumer head past every finished position ({@code CompetingDelivery.lowestNeeded}), so
     * that {@code c < head + entries}.
     */
    private static void advanceHeadAsAProducerWould(ChannelMemory memory, long to) {
        var control = memory.control();
        var words = memory.deliveryWords();
        long head = control.consumerHeadAcquire();
        for (long q = head; q < to; q++) {
            assertTrue(words.isFinished(words.wordAcquire(q), q), "position " + q + " is finished");
        }
        assertTrue(control.compareAndSetConsumerHead(head, to));
    }

    /**
     * One dead producer. A received 0 (its search is at 1); B received 1 and 2; position 3
     * (slot 1) was won by a producer that died before marking it, and is skipped; 4 (slot 0) is
     * committed. A's search stops at 1 (committed, word of a later lap) without moving, passes
     * 2 as finished, and the window ends before 4.
     */
    @Test
    void aLaggingReceiverFindsTheMessageBehindAnUnmarkedSkip() {
        try (Channel ch = test.create(ChannelOptions.defaults().withEntries(2));
             Subscriber sender = ch.attach(Access.SEND);
             Subscriber a = ch.attach(Access.RECV);
             Subscriber b = ch.attach(Access.RECV)) {
            ChannelMemory memory = sender.delivery().memory();
            assertEquals(1, sender.trySend(utf8("0")));
            assertEquals("0", receiveText(a));
            assertEquals(1, sender.trySend(utf8("1")));
            assertEquals(1, sender.trySend(utf8("2")));
            assertEquals("1", receiveText(b));
            assertEquals("2", receiveText(b));
            advanceHeadAsAProducerWould(memory, 3);
            dieUnmarked(sender, memory, 3);
            assertEquals(1, ch.snapshot().counters().skipped());
            assertEquals(1, sender.trySend(utf8("4")), "room for position 4");
            b.close();                                   // B leaves: A is the only receiver
            assertEquals("4", receiveText(a), "the committed message 4 is A's to receive");
        }
    }

    /**
     * Two dead producers on the same slot: A received 0 and 1 (its search is at 2); 2 and 4
     * (slot 0) were won by producers that died before marking; 3 went to B; 5 (slot 1) is
     * committed. A's search meets 2, whose sequence is an earlier lap's and whose word a later
     * lap's, and must go on from the consumer head.
     */
    @Test
    void aReceiverFindsTheMessageBehindTwoUnmarkedSkips() {
        try (Channel ch = test.create(ChannelOptions.defaults().withEntries(2));
             Subscriber sender = ch.attach(Access.SEND);
             Subscriber a = ch.attach(Access.RECV);
             Subscriber b = ch.attach(Access.RECV)) {
            ChannelMemory memory = sender.delivery().memory();
            assertEquals(1, sender.trySend(utf8("0")));
            assertEquals(1, sender.trySend(utf8("1")));
            assertEquals("0", receiveText(a));
            assertEquals("1", receiveText(a));
            advanceHeadAsAProducerWould(memory, 2);
            dieUnmarked(sender, memory, 2);
            assertEquals(1, sender.trySend(utf8("3")), "room for position 3");
            try (Subscriber c = ch.attach(Access.RECV)) {   // starts at the consumer head (3), past the first trap
                assertEquals("3", receiveText(c));
            }
            advanceHeadAsAProducerWould(memory, 4);
            dieUnmarked(sender, memory, 4);
            assertEquals(2, ch.snapshot().counters().skipped());
            assertEquals(1, sender.trySend(utf8("5")), "room for position 5");
            b.close();
            assertEquals("5", receiveText(a), "the committed message 5 is A's to receive");
        }
    }
}
