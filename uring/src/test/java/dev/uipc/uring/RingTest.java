package dev.uipc.uring;

import dev.uipc.uring.ffm.Native;
import dev.uipc.uring.linux.Pipe;
import dev.uipc.uring.linux.Sockets;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Each operation round-trips through a real ring with its user data. */
class RingTest {
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    @BeforeAll
    static void ioUringIsHere() {
        assumeTrue(IoUring.isAvailable(), IoUring.unavailabilityCause());
    }

    /** Waits up to a second for the completion carrying {@code userData}; collects others into {@code others}. */
    static Completion await(Ring ring, long userData, List<Completion> others) {
        long deadline = System.nanoTime() + SECOND;
        while (System.nanoTime() < deadline) {
            Completion c = new Completion();
            if (ring.next(c)) {
                if (c.userData() == userData) {
                    return c;
                }
                if (others != null) {
                    others.add(c);
                }
                continue;
            }
            ring.submitAndWait(1, deadline - System.nanoTime());
        }
        throw new AssertionError("no completion with user data 0x" + Long.toHexString(userData) + " within 1 s");
    }

    static Completion await(Ring ring, long userData) {
        return await(ring, userData, null);
    }

    @Test
    void defaultRingIsSingleIssuerWithDeferredTaskrun() {
        try (Ring ring = Ring.open(64)) {
            int flags = ring.setupFlags();
            assertEquals(SetupFlag.DEFAULT, flags & SetupFlag.DEFAULT, SetupFlag.names(flags));
            assertNotEquals(0, flags & SetupFlag.NO_SQARRAY, "6.18 has NO_SQARRAY: " + SetupFlag.names(flags));
            assertEquals(64, ring.submissionEntries());
            assertEquals(128, ring.completionEntries());
            assertNotEquals(0, ring.features() & Feature.EXT_ARG);
            assertEquals(Thread.currentThread(), ring.owner());
        }
    }

    @Test
    void nopCompletesWithItsUserData() {
        try (Ring ring = Ring.open(8)) {
            ring.prepare().nop().userData(0xfeed_beef_cafeL);
            assertEquals(1, ring.pendingSubmissions());
            assertEquals(1, ring.submitAndWait(1));
            Completion c = new Completion();
            assertTrue(ring.next(c));
            assertEquals(0xfeed_beef_cafeL, c.userData());
            assertEquals(0, c.result());
            assertFalse(ring.next(c), "exactly one completion");
        }
    }

    @Test
    void aBatchCompletesInOrderThroughAHandler() {
        try (Ring ring = Ring.open(32)) {
            for (int i = 0; i < 32; i++) {
                ring.prepare().nop().userData(1000 + i);
            }
            assertEquals(32, ring.submitAndWait(32));
            List<Long> seen = new ArrayList<>();
            int handled = ring.drain((res, flags, userData) -> seen.add(userData));
            assertEquals(32, handled);
            for (int i = 0; i < 32; i++) {
                assertEquals(1000L + i, seen.get(i));
            }
        }
    }

    @Test
    void prepareSubmitsByItselfWhenTheQueueIsFull() {
        try (Ring ring = Ring.open(RingOptions.defaults().withEntries(4).withCompletionEntries(64))) {
            for (int i = 0; i < 20; i++) {
                ring.prepare().nop().userData(i);
            }
            ring.submitAndWait(20);
            assertEquals(20, ring.drain((r, f, u) -> { }));
        }
    }

    @Test
    void ringWithoutNoSqArrayUsesTheIndexArray() {
        try (Ring ring = Ring.open(RingOptions.defaults().withEntries(8).withNoSqArray(false))) {
            assertEquals(0, ring.setupFlags() & SetupFlag.NO_SQARRAY);
            for (int round = 0; round < 5; round++) {        // wrap the 8-entry ring a few times
                for (int i = 0; i < 6; i++) {
                    ring.prepare().nop().userData(round * 10L + i);
                }
                ring.submitAndWait(6);
                assertEquals(6, ring.drain((r, f, u) -> assertEquals(0, r)));
            }
        }
    }

    @Test
    void readAndWriteMoveBytesThroughAPipe() {
        try (Arena arena = Arena.ofConfined(); Ring ring = Ring.open(8); Pipe pipe = Pipe.open(Pipe.CLOEXEC)) {
            MemorySegment out = arena.allocateFrom("hello, ring", StandardCharsets.UTF_8);
            MemorySegment in = arena.allocate(out.byteSize());
            ring.prepare().write(pipe.writeEnd().value(), out, -1).userData(1);
            assertEquals(out.byteSize(), await(ring, 1).result());
            ring.prepare().read(pipe.readEnd().value(), in, -1).userData(2);
            assertEquals(out.byteSize(), await(ring, 2).result());
            assertArrayEquals(out.toArray(JAVA_BYTE), in.toArray(JAVA_BYTE));
        }
    }

    @Test
    void pollAddCompletesWhenTheFdBecomesReadable() {
        try (Arena arena = Arena.ofConfined(); Ring ring = Ring.open(8); Pipe pipe = Pipe.open(Pipe.CLOEXEC)) {
            ring.prepare().pollAdd(pipe.readEnd().value(), Sqe.POLLIN).userData(3);
            ring.submit();
            assertEquals(0, ring.submitAndWait(1, TimeUnit.MILLISECONDS.toNanos(20)), "nothing to read yet");
            Pipe.write(pipe.writeEnd().value(), arena.allocate(1), 1);
            Completion c = await(ring, 3);
            assertEquals(Sqe.POLLIN, c.result() & Sqe.POLLIN);
        }
    }

    @Test
    void aTimeoutFiresWithEtime() {
        try (Ring ring = Ring.open(8)) {
            long start = System.nanoTime();
            ring.prepare().timeout(TimeUnit.MILLISECONDS.toNanos(5), 0, 0).userData(4);
            Completion c = await(ring, 4);
            long took = System.nanoTime() - start;
            assertEquals(-Errno.ETIME.number(), c.result(), c.toString());
            assertTrue(took >= TimeUnit.MILLISECONDS.toNanos(5), "fired after " + took + " ns");
        }
    }

    @Test
    void waitingWithATimeoutReturnsWhenNothingCompletes() {
        try (Ring ring = Ring.open(8)) {
            long start = System.nanoTime();
            assertEquals(0, ring.submitAndWait(1, TimeUnit.MILLISECONDS.toNanos(10)));
            assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(10));
        }
    }

    @Test
    void aLinkedTimeoutCancelsAFutexWait() {
        try (Arena arena = Arena.ofConfined(); Ring ring = Ring.open(8)) {
            MemorySegment word = arena.allocate(JAVA_INT);
            ring.prepare().futexWait(word, 0, 0).userData(5).link();
            ring.prepare().linkTimeout(TimeUnit.MILLISECONDS.toNanos(5), 0).userData(6);
            List<Completion> others = new ArrayList<>();
            Completion wait = await(ring, 5, others);
            assertEquals(-Errno.ECANCELED.number(), wait.result(), wait.toString());
            Completion timeout = others.stream().filter(c -> c.userData() == 6).findFirst()
                    .orElseGet(() -> await(ring, 6));
            // The kernel reports a fired link timeout as -ETIME, except that cancelling a futex
            // wait passes through the futex cancel count (io_try_cancel -> io_futex_cancel): 1.
            assertTrue(timeout.result() == -Errno.ETIME.number() || timeout.result() == 1, timeout.toString());
        }
    }

    @Test
    void aLinkedTimeoutThatLosesTheRaceIsCancelled() {
        try (Arena arena = Arena.ofConfined(); Ring ring = Ring.open(8)) {
            MemorySegment word = arena.allocate(JAVA_INT);
            ring.prepare().futexWait(word, 0, 0).userData(7).link();
            ring.prepare().linkTimeout(SECOND * 10, 0).userData(8);
            ring.submit();
            awaitWake(word);
            assertEquals(0, await(ring, 7).result());
            assertEquals(-Errno.ECANCELED.number(), await(ring, 8).result());
        }
    }

    /** Wakes the word until a waiter has been woken (the wait may not be armed yet). */
    static void awaitWake(MemorySegment word) {
        long deadline = System.nanoTime() + SECOND;
        while (Futex.wake(word, 0, 1) == 0) {
            assertTrue(System.nanoTime() < deadline, "no waiter appeared on the futex word within 1 s");
            Thread.onSpinWait();
        }
    }

    @Test
    void asyncCancelCancelsAPendingWait() {
        try (Arena arena = Arena.ofConfined(); Ring ring = Ring.open(8)) {
            MemorySegment word = arena.allocate(JAVA_INT);
            ring.prepare().futexWait(word, 0, 0).userData(9);
            ring.submit();
            ring.prepare().cancel(9, 0).userData(10);
            List<Completion> all = new ArrayList<>();
            Completion cancel = await(ring, 10, all);
            // >= 0: found and cancelled; for a futex wait the kernel reports the count, 1.
            assertEquals(1, cancel.result(), "the cancel found its target: " + cancel);
            Completion cancelled = all.stream().filter(c -> c.userData() == 9).findFirst().orElseGet(() -> await(ring, 9));
            assertEquals(-Errno.ECANCELED.number(), cancelled.result());
        }
    }

    @Test
    void cancelOfNothingReportsEnoent() {
        try (Ring ring = Ring.open(8)) {
            ring.prepare().cancel(12345, 0).userData(11);
            assertEquals(-Errno.ENOENT.number(), await(ring, 11).result());
            assertFalse(ring.cancelNow(12345));
        }
    }

    @Test
    void cancelNowCancelsSynchronously() {
        try (Arena arena = Arena.ofConfined(); Ring ring = Ring.open(8)) {
            MemorySegment word = arena.allocate(JAVA_INT);
            ring.prepare().futexWait(word, 0, 0).userData(77);
            ring.submit();
            assertTrue(ring.cancelNow(77));
            assertEquals(-Errno.ECANCELED.number(), await(ring, 77).result());
        }
    }

    @Test
    void futexWaitSeesAChangedValueAsEagain() {
        try (Arena arena = Arena.ofConfined(); Ring ring = Ring.open(8)) {
            MemorySegment word = arena.allocate(JAVA_INT);
            word.set(JAVA_INT, 0, 5);
            ring.prepare().futexWait(word, 0, 4).userData(12);
            assertEquals(-Errno.EAGAIN.number(), await(ring, 12).result());
        }
    }

    @Test
    void futexWakeSubmissionReportsHowManyItWoke() {
        try (Arena arena = Arena.ofConfined(); Ring ring = Ring.open(8)) {
            MemorySegment word = arena.allocate(JAVA_INT);
            ring.prepare().futexWait(word, 0, 0).userData(13);
            ring.prepare().futexWait(word, 0, 0).userData(14);
            ring.submit();
            ring.prepare().futexWake(word, 0, 2).userData(15);
            List<Completion> all = new ArrayList<>();
            assertEquals(2, await(ring, 15, all).result());
            Map<Long, Integer> results = new HashMap<>();
            all.forEach(c -> results.put(c.userData(), c.result()));
            if (!results.containsKey(13L)) {
                results.put(13L, await(ring, 13).result());
            }
            if (!results.containsKey(14L)) {
                results.put(14L, await(ring, 14).result());
            }
            assertEquals(0, results.get(13L));
            assertEquals(0, results.get(14L));
        }
    }

    @Test
    void futexWaitvReportsWhichWordWoke() {
        try (Arena arena = Arena.ofConfined(); Ring ring = Ring.open(8)) {
            MemorySegment words = arena.allocate(JAVA_INT, 3);
            FutexVector vector = new FutexVector(arena, 3);
            assertEquals(0, vector.add(words, 0, 0));
            assertEquals(1, vector.add(words, 4, 0));
            assertEquals(2, vector.add(words, 8, 0));
            ring.prepare().futexWaitv(vector).userData(16);
            ring.submit();
            ring.prepare().futexWake(words, 8, 1).skipSuccess();
            assertEquals(2, await(ring, 16).result(), "the third word woke it");
        }
    }

    @Test
    void msgRingPostsToAnotherRingInThisProcess() {
        try (Ring target = Ring.open(8); Ring source = Ring.open(8)) {
            source.prepare().msgRing(target.fd(), 42, 0xabc).userData(17);
            assertEquals(0, await(source, 17).result());
            Completion c = await(target, 0xabc);
            assertEquals(42, c.result());
        }
    }

    @Test
    void msgRingWithSkipSuccessPostsNothingOnTheSender() {
        try (Ring target = Ring.open(8); Ring source = Ring.open(8)) {
            source.prepare().msgRing(target.fd(), 7, 0x77).userData(18).skipSuccess();
            source.prepare().nop().userData(19);
            List<Completion> sourceSide = new ArrayList<>();
            await(source, 19, sourceSide);
            assertTrue(sourceSide.isEmpty(), "the MSG_RING posted " + sourceSide);
            assertEquals(7, await(target, 0x77).result());
        }
    }

    @Test
    void msgRingCanPassCompletionFlags() {
        try (Ring target = Ring.open(8); Ring source = Ring.open(8)) {
            source.prepare().msgRing(target.fd(), 1, 0x99, 0x40_0000).skipSuccess();
            source.submit();
            Completion c = await(target, 0x99);
            assertEquals(0x40_0000, c.flags());
        }
    }

    @Test
    void msgRingToSomethingElseFailsWithEbadfd() {
        try (Ring source = Ring.open(8); Pipe pipe = Pipe.open(Pipe.CLOEXEC)) {
            source.prepare().msgRing(pipe.readEnd().value(), 1, 1).userData(20);
            assertEquals(-Errno.EBADFD.number(), await(source, 20).result());
        }
    }

    @Test
    void sendAndRecvOnASocketPair() {
        try (Arena arena = Arena.ofConfined(); Ring ring = Ring.open(8);
             Sockets.Pair pair = Sockets.unixPair(Sockets.SOCK_STREAM)) {
            MemorySegment out = arena.allocateFrom("over a socket", StandardCharsets.UTF_8);
            MemorySegment in = arena.allocate(64);
            ring.prepare().send(pair.first().value(), out, 0).userData(21);
            assertEquals(out.byteSize(), await(ring, 21).result());
            ring.prepare().recv(pair.second().value(), in, 0).userData(22);
            int n = await(ring, 22).result();
            assertEquals(out.byteSize(), n);
            assertEquals("over a socket", in.getString(0));
        }
    }

    @Test
    void aSingleIssuerRingRefusesASecondThreadWithAClearError() throws InterruptedException {
        try (Ring ring = Ring.open(8)) {
            AtomicReference<Throwable> thrown = new AtomicReference<>();
            Thread other = Thread.ofPlatform().name("intruder").start(() -> {
                try {
                    ring.prepare().nop();
                } catch (Throwable t) {
                    thrown.set(t);
                }
            });
            other.join(10_000);
            Throwable t = thrown.get();
            assertNotNull(t, "the second thread was allowed to submit");
            assertTrue(t instanceof IllegalStateException, t.toString());
            assertTrue(t.getMessage().contains("SINGLE_ISSUER") && t.getMessage().contains("intruder")
                    && t.getMessage().contains(Thread.currentThread().getName()), t.getMessage());
            // and the owner still works
            ring.prepare().nop().userData(23);
            assertEquals(0, await(ring, 23).result());
        }
    }

    @Test
    void theKernelItselfRejectsASecondIssuerWithEexist() throws InterruptedException {
        // Our own check hides EEXIST; this shows the kernel rule it stands in for, by entering
        // the ring's fd directly from another thread.
        try (Ring ring = Ring.open(8)) {
            ring.prepare().nop();
            ring.submitAndWait(1);
            AtomicReference<Long> result = new AtomicReference<>();
            Thread other = Thread.ofPlatform().start(() -> result.set(
                    Native.ioUringEnter(Native.newErrnoSlot(Arena.ofAuto()), ring.fd(), 0, 1,
                            KernelAbi.IORING_ENTER_GETEVENTS, 0, 0)));
            other.join(10_000);
            assertEquals(-Errno.EEXIST.number(), result.get());
        }
    }

    @Test
    void aVirtualThreadCannotOwnASingleIssuerRing() throws InterruptedException {
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread.ofVirtual().start(() -> {
            try {
                Ring.open(8).close();
            } catch (Throwable t) {
                thrown.set(t);
            }
        }).join(10_000);
        assertTrue(thrown.get() instanceof IllegalStateException, String.valueOf(thrown.get()));
        assertTrue(thrown.get().getMessage().contains("platform thread"), thrown.get().getMessage());
    }

    @Test
    void aDisabledRingBelongsToTheThreadThatEnablesIt() throws InterruptedException {
        try (Ring ring = Ring.open(RingOptions.defaults().withFlags(SetupFlag.DEFAULT | SetupFlag.R_DISABLED))) {
            IllegalStateException before = assertThrows(IllegalStateException.class, ring::prepare);
            assertTrue(before.getMessage().contains("enable()"), before.getMessage());
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread worker = Thread.ofPlatform().name("worker").start(() -> {
                try {
                    ring.enable();
                    ring.prepare().nop().userData(24);
                    assertEquals(0, await(ring, 24).result());
                } catch (Throwable t) {
                    failure.set(t);
                }
            });
            worker.join(10_000);
            assertEquals(null, failure.get());
            assertEquals("worker", ring.owner().getName());
            assertThrows(IllegalStateException.class, ring::prepare, "the creator is not the owner");
        }
    }

    @Test
    void registeredRingFdIsUsedForEnter() {
        try (Ring ring = Ring.open(RingOptions.defaults().withEntries(8).withRegisteredRingFd(true))) {
            assertTrue(ring.ringFdRegistered());
            for (int i = 0; i < 3; i++) {
                ring.prepare().nop().userData(30 + i);
            }
            ring.submitAndWait(3);
            assertEquals(3, ring.drain((r, f, u) -> assertEquals(0, r)));
        }
    }

    @Test
    void completionQueueSizeCanBeChosen() {
        try (Ring ring = Ring.open(RingOptions.defaults().withEntries(4).withCompletionEntries(256))) {
            assertEquals(256, ring.completionEntries());
            assertNotEquals(0, ring.setupFlags() & SetupFlag.CQSIZE);
        }
    }

    @Test
    void sqPollRingSubmitsWithoutEnteringForEachBatch() {
        try (Ring ring = Ring.open(RingOptions.defaults().withEntries(8).withFlags(0).withSqPoll(50))) {
            assertNotEquals(0, ring.setupFlags() & SetupFlag.SQPOLL);
            for (int i = 0; i < 4; i++) {
                ring.prepare().nop().userData(40 + i);
                ring.submit();
                assertEquals(0, await(ring, 40 + i).result());
            }
        }
    }

    @Test
    void classicRingWithCooperativeTaskrunWorks() {
        int flags = SetupFlag.COOP_TASKRUN | SetupFlag.TASKRUN_FLAG | SetupFlag.CLAMP | SetupFlag.SUBMIT_ALL;
        try (Ring ring = Ring.open(RingOptions.defaults().withEntries(8).withFlags(flags))) {
            ring.prepare().nop().userData(50);
            assertEquals(0, await(ring, 50).result());
        }
    }

    @Test
    void deferredRingWithoutTaskrunFlagStillSeesRemoteCompletions() {
        // Without TASKRUN_FLAG the ring cannot tell pending work, so it must enter whenever its
        // CQ looks empty; a MSG_RING from another ring proves it does.
        try (Ring target = Ring.open(RingOptions.defaults().withEntries(8).withFlags(SetupFlag.DEFAULT));
             Ring source = Ring.open(8)) {
            source.prepare().msgRing(target.fd(), 3, 0x33).skipSuccess();
            source.submit();
            assertEquals(3, await(target, 0x33).result());
        }
    }

    @Test
    void probeListsWhatUipcNeeds() {
        try (Ring ring = Ring.open(8)) {
            Probe probe = ring.probe();
            assertTrue(probe.lastOp() >= Opcode.FUTEX_WAITV, "last op " + probe.lastOp());
            for (int op : new int[] {Opcode.NOP, Opcode.READ, Opcode.WRITE, Opcode.POLL_ADD, Opcode.TIMEOUT,
                    Opcode.LINK_TIMEOUT, Opcode.ASYNC_CANCEL, Opcode.MSG_RING, Opcode.SEND, Opcode.RECV,
                    Opcode.URING_CMD, Opcode.FUTEX_WAIT, Opcode.FUTEX_WAKE, Opcode.FUTEX_WAITV}) {
                assertTrue(probe.supports(op), Opcode.name(op));
            }
            assertFalse(probe.supports(255));
            assertTrue(probe.supportedOpcodes().contains(Opcode.MSG_RING));
        }
    }

    @Test
    void invalidSetupIsAnErrnoExceptionThatSaysWhy() {
        // DEFER_TASKRUN without SINGLE_ISSUER is refused before the kernel sees it ...
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> RingOptions.defaults().withFlags(SetupFlag.DEFER_TASKRUN));
        assertTrue(bad.getMessage().contains("SINGLE_ISSUER"), bad.getMessage());
        // ... and flags the kernel does not know come back as EINVAL with a sentence.
        ErrnoException e = assertThrows(ErrnoException.class,
                () -> Ring.open(RingOptions.defaults().withFlags(1 << 30)));
        assertEquals(Errno.EINVAL, e.error());
        assertTrue(e.getMessage().startsWith("EINVAL: io_uring_setup("), e.getMessage());
        assertTrue(e.getMessage().contains("0x40000000"), e.getMessage());
    }

    @Test
    void heapMemoryIsRefusedForKernelBuffers() {
        try (Ring ring = Ring.open(8)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ring.prepare().read(0, MemorySegment.ofArray(new byte[8]), 0));
            assertTrue(e.getMessage().contains("native memory"), e.getMessage());
        }
    }

    @Test
    void aClosedRingSaysSo() {
        Ring ring = Ring.open(8);
        ring.close();
        ring.close();   // idempotent
        IllegalStateException e = assertThrows(IllegalStateException.class, ring::submit);
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
    }
}
