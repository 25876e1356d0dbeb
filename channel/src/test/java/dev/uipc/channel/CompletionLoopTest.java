package dev.uipc.channel;

import dev.uipc.testkit.Workers;
import dev.uipc.uring.Errno;
import dev.uipc.uring.linux.Pipe;
import dev.uipc.uring.linux.Sockets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.uipc.channel.Bytes.utf8;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One thread, one io_uring: channels, sockets and timers completing in the same loop. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CompletionLoopTest {
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    private final TestBroker test = new TestBroker();
    private final Registry registry = test.registry;

    @AfterEach
    void cleanUp() {
        test.close();
    }

    /** Runs turns until {@code done} or the deadline; fails at the deadline. */
    private static void runUntil(CompletionLoop loop, java.util.function.BooleanSupplier done, String what) {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (!done.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "not within " + DEADLINE + ": " + what + "; " + loop.stats());
            loop.runOnce(Duration.ofMillis(50));
        }
    }

    @Test
    void aThousandSubscriptionsEachReceiveTheirMessagesExactlyOnce() throws InterruptedException {
        int channels = 1000;
        List<Channel> created = new ArrayList<>();
        List<Subscriber> receivers = new ArrayList<>();
        List<Subscriber> senders = new ArrayList<>();
        for (int i = 0; i < channels; i++) {
            Channel ch = registry.create(ChannelOptions.defaults().withEntries(2).withMaxMessageSize(8));
            created.add(ch);
            receivers.add(ch.attach(Access.RECV));
            senders.add(ch.attach(Access.SEND));
        }
        BitSet seen = new BitSet(channels * 2);
        AtomicInteger duplicates = new AtomicInteger();
        try (CompletionLoop loop = CompletionLoop.open();
             Workers workers = new Workers()) {
            for (int i = 0; i < channels; i++) {
                int channel = i;
                loop.receive(receivers.get(i), (slot, info) -> {
                    int bit = channel * 2 + slot.get(JAVA_BYTE, 0);
                    if (seen.get(bit)) {
                        duplicates.incrementAndGet();
                    }
                    seen.set(bit);
                });
            }
            runUntil(loop, () -> loop.stats().parks() > 0, "every subscription parks");
            long wakesBefore = loop.stats().wakes();
            workers.start("sender", () -> {
                java.util.Random random = new java.util.Random(42);
                for (int round = 0; round < 2; round++) {
                    for (int k = 0; k < channels; k++) {
                        int i = (k * 389 + round * 7) % channels;        // every channel once a round, shuffled
                        assertEquals(1, senders.get(i).send(new byte[] {(byte) round}, DEADLINE));
                        if (random.nextInt(64) == 0) {
                            Thread.sleep(1);                               // let the loop park between bursts
                        }
                    }
                }
            });
            runUntil(loop, () -> seen.cardinality() == channels * 2 || workers.failed(), "every message");
            workers.join(DEADLINE);
            assertEquals(channels * 2, seen.cardinality());
            assertEquals(0, duplicates.get());
            assertTrue(loop.stats().wakes() > wakesBefore, "parked subscriptions were woken: " + loop.stats());
        } finally {
            receivers.forEach(Subscriber::close);
            senders.forEach(Subscriber::close);
            created.forEach(Channel::close);
        }
    }

    @Test
    void aChannelMessageASocketReadAndATimerCompleteInTheSameLoop() throws Exception {
        try (Channel ch = registry.create(ChannelOptions.defaults());
             Subscriber receiver = ch.attach(Access.RECV);
             Subscriber sender = ch.attach(Access.SEND);
             Sockets.Pair sockets = Sockets.unixPair(Sockets.SOCK_STREAM);
             Arena arena = Arena.ofConfined();
             CompletionLoop loop = CompletionLoop.open();
             Workers workers = new Workers()) {
            MemorySegment buffer = arena.allocate(64);
            AtomicInteger socketBytes = new AtomicInteger(-1);
            AtomicInteger timerResult = new AtomicInteger(1);
            List<String> messages = new ArrayList<>();
            loop.receive(receiver, (slot, info) -> messages.add(new String(slot.asSlice(0, info.length())
                    .toArray(JAVA_BYTE), StandardCharsets.UTF_8)));
            long read = loop.recv(sockets.second().value(), buffer, (result, flags, op) -> socketBytes.set(result));
            loop.timeout(Duration.ofMillis(30), (result, flags, op) -> timerResult.set(result));
            assertTrue(read >= 0, "an operation id");
            workers.start("peer", () -> {
                Thread.sleep(10);
                sender.trySend(utf8("over the channel"));
                try (Arena offHeap = Arena.ofConfined()) {
                    MemorySegment bytes = offHeap.allocateFrom("over the socket", StandardCharsets.UTF_8);
                    assertEquals(15, Pipe.write(sockets.first().value(), bytes, 15));
                }
            });
            runUntil(loop, () -> workers.failed() || !messages.isEmpty() && socketBytes.get() >= 0
                    && timerResult.get() != 1, "the channel message, the socket read and the timer");
            workers.join(DEADLINE);
            assertEquals(List.of("over the channel"), messages);
            assertEquals(15, socketBytes.get());
            assertEquals("over the socket", new String(buffer.asSlice(0, 15).toArray(JAVA_BYTE), StandardCharsets.UTF_8));
            assertEquals(-Errno.ETIME.number(), timerResult.get(), "the timer fired");
        }
    }

    @Test
    void aLoopSendingIntoAFullChannelResumesWhenThereIsRoom() throws Exception {
        int total = 200;
        try (Channel ch = registry.create(ChannelOptions.defaults().withEntries(4));
             Subscriber sender = ch.attach(Access.SEND);
             Subscriber receiver = ch.attach(Access.RECV).waitStrategy(WaitStrategy.park());
             CompletionLoop loop = CompletionLoop.open();
             Workers workers = new Workers()) {
            AtomicInteger sent = new AtomicInteger();
            AtomicInteger roomCalls = new AtomicInteger();
            CompletionLoop.Subscription sending = loop.send(sender, subscription -> {
                roomCalls.incrementAndGet();
                while (sent.get() < total) {
                    if (sender.trySend(new byte[] {(byte) sent.get()}) < 0) {
                        subscription.requestRoom();                      // full: tell us when there is room
                        return;
                    }
                    sent.incrementAndGet();
                }
            });
            sending.requestRoom();
            workers.start("slow receiver", () -> {
                byte[] buffer = new byte[8];
                MessageInfo info = new MessageInfo();
                for (int i = 0; i < total; i++) {
                    assertEquals(1, receiver.receive(buffer, info, DEADLINE));
                    assertEquals((byte) i, buffer[0], "in order");
                    if (i % 20 == 0) {
                        Thread.sleep(5);                                 // the loop finds the ring full and parks
                    }
                }
            });
            runUntil(loop, () -> sent.get() == total, "every message sent");
            workers.join(DEADLINE);
            assertTrue(roomCalls.get() > 1, "it waited for room and was told of it: " + roomCalls.get() + " calls");
            assertTrue(loop.stats().wakes() > 0, "the receiver woke the parked loop: " + loop.stats());
        }
    }

    /** The loop thread's own CPU time in clock ticks (utime + stime), as the kernel counts it. */
    private static long threadTicks() throws java.io.IOException {
        String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/thread-self/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);   // fields 14 and 15 of stat(5)
    }

    @Test
    void anIdleLoopUsesAlmostNoCpu() throws Exception {
        try (Channel ch = registry.create(ChannelOptions.defaults());
             Subscriber receiver = ch.attach(Access.RECV);
             Workers workers = new Workers()) {
            long[] cpu = new long[2];
            long[] parks = new long[1];
            workers.start("idle loop", () -> {
                try (CompletionLoop loop = CompletionLoop.open()) {
                    loop.receive(receiver, (slot, info) -> { });
                    loop.runOnce(Duration.ofMillis(100));                 // settle: the subscription parks
                    long before = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
                    long ticksBefore = threadTicks();
                    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
                    while (System.nanoTime() < end) {
                        loop.runOnce(Duration.ofMillis(500));
                    }
                    cpu[0] = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - before;
                    cpu[1] = threadTicks() - ticksBefore;
                    parks[0] = loop.stats().parks();
                }
            });
            workers.join(Duration.ofSeconds(20));
            System.out.printf("idle loop: %.2f ms of CPU in 3 s, %d clock ticks in /proc (%d parks)%n", cpu[0] / 1e6,
                    cpu[1], parks[0]);
            assertTrue(cpu[0] < TimeUnit.MILLISECONDS.toNanos(100), "an idle loop sleeps: " + cpu[0] / 1e6 + " ms of CPU");
            assertTrue(cpu[1] <= 10, "an idle loop sleeps: " + cpu[1] + " clock ticks of CPU in 3 s, by /proc");
        }
    }

    /**
     * A channel with a deep backlog cannot starve another: each turn takes at most the budget
     * from each subscription, so a message on the quiet channel is delivered in the first turn,
     * beside at most a budget's worth of the backlog, and the backlog drains a budget per turn.
     */
    @Test
    void aChannelWithABacklogDoesNotStarveAQuietOne() {
        int budget = 16;
        try (Channel busy = registry.create(ChannelOptions.defaults().withEntries(1024));
             Channel quiet = registry.create(ChannelOptions.defaults());
             Subscriber backlogIn = busy.attach(Access.SEND);
             Subscriber backlogOut = busy.attach(Access.RECV);
             Subscriber quietIn = quiet.attach(Access.SEND);
             Subscriber quietOut = quiet.attach(Access.RECV);
             CompletionLoop loop = CompletionLoop.open(256, WaitStrategy.defaultStrategy(), budget)) {
            long[] backlog = {0};
            long[] quietSeen = {0};
            loop.receive(backlogOut, (slot, info) -> backlog[0]++);
            loop.receive(quietOut, (slot, info) -> quietSeen[0]++);
            for (int i = 0; i < 1000; i++) {
                assertTrue(backlogIn.trySend(utf8("b")) > 0);
            }
            assertTrue(quietIn.trySend(utf8("hi")) > 0);
            loop.runOnce(Duration.ZERO);
            assertEquals(1, quietSeen[0], "the quiet channel's message, in the first turn");
            assertEquals(budget, backlog[0], "a budget's worth of the backlog, no more, in that turn");
            long turns = 1;
            while (backlog[0] < 1000) {
                long before = backlog[0];
                loop.runOnce(Duration.ZERO);
                turns++;
                assertTrue(backlog[0] - before <= budget, "at most the budget per turn: " + (backlog[0] - before));
            }
            assertTrue(turns >= 1000 / budget, turns + " turns");
        }
    }

    @Test
    void waitsHaveTimeoutsAndTheyFire() {
        try (CompletionLoop loop = CompletionLoop.open()) {
            long start = System.nanoTime();
            assertEquals(0, loop.runOnce(Duration.ofMillis(40)), "nothing to do");
            long took = System.nanoTime() - start;
            assertTrue(took >= TimeUnit.MILLISECONDS.toNanos(30) && took < TimeUnit.SECONDS.toNanos(5), took + " ns");
            AtomicInteger fired = new AtomicInteger(1);
            AtomicInteger cancelledResult = new AtomicInteger(1);
            long op = loop.timeout(Duration.ofMillis(10), (result, flags, id) -> fired.set(result));
            long cancelled = loop.timeout(Duration.ofSeconds(60), (result, flags, id) -> cancelledResult.set(result));
            loop.cancel(cancelled);
            runUntil(loop, () -> fired.get() != 1 && cancelledResult.get() != 1, "both timers complete");
            assertEquals(-Errno.ETIME.number(), fired.get(), "the timer fired");
            assertEquals(-Errno.ECANCELED.number(), cancelledResult.get(), "the cancelled one said so");
            assertTrue(op != cancelled);
        }
    }

    @Test
    void closingASubscriptionOrTheLoopWhileMessagesFlowLosesNothing() throws Exception {
        int total = 5000;
        try (Channel ch = registry.create(ChannelOptions.defaults().withEntries(16).withMaxMessageSize(8));
             Subscriber receiver = ch.attach(Access.RECV);
             Subscriber sender = ch.attach(Access.SEND);
             Workers workers = new Workers()) {
            BitSet seen = new BitSet(total);
            workers.start("sender", () -> {
                for (int i = 0; i < total; i++) {
                    assertEquals(4, sender.send(java.nio.ByteBuffer.allocate(4).putInt(0, i).array(), DEADLINE));
                }
            });
            MessageHandler record = (slot, info) -> {
                int n = slot.get(JAVA_INT.withOrder(java.nio.ByteOrder.BIG_ENDIAN), 0);
                assertFalse(seen.get(n), "message " + n + " twice");
                seen.set(n);
            };
            for (int phase = 0; phase < 3 && seen.cardinality() < total; phase++) {
                CompletionLoop loop = CompletionLoop.open();
                CompletionLoop.Subscription s = loop.receive(receiver, record);
                int target = Math.min(total, seen.cardinality() + 700);
                runUntil(loop, () -> seen.cardinality() >= target, "a part of the stream");
                if (phase == 0) {
                    s.close();                                            // the subscription first, then the loop
                }
                loop.close();
            }
            byte[] buffer = new byte[8];
            MessageInfo info = new MessageInfo();
            while (seen.cardinality() < total) {                          // the rest with a plain receive
                assertEquals(4, receiver.receive(buffer, info, DEADLINE), "message " + seen.cardinality());
                int n = java.nio.ByteBuffer.wrap(buffer).getInt();
                assertFalse(seen.get(n), "message " + n + " twice");
                seen.set(n);
            }
            workers.join(DEADLINE);
            assertEquals(total, seen.cardinality());
            assertEquals(Outcome.EMPTY, receiver.tryReceive(buffer, info));
        }
    }

    @Test
    void aSubscriptionCannotBeMadeTwiceNorFromAnotherThread() throws Exception {
        try (Channel ch = registry.create(ChannelOptions.defaults());
             Subscriber receiver = ch.attach(Access.RECV);
             CompletionLoop loop = CompletionLoop.open()) {
            loop.receive(receiver, (slot, info) -> { });
            assertEquals(IllegalStateException.class, assertThrowsType(() -> loop.receive(receiver, (s, i) -> { })));
            Thread other = Thread.ofPlatform().start(() -> {
                try {
                    loop.timeout(Duration.ofSeconds(1), (r, f, u) -> { });
                } catch (IllegalStateException expected) {
                    return;
                }
                throw new AssertionError("another thread submitted to the loop");
            });
            other.join(10_000);
            ChannelException sendOnly = org.junit.jupiter.api.Assertions.assertThrows(ChannelException.class,
                    () -> loop.receive(ch.attach(Access.SEND), (s, i) -> { }));
            assertEquals(Errno.EACCES, sendOnly.errno());
        }
    }

    private static Class<?> assertThrowsType(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            return e.getClass();
        }
        return null;
    }

    /**
     * A subscriber detached while its loop still serves it (try-with-resources closes the loop
     * last): the loop lets it go at its next look — parked or not — and closes cleanly.
     */
    @Test
    void aSubscriberDetachedUnderItsLoopIsLetGo() {
        try (Channel ch = registry.create(ChannelOptions.defaults());
             Subscriber sender = ch.attach(Access.SEND)) {
            Subscriber parkedOne = ch.attach(Access.RECV);
            Subscriber polledOne = ch.attach(Access.RECV);
            try (CompletionLoop loop = CompletionLoop.open()) {
                loop.receive(parkedOne, (slot, info) -> { });
                loop.receive(polledOne, (slot, info) -> { });
                loop.runOnce(Duration.ofMillis(20));              // both park
                parkedOne.close();
                polledOne.close();
                assertTrue(sender.trySend(utf8("wake")) > 0);     // wakes one: its loop finds it detached
                loop.runOnce(Duration.ofMillis(20));
                loop.runOnce(Duration.ZERO);
                loop.close();
                loop.stop();                                      // after close: nothing to stop, no failure
            }
        }
    }

    /** A paused subscription gets no message after its handler paused it, until resumed; nothing is lost. */
    @Test
    void aPausedSubscriptionLeavesItsMessagesInTheChannelUntilResumed() {
        try (Channel ch = registry.create(ChannelOptions.defaults().withEntries(64));
             Subscriber sender = ch.attach(Access.SEND);
             Subscriber receiver = ch.attach(Access.RECV);
             CompletionLoop loop = CompletionLoop.open()) {
            for (int i = 0; i < 10; i++) {
                assertTrue(sender.trySend(utf8("m" + i)) > 0);
            }
            List<String> got = new ArrayList<>();
            CompletionLoop.Subscription[] subscription = new CompletionLoop.Subscription[1];
            subscription[0] = loop.receive(receiver, (slot, info) -> {
                got.add(new String(bytes(slot, info.length()), StandardCharsets.UTF_8));
                if (got.size() == 3) {
                    subscription[0].pause();
                }
            });
            for (int i = 0; i < 5; i++) {
                loop.runOnce(Duration.ofMillis(10));
            }
            assertEquals(List.of("m0", "m1", "m2"), got, "nothing after the handler that paused");
            assertEquals(7, registry.snapshot(ch.id()).queued(), "the rest waits in the channel");
            subscription[0].resume();
            runUntil(loop, () -> got.size() == 10, "the rest after resuming");
            assertEquals("m9", got.get(9));
        }
    }

    /** A byte copy of a segment, for comparisons. */
    static byte[] bytes(MemorySegment segment, int length) {
        byte[] b = new byte[length];
        MemorySegment.copy(segment, JAVA_BYTE, 0, b, 0, length);
        return b;
    }
}
