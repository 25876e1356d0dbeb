package dev.uipc.channel.delivery;

import dev.uipc.channel.Outcome;
import dev.uipc.channel.layout.ChannelGeometry;
import dev.uipc.channel.layout.SubscriberDescriptor;
import dev.uipc.channel.memory.ChannelFormat;
import dev.uipc.channel.memory.ChannelHeader;
import dev.uipc.channel.memory.ChannelMemory;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A copy-out receive finds a message without taking it and finishes it by one compare-and-set
 * from the word it read ({@code docs/LAYOUT.md} section 4): interleaved here step by step, on one
 * thread, so that every race a second receiver can win is run exactly.
 */
class CopyOutRaceTest {
    private static final int SENDER = 0;
    private static final int A = 1;
    private static final int B = 2;

    private static ChannelMemory unicast(Arena arena) {
        ChannelGeometry g = new ChannelGeometry(8, 64, 4);
        MemorySegment ring = arena.allocate(ChannelFormat.ringLength(g), 4096);
        MemorySegment ctl = arena.allocate(ChannelFormat.controlLength(g), 4096);
        ChannelFormat.write(ring, ctl, new ChannelHeader(9, 1, 0, 0, g, 0600, 0, 0, 1, 0, 0));
        return ChannelFormat.validate(9, ring, ctl, Arena.ofShared());
    }

    private static long send(Producer producer) {
        long p = producer.tryClaim(8, 0, 0);
        producer.commit(p);
        return p;
    }

    @Test
    void ofTwoReceiversThatFoundTheSameMessageOnlyTheFirstToFinishKeepsIt() {
        try (Arena arena = Arena.ofShared(); ChannelMemory memory = unicast(arena)) {
            DeliveryMode mode = DeliveryMode.of(memory);
            Producer producer = new Producer(mode, SENDER, SubscriberDescriptor.id(1, SENDER));
            Receiver a = mode.newReceiver(A, SubscriberDescriptor.id(1, A));
            Receiver b = mode.newReceiver(B, SubscriberDescriptor.id(1, B));
            long p = send(producer);

            assertEquals(p, a.find());
            assertEquals(p, b.find());
            assertTrue(a.finishCopied(p), "the first to finish keeps the message");
            assertFalse(b.finishCopied(p), "the second's copy is void");
            assertEquals(Outcome.EMPTY, b.find(), "and it is not offered again");
            assertEquals(Outcome.EMPTY, a.find());
            assertEquals(1, a.received());
            assertEquals(0, b.received());
        }
    }

    @Test
    void aCopyOfAMessageAnotherReceiverTookMeanwhileIsVoid() {
        try (Arena arena = Arena.ofShared(); ChannelMemory memory = unicast(arena)) {
            DeliveryMode mode = DeliveryMode.of(memory);
            Producer producer = new Producer(mode, SENDER, SubscriberDescriptor.id(1, SENDER));
            Receiver a = mode.newReceiver(A, SubscriberDescriptor.id(1, A));
            Receiver b = mode.newReceiver(B, SubscriberDescriptor.id(1, B));
            long p = send(producer);
            long q = send(producer);

            assertEquals(p, a.find());
            assertEquals(p, b.take(), "taken in place while a copies it");
            assertFalse(a.finishCopied(p));
            assertEquals(q, a.find(), "a searches on past the message b holds");
            assertTrue(a.finishCopied(q));
            assertTrue(b.release(p));
            assertEquals(Outcome.EMPTY, a.find());
        }
    }

    @Test
    void aFoundMessageThatIsNeverFinishedStaysForAnotherReceiver() {
        try (Arena arena = Arena.ofShared(); ChannelMemory memory = unicast(arena)) {
            DeliveryMode mode = DeliveryMode.of(memory);
            Producer producer = new Producer(mode, SENDER, SubscriberDescriptor.id(1, SENDER));
            Receiver a = mode.newReceiver(A, SubscriberDescriptor.id(1, A));
            Receiver b = mode.newReceiver(B, SubscriberDescriptor.id(1, B));
            long p = send(producer);

            assertEquals(p, a.find());                 // and a dies, or its copy throws: nothing to recover
            assertEquals(p, b.find());
            assertTrue(b.finishCopied(p));
        }
    }

    /**
     * A receiver that sat out while another received laps of messages (the ring never full, so
     * no producer advanced the consumer head) finds its search start overtaken: every slot it
     * looks at holds a later position. It must move on, not report the channel empty.
     */
    @Test
    void aReceiverLappedByAnotherFindsTheNextMessage() {
        try (Arena arena = Arena.ofShared(); ChannelMemory memory = unicast(arena)) {
            DeliveryMode mode = DeliveryMode.of(memory);
            Producer producer = new Producer(mode, SENDER, SubscriberDescriptor.id(1, SENDER));
            Receiver a = mode.newReceiver(A, SubscriberDescriptor.id(1, A));
            Receiver b = mode.newReceiver(B, SubscriberDescriptor.id(1, B));
            long p = send(producer);
            assertEquals(p, a.find());
            assertTrue(a.finishCopied(p));
            for (int i = 0; i < 3 * 8 + 3; i++) {               // three laps and a bit of an 8-slot ring
                long q = send(producer);
                assertEquals(q, b.find());
                assertTrue(b.finishCopied(q));
            }
            long next = send(producer);
            assertEquals(next, a.find(), "a searches from where it stood, laps behind, and still finds it");
            assertTrue(a.finishCopied(next));
        }
    }

    /**
     * A receiver that finds its next message claimed and still being written says so, so that a
     * spinning waiter pauses before looking again (rather than taking the slot's cache line back
     * from its writer); one that finds nothing sent yet, or a message, does not.
     */
    @Test
    void aSearchThatStopsAtAMessageBeingWrittenSaysSo() {
        try (Arena arena = Arena.ofShared(); ChannelMemory memory = unicast(arena)) {
            DeliveryMode mode = DeliveryMode.of(memory);
            Producer producer = new Producer(mode, SENDER, SubscriberDescriptor.id(1, SENDER));
            Receiver a = mode.newReceiver(A, SubscriberDescriptor.id(1, A));
            assertEquals(Outcome.EMPTY, a.find());
            assertFalse(a.sawWriting(), "nothing sent: nobody is writing");
            long p = producer.tryClaim(8, 0, 0);
            assertEquals(Outcome.EMPTY, a.find());
            assertTrue(a.sawWriting(), "claimed, not committed: its producer is writing it");
            producer.commit(p);
            assertEquals(p, a.find());
            assertFalse(a.sawWriting());
        }
    }
}
