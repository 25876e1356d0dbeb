package dev.uipc.channel;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The send and receive paths allocate nothing, in every mode and for byte[] and
 * MemorySegment buffers, including the expected outcomes (EMPTY, FULL): measured with the
 * JVM's per-thread allocation counter once the JIT has settled.
 */
class AllocationTest {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private final TestBroker test = new TestBroker();

    @BeforeAll
    static void measurable() {
        assumeTrue(THREADS.isThreadAllocatedMemorySupported(), "this JVM cannot count allocated bytes per thread");
        THREADS.setThreadAllocatedMemoryEnabled(true);
    }

    @AfterEach
    void cleanUp() {
        test.close();
    }

    private static long allocated() {
        return THREADS.getThreadAllocatedBytes(Thread.currentThread().threadId());
    }

    /** Runs {@code work} until a whole window allocates (almost) nothing; fails after 40 windows. */
    private static void assertAllocatesNothing(String what, Runnable work) {
        StringBuilder windows = new StringBuilder();
        for (int window = 0; window < 40; window++) {
            long before = allocated();
            work.run();
            long bytes = allocated() - before;
            if (bytes < 1024) {
                return;
            }
            if (window >= 35) {
                windows.append(' ').append(bytes);
            }
        }
        throw new AssertionError(what + " allocated in every window; the last ones, in bytes:" + windows);
    }

    @Test
    void sendingAndReceivingAllocateNothingInAnyMode() {
        for (Mode mode : Mode.values()) {
            try (Channel ch = test.create(ChannelOptions.of(mode).withEntries(64).withMaxMessageSize(128));
                 Subscriber sender = ch.attach(Access.SEND);
                 Subscriber receiver = ch.attach(Access.RECV);
                 Arena arena = Arena.ofConfined()) {
                byte[] array = new byte[100];
                byte[] into = new byte[128];
                MemorySegment segment = arena.allocate(100);
                MemorySegment intoSegment = arena.allocate(128);
                MessageInfo info = new MessageInfo();
                assertAllocatesNothing(mode + " send/receive", () -> {
                    for (int i = 0; i < 20_000; i++) {
                        assertEquals(100, sender.trySend(array, 0, 100, i, 0));
                        assertEquals(100, sender.trySend(segment, 0, 100, i, 0));
                        assertEquals(100, receiver.tryReceive(into, 0, 128, info));
                        assertEquals(100, receiver.tryReceive(intoSegment, 0, 128, info));
                        assertEquals(Outcome.EMPTY, receiver.tryReceive(into, 0, 128, info));
                    }
                });
            }
        }
    }

    private static final class Sink implements MessageHandler {
        long sum;

        @Override
        public void onMessage(MemorySegment slot, MessageInfo info) {
            sum += slot.get(java.lang.foreign.ValueLayout.JAVA_BYTE, 0) + info.length();
        }
    }

    @Test
    void zeroCopySendingAndReceivingAllocateNothing() {
        try (Channel ch = test.create(ChannelOptions.defaults().withEntries(64).withMaxMessageSize(64));
             Subscriber sender = ch.attach(Access.SEND);
             Subscriber receiver = ch.attach(Access.RECV)) {
            Sink sink = new Sink();
            MessageInfo info = new MessageInfo();
            assertAllocatesNothing("claim, commit and read in place", () -> {
                for (int i = 0; i < 20_000; i++) {
                    assertEquals(32, sender.tryClaim(32, i, 0));
                    sender.claimedBuffer().set(java.lang.foreign.ValueLayout.JAVA_BYTE, 0, (byte) i);
                    sender.commit();
                    assertEquals(32, receiver.tryReceive(sink, info));
                }
            });
        }
    }

    @Test
    void aFullRingAndATargetedSendAllocateNothing() {
        try (Channel ch = test.create(ChannelOptions.defaults().withEntries(4).withMaxMessageSize(16));
             Subscriber sender = ch.attach(Access.SEND);
             Subscriber receiver = ch.attach(Access.RECV)) {
            byte[] message = new byte[16];
            byte[] into = new byte[16];
            MessageInfo info = new MessageInfo();
            int target = receiver.id();
            assertAllocatesNothing("full ring and targeted sends", () -> {
                for (int i = 0; i < 10_000; i++) {
                    for (int k = 0; k < 4; k++) {
                        assertEquals(16, sender.trySend(message, 0, 16, k, target));
                    }
                    assertEquals(Outcome.FULL, sender.trySend(message, 0, 16, 0, 0));
                    for (int k = 0; k < 4; k++) {
                        assertEquals(16, receiver.tryReceive(into, 0, 16, info));
                    }
                }
            });
        }
    }

    @Test
    void blockingCallsBatchesBuffersAndAbortsAllocateNothing() {
        try (Channel ch = test.create(ChannelOptions.defaults().withEntries(64).withMaxMessageSize(64));
             Subscriber sender = ch.attach(Access.SEND);
             Subscriber receiver = ch.attach(Access.RECV)) {
            java.time.Duration patience = java.time.Duration.ofSeconds(5);
            byte[] array = new byte[40];
            byte[] into = new byte[64];
            java.nio.ByteBuffer direct = java.nio.ByteBuffer.allocateDirect(64);
            java.nio.ByteBuffer heap = java.nio.ByteBuffer.allocate(64);
            Sink sink = new Sink();
            MessageInfo info = new MessageInfo();
            assertAllocatesNothing("timeouts, poll, ByteBuffers and abort", () -> {
                for (int i = 0; i < 10_000; i++) {
                    assertEquals(40, sender.send(array, patience));
                    assertEquals(40, receiver.receive(into, info, patience));
                    direct.clear().limit(24);
                    assertEquals(24, sender.send(direct, patience));
                    heap.clear();
                    assertEquals(24, receiver.receive(heap, info, patience));
                    heap.clear().limit(8);
                    assertEquals(8, sender.trySend(heap));
                    direct.clear();
                    assertEquals(8, receiver.tryReceive(direct, info));
                    assertEquals(16, sender.tryClaim(16, i, 0));
                    sender.abort();
                    for (int k = 0; k < 3; k++) {
                        assertEquals(40, sender.trySend(array));
                    }
                    assertEquals(3, receiver.poll(sink, info, 8));
                }
            });
        }
    }

    /**
     * A completion loop's steady state: messages delivered in place, a timer and a pipe read
     * re-armed from their handlers, turns with nothing to do, subscriptions parked and woken —
     * nothing allocated per message, completion or turn.
     */
    @Test
    void aCompletionLoopAllocatesNothingPerMessageOrCompletion() throws Exception {
        try (Channel ch = test.create(ChannelOptions.defaults().withEntries(64).withMaxMessageSize(64));
             Subscriber sender = ch.attach(Access.SEND);
             Subscriber receiver = ch.attach(Access.RECV);
             CompletionLoop loop = CompletionLoop.open();
             dev.uipc.uring.linux.Pipe pipe = dev.uipc.uring.linux.Pipe.open(dev.uipc.uring.linux.Pipe.CLOEXEC);
             Arena arena = Arena.ofConfined()) {
            byte[] message = new byte[40];
            long[] delivered = {0};
            loop.receive(receiver, (slot, info) -> delivered[0] += info.length());
            MemorySegment one = arena.allocate(1);
            MemorySegment into = arena.allocate(8);
            long[] ticks = {0};
            long[] reads = {0};
            dev.uipc.uring.CompletionHandler[] handlers = new dev.uipc.uring.CompletionHandler[2];
            java.time.Duration soon = java.time.Duration.ofNanos(1);
            handlers[0] = (result, flags, op) -> {
                ticks[0]++;
                loop.timeout(soon, handlers[0]);
            };
            handlers[1] = (result, flags, op) -> {
                reads[0]++;
                loop.read(pipe.readEnd().value(), into, -1, handlers[1]);
            };
            loop.timeout(soon, handlers[0]);
            loop.read(pipe.readEnd().value(), into, -1, handlers[1]);
            assertAllocatesNothing("a completion loop", () -> {
                for (int i = 0; i < 2_000; i++) {
                    assertEquals(40, sender.trySend(message));
                    dev.uipc.uring.linux.Pipe.write(pipe.writeEnd().value(), one, 1);
                    loop.runOnce(java.time.Duration.ZERO);
                    loop.runOnce(java.time.Duration.ZERO);
                }
            });
            assertTrue(delivered[0] > 0 && ticks[0] > 0 && reads[0] > 0, delivered[0] + " " + ticks[0] + " " + reads[0]);
        }
    }
}
