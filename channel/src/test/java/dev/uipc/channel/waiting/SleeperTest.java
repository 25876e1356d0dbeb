package dev.uipc.channel.waiting;

import dev.uipc.channel.ChannelException;
import dev.uipc.uring.Errno;
import dev.uipc.uring.Futex;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A sleeper reports what happened, the same way through both paths; and one that cannot sleep
 * says so. Regression: the io_uring path mapped any unexpected completion error (such as
 * -EINVAL) to "woken", so its caller looked, found nothing, and slept again at once — a busy
 * loop that looked like waiting.
 */
class SleeperTest {
    @ParameterizedTest(name = "through io_uring: {0}")
    @ValueSource(booleans = {false, true})
    @SuppressWarnings("restricted")     // a segment over an address nothing is mapped at, on purpose
    void aWaitThatCannotHappenThrowsInsteadOfReturningAtOnce(boolean throughIoUring) {
        // A word at an address no page is mapped at: the kernel cannot read it, and says EFAULT.
        MemorySegment unmapped = MemorySegment.ofAddress(0x1000).reinterpret(16);
        ChannelException e = assertThrows(ChannelException.class,
                () -> Sleeper.sleep(unmapped, 0, 0, 1_000_000_000L, throughIoUring));
        assertEquals(Errno.EFAULT, e.errno(), e.getMessage());
        assertTrue(e.getMessage().contains("doorbell"), e.getMessage());
    }

    @ParameterizedTest(name = "through io_uring: {0}")
    @ValueSource(booleans = {false, true})
    void bothPathsReportTheSameOutcomes(boolean throughIoUring) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment word = arena.allocate(16, 8);
            assertEquals(Futex.VALUE_CHANGED, Sleeper.sleep(word, 0, 7, 1_000_000_000L, throughIoUring),
                    "the word did not hold the expected value");
            long start = System.nanoTime();
            assertEquals(Futex.TIMED_OUT, Sleeper.sleep(word, 0, 0, 20_000_000L, throughIoUring));
            assertTrue(System.nanoTime() - start >= 15_000_000L, "it slept");
        }
    }

    @Test
    void aWakeEndsTheSleep() throws InterruptedException {
        try (Arena arena = Arena.ofShared()) {
            MemorySegment word = arena.allocate(16, 8);
            Thread waker = Thread.ofPlatform().start(() -> {
                try {
                    Thread.sleep(30);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                word.set(java.lang.foreign.ValueLayout.JAVA_INT, 0, 1);
                Futex.wake(word, 0, 1);
            });
            int outcome = Sleeper.sleep(word, 0, 0, 10_000_000_000L, true);
            waker.join(10_000);
            assertTrue(outcome == Futex.WOKEN || outcome == Futex.VALUE_CHANGED, "outcome " + outcome);
        }
    }
}
