package dev.uipc.uring;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The futex system calls: expected outcomes as values, misuse as exceptions. */
class FutexTest {
    @BeforeAll
    static void ioUringIsHere() {
        assumeTrue(IoUring.isAvailable(), IoUring.unavailabilityCause());
    }

    @Test
    void aWaitTimesOut() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment word = arena.allocate(JAVA_INT);
            long start = System.nanoTime();
            assertEquals(Futex.TIMED_OUT, Futex.await(word, 0, 0, TimeUnit.MILLISECONDS.toNanos(5)));
            assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(5));
        }
    }

    @Test
    void aWaitOnAChangedValueReturnsAtOnce() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment word = arena.allocate(JAVA_INT);
            word.set(JAVA_INT, 0, 1);
            assertEquals(Futex.VALUE_CHANGED, Futex.await(word, 0, 0, -1));
        }
    }

    @Test
    void aWakeReachesAThreadAndCountsIt() throws InterruptedException {
        try (Arena arena = Arena.ofShared()) {
            MemorySegment word = arena.allocate(JAVA_INT);
            AtomicInteger outcome = new AtomicInteger(99);
            Thread waiter = Thread.ofPlatform().start(() -> outcome.set(Futex.await(word, 0, 0, TimeUnit.SECONDS.toNanos(10))));
            RingTest.awaitWake(word);
            waiter.join(10_000);
            assertEquals(Futex.WOKEN, outcome.get());
            assertEquals(0, Futex.wake(word, 0, 1), "nobody is waiting any more");
        }
    }

    @Test
    void waitvReportsTheIndexOfTheWokenWord() throws InterruptedException {
        try (Arena arena = Arena.ofShared()) {
            MemorySegment words = arena.allocate(JAVA_INT, 4);
            FutexVector vector = new FutexVector(arena, 4);
            for (int i = 0; i < 4; i++) {
                vector.add(words, i * 4L, 0);
            }
            AtomicInteger outcome = new AtomicInteger(99);
            Thread waiter = Thread.ofPlatform().start(() -> outcome.set(Futex.awaitAny(vector, TimeUnit.SECONDS.toNanos(10))));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (Futex.wake(words, 8, 1) == 0) {
                assertTrue(System.nanoTime() < deadline);
                Thread.onSpinWait();
            }
            waiter.join(10_000);
            assertEquals(2, outcome.get());
        }
    }

    @Test
    void waitvTimesOutAndNoticesChangedWords() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment words = arena.allocate(JAVA_INT, 2);
            FutexVector vector = new FutexVector(arena, 2);
            vector.add(words, 0, 0);
            vector.add(words, 4, 0);
            assertEquals(Futex.TIMED_OUT, Futex.awaitAny(vector, TimeUnit.MILLISECONDS.toNanos(2)));
            vector.expect(1, 5);
            assertEquals(Futex.VALUE_CHANGED, Futex.awaitAny(vector, -1));
        }
    }

    @Test
    void misalignedOrOutOfBoundsWordsAreRefused() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment words = arena.allocate(16, 8);
            assertThrows(IllegalArgumentException.class, () -> Futex.wake(words, 2, 1));
            assertThrows(IndexOutOfBoundsException.class, () -> Futex.wake(words, 14, 1));
            assertThrows(IllegalArgumentException.class, () -> Futex.wake(MemorySegment.ofArray(new int[4]), 0, 1));
            FutexVector vector = new FutexVector(arena, 1);
            vector.add(words, 0, 0);
            assertThrows(IllegalStateException.class, () -> vector.add(words, 4, 0));
            assertThrows(IllegalArgumentException.class, () -> new FutexVector(arena, 129));
        }
    }
}
