package dev.uipc.channel;

import dev.uipc.channel.delivery.Recovery;
import dev.uipc.channel.layout.SubscriberDescriptor;
import dev.uipc.channel.memory.ChannelMemory;
import dev.uipc.channel.memory.MessageSlots;
import dev.uipc.channel.memory.SubscriberTable;
import dev.uipc.uring.ProcessIdentity;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;

import static dev.uipc.channel.Bytes.receiveText;
import static dev.uipc.channel.Bytes.utf8;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The rules by which a departed producer's claim is judged, each tried on the exact state a
 * crash can leave: rows of peers that died are written here directly and reaped as the broker
 * reaps them, so that every interleaving can be set up, not just hoped for.
 */
class RecoveryTest {
    private final TestBroker test = new TestBroker();

    @AfterEach
    void cleanUp() {
        test.close();
    }

    /** Fills a free row as a subscriber of a process; returns its index. */
    private static int fabricateRow(SubscriberTable rows, int access, int pid, long startTime) {
        for (int index = 0; index < rows.rows(); index++) {
            if (rows.tryReserve(index)) {
                rows.writeIdentity(index, access, pid, startTime, ProcessIdentity.uid(), ProcessIdentity.gid(),
                        System.currentTimeMillis());
                rows.activateRelease(index);
                return index;
            }
        }
        throw new AssertionError("no free row");
    }

    /** A producer the broker knows nothing of: this test decides when it has died. */
    private static int deadProducer(SubscriberTable rows) {
        return fabricateRow(rows, SubscriberDescriptor.SEND, 1, 0);
    }

    /** A producer that stays alive (ACTIVE) throughout. */
    private static int liveProducer(SubscriberTable rows) {
        return fabricateRow(rows, SubscriberDescriptor.SEND, ProcessIdentity.pid(), 0);
    }

    /**
     * Reaps the given rows as the broker reaps a dead connection's: all LEAVING first, then each
     * recovered and, if its claim could be judged, freed. Returns how many were freed.
     */
    private static int reap(Subscriber any, int... dead) {
        var mode = any.delivery();
        SubscriberTable rows = mode.memory().subscribers();
        for (int index : dead) {
            rows.tryBeginLeaving(index, SubscriberDescriptor.ACTIVE);
        }
        Recovery recovery = new Recovery(mode);
        int freed = 0;
        for (int index : dead) {
            if (rows.stateAcquire(index) == SubscriberDescriptor.LEAVING && recovery.recover(index)) {
                recovery.free(index);
                freed++;
            }
        }
        return freed;
    }

    /**
     * Regression: a producer that announced a claim, lost the tail race, found the ring full and
     * parked kept its stale claim record; killed there, its reaper compare-and-set the slot's
     * word — by then a later lap's DONE — to SKIPPED for the old lap, and the channel wedged
     * for good with an acknowledged message lost. A reaper now never acts on another lap.
     */
    @Test
    void aDeadProducersStaleClaimNeverTouchesALaterLap() {
        try (Channel ch = test.create(ChannelOptions.defaults().withEntries(2));
             Subscriber sender = ch.attach(Access.SEND);
             Subscriber receiver = ch.attach(Access.RECV)) {
            SubscriberTable rows = sender.delivery().memory().subscribers();
            int dead = deadProducer(rows);
            for (int i = 0; i < 3; i++) {                       // positions 0..2: slot 0 is in its second lap
                assertEquals(1, sender.trySend(utf8(Integer.toString(i))));
                assertEquals(Integer.toString(i), receiveText(receiver));
            }
            assertEquals(1, sender.trySend(utf8("3")));
            assertEquals(1, sender.trySend(utf8("4")));         // position 4: slot 0's third lap, OPEN
            rows.announceClaimRelease(dead, 0);                   // the stale record: position 0, long done
            assertEquals(1, reap(sender, dead));
            assertEquals("3", receiveText(receiver));
            assertEquals("4", receiveText(receiver), "the message of the later lap is not lost");
            for (int i = 5; i < 12; i++) {
                assertEquals(1, sender.trySend(utf8(Integer.toString(i % 10))), "not wedged at " + i);
                assertEquals(Integer.toString(i % 10), receiveText(receiver));
            }
            assertEquals(0, ch.snapshot().counters().skipped());
        }
    }

    /**
     * A dead producer announced position 0 and the tail moved past it, but the slot was never
     * marked: either it won and died at once, or a live producer that also announced 0 won and
     * has not marked it yet. While that live one still announces 0, the claim is not judged (the
     * dead row stays LEAVING); once the live one marks and commits, the slot is its message.
     */
    @Test
    void anUnmarkedSlotAnotherLiveProducerMayHaveWonIsLeftToIt() {
        try (Channel ch = test.create(ChannelOptions.defaults().withEntries(4));
             Subscriber sender = ch.attach(Access.SEND);
             Subscriber receiver = ch.attach(Access.RECV)) {
            ChannelMemory memory = sender.delivery().memory();
            SubscriberTable rows = memory.subscribers();
            int dead = deadProducer(rows);
            int live = liveProducer(rows);
            rows.announceClaimRelease(dead, 0);
            rows.announceClaimRelease(live, 0);
            assertTrue(memory.ringHeader().compareAndSetTail(0, 1), "someone won position 0");

            assertEquals(0, reap(sender, dead), "not judged while a live producer announces 0");
            assertEquals(SubscriberDescriptor.LEAVING, rows.stateAcquire(dead));
            assertEquals(0, ch.snapshot().counters().skipped());

            // The live producer was the winner: it marks, writes and commits position 0.
            MessageSlots slots = memory.slots();
            slots.markClaimedRelease(0, rows.id(live), 0);
            slots.writeHeader(0, 2, 0, 0, ProcessIdentity.pid(), ProcessIdentity.uid());
            MemorySegment.copy(utf8("hi"), 0, slots.ring(), JAVA_BYTE, slots.payloadOffset(0), 2);
            slots.commitRelease(0);
            rows.clearClaimRelease(live);

            assertEquals(1, reap(sender, dead), "judged now: the slot is the live producer's");
            assertEquals(SubscriberDescriptor.FREE, rows.stateAcquire(dead));
            assertEquals("hi", receiveText(receiver));
            assertEquals(0, ch.snapshot().counters().skipped());
        }
    }

    /** The same, but the live producer had lost: it moves on, and the dead one's slot is skipped. */
    @Test
    void anUnmarkedSlotNoLiveProducerClaimsIsSkipped() {
        try (Channel ch = test.create(ChannelOptions.defaults().withEntries(4));
             Subscriber sender = ch.attach(Access.SEND);
             Subscriber receiver = ch.attach(Access.RECV)) {
            ChannelMemory memory = sender.delivery().memory();
            SubscriberTable rows = memory.subscribers();
            int dead = deadProducer(rows);
            int live = liveProducer(rows);
            rows.announceClaimRelease(dead, 0);
            rows.announceClaimRelease(live, 0);
            assertTrue(memory.ringHeader().compareAndSetTail(0, 1));
            assertEquals(0, reap(sender, dead));
            rows.clearClaimRelease(live);                         // it lost, found the ring full, and gave up

            assertEquals(1, reap(sender, dead));
            assertEquals(1, ch.snapshot().counters().skipped(), "the dead producer had won position 0");
            assertEquals(5, sender.trySend(utf8("after")));
            assertEquals("after", receiveText(receiver), "receivers pass the skipped slot");
        }
    }

    /** Two dead producers both announced the unmarked position: whichever won, it is dead; skipped once. */
    @Test
    void anUnmarkedSlotAnnouncedOnlyByTheDeadIsSkippedOnce() {
        try (Channel ch = test.create(ChannelOptions.of(Mode.BROADCAST).withEntries(4));
             Subscriber receiver = ch.attach(Access.RECV);
             Subscriber sender = ch.attach(Access.SEND)) {
            ChannelMemory memory = sender.delivery().memory();
            SubscriberTable rows = memory.subscribers();
            int first = deadProducer(rows);
            int second = deadProducer(rows);
            rows.announceClaimRelease(first, 0);
            rows.announceClaimRelease(second, 0);
            assertTrue(memory.ringHeader().compareAndSetTail(0, 1));
            assertEquals(2, reap(sender, first, second));
            assertEquals(1, ch.snapshot().counters().skipped());
            assertEquals(1, sender.trySend(utf8("x")));
            assertEquals("x", receiveText(receiver));
        }
    }

    /**
     * A producer's claim record is not cleared after a commit: it stays on the position it
     * committed until its next claim. A producer that dies so, idle after a send, is freed at
     * once with nothing skipped, and its message is delivered.
     */
    @Test
    void aClaimRecordOnACommittedPositionIsNothingToRecover() {
        try (Channel ch = test.create(ChannelOptions.defaults().withEntries(4));
             Subscriber sender = ch.attach(Access.SEND);
             Subscriber receiver = ch.attach(Access.RECV)) {
            ChannelMemory memory = sender.delivery().memory();
            SubscriberTable rows = memory.subscribers();
            assertEquals(1, sender.trySend(utf8("0")));
            assertEquals(0, rows.claimAcquire(sender.index()), "the live sender's record stays on position 0");
            int dead = deadProducer(rows);
            rows.announceClaimRelease(dead, 1);                   // the dead one sends position 1, as a producer does
            assertTrue(memory.ringHeader().compareAndSetTail(1, 2));
            memory.slots().markClaimedRelease(1, rows.id(dead), 0);
            memory.slots().writeHeader(1, 1, 0, 0, 1, ProcessIdentity.uid());
            MemorySegment.copy(utf8("1"), 0, memory.slots().ring(), JAVA_BYTE,
                    memory.slots().payloadOffset(1), 1);
            memory.slots().commitRelease(1);                      // and dies idle, its record still 1

            assertEquals(1, reap(sender, dead), "judged and freed at once");
            assertEquals(0, ch.snapshot().counters().skipped());
            assertEquals("0", receiveText(receiver));
            assertEquals("1", receiveText(receiver), "the dead producer's committed message is delivered");
            assertEquals(1, sender.trySend(utf8("2")));
            assertEquals("2", receiveText(receiver));
        }
    }

    /** A claim record that names a position nobody won (the tail never moved) is only an attempt. */
    @Test
    void aClaimNobodyWonIsNothing() {
        try (Channel ch = test.create(ChannelOptions.defaults());
             Subscriber sender = ch.attach(Access.SEND);
             Subscriber receiver = ch.attach(Access.RECV)) {
            SubscriberTable rows = sender.delivery().memory().subscribers();
            int dead = deadProducer(rows);
            rows.announceClaimRelease(dead, 0);
            assertEquals(1, reap(sender, dead));
            assertEquals(0, ch.snapshot().counters().skipped());
            assertEquals(1, sender.trySend(utf8("0")));
            assertEquals("0", receiveText(receiver));
        }
    }

    /**
     * Regression: a producer that lost the tail race and then found the ring full returned with
     * its claim record still set. Many producers racing on a tiny ring lose that race often;
     * whenever a send comes back FULL, its producer must hold no claim record.
     */
    @Test
    void noClaimRecordOutlivesItsAttempt() throws InterruptedException {
        try (Channel ch = test.create(ChannelOptions.defaults().withEntries(2));
             Subscriber receiver = ch.attach(Access.RECV);
             dev.uipc.testkit.Workers workers = new dev.uipc.testkit.Workers()) {
            int producers = 4;
            SubscriberTable rows = receiver.delivery().memory().subscribers();
            java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
            java.util.concurrent.atomic.AtomicLong fullAfterLosing = new java.util.concurrent.atomic.AtomicLong();
            for (int p = 0; p < producers; p++) {
                Subscriber s = ch.attach(Access.SEND);
                workers.start("producer-" + p, () -> {
                    try (s) {
                        byte[] m = {1};
                        while (!stop.get()) {
                            if (s.trySend(m) == Outcome.FULL) {
                                long record = rows.claimAcquire(s.index());
                                assertEquals(-1, record, "a FULL send left claim record " + record);
                                fullAfterLosing.incrementAndGet();
                            }
                        }
                    }
                });
            }
            byte[] buffer = new byte[8];
            MessageInfo info = new MessageInfo();
            long deadline = System.nanoTime() + 500_000_000L;
            while (System.nanoTime() < deadline && !workers.failed()) {
                receiver.tryReceive(buffer, info);
            }
            stop.set(true);
            workers.join(java.time.Duration.ofSeconds(10));
            assertTrue(fullAfterLosing.get() > 0, "the ring was full often: the race was exercised");
        }
    }

    /**
     * Regression: broadcast receivers never write delivery words, so a broadcast slot's word
     * stays at lap 0; the lap guard that refused a word not OPEN for the claim's own lap then
     * refused every broadcast skip after the ring's first lap, and the channel wedged behind a
     * dead producer's slot (found by the SIGKILL loop, round 13 of 520). Skips and aborts must
     * work in every lap, in every mode.
     */
    @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.EnumSource(Mode.class)
    void aDeadProducersSlotIsSkippedInAnyLap(Mode mode) {
        try (Channel ch = test.create(ChannelOptions.of(mode).withEntries(2));
             Subscriber receiver = ch.attach(Access.RECV);
             Subscriber sender = ch.attach(Access.SEND)) {
            ChannelMemory memory = sender.delivery().memory();
            SubscriberTable rows = memory.subscribers();
            for (int i = 0; i < 5; i++) {                         // positions 0..4: the slots are in laps 1 and 2
                assertEquals(1, sender.trySend(utf8(Integer.toString(i))));
                assertEquals(Integer.toString(i), receiveText(receiver));
            }
            long c = memory.ringHeader().tailAcquire();
            int dead = deadProducer(rows);
            rows.announceClaimRelease(dead, c);
            assertTrue(memory.ringHeader().compareAndSetTail(c, c + 1), "the dead producer won position " + c);
            assertEquals(1, reap(sender, dead));
            assertEquals(1, ch.snapshot().counters().skipped(), "position " + c + ", lap " + (c >> 1));
            assertEquals(5, sender.trySend(utf8("after")));
            assertEquals("after", receiveText(receiver), "the receiver passes the skipped slot");
            // An abort in a later lap too.
            assertEquals(3, sender.tryClaim(3, 0, 0));
            sender.abort();
            assertEquals(4, sender.trySend(utf8("last")));
            assertEquals("last", receiveText(receiver));
            assertEquals(2, ch.snapshot().counters().skipped());
        }
    }
}
