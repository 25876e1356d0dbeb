package dev.uipc.cli;

import dev.uipc.channel.Access;
import dev.uipc.channel.Subscriber;
import dev.uipc.testkit.Workers;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code recv --timeout} bounds the whole receive; {@code --idle} the quiet time since the last message. */
class TimeoutsTest extends WithBroker {
    @Test
    void aTimeoutEndsACountZeroReceiveEvenWhileMessagesFlow() throws InterruptedException {
        int id = create("--key", "0x60", "--entries", "1024");
        AtomicBoolean stop = new AtomicBoolean();
        try (Workers workers = new Workers(); Subscriber sender = registry.attachById(id, Access.SEND)) {
            workers.start("sender", () -> {
                while (!stop.get()) {
                    sender.trySend("tick".getBytes());
                    Thread.sleep(10);
                }
            });
            long start = System.nanoTime();
            CliRun recv = ok("recv", "--key", "0x60", "--count", "0", "--timeout", "700ms");
            long elapsed = System.nanoTime() - start;
            stop.set(true);
            workers.join(Duration.ofSeconds(10));
            assertTrue(elapsed >= 690_000_000L, "it listened for the whole timeout: " + elapsed + " ns");
            assertTrue(elapsed < 3_000_000_000L, "and stopped then, though messages kept coming: " + elapsed + " ns");
            long lines = recv.out().lines().count();
            assertTrue(lines >= 10, "messages flowed meanwhile: " + lines);
            assertTrue(recv.out().lines().allMatch("tick"::equals), recv.toString());
        }
    }

    @Test
    void idleCountsFromTheLastMessageNotFromTheStart() throws InterruptedException {
        int id = create("--key", "0x61");
        try (Workers workers = new Workers(); Subscriber sender = registry.attachById(id, Access.SEND)) {
            // Six messages 150 ms apart: 750 ms of traffic, never 400 ms quiet until it ends.
            workers.start("sender", () -> {
                for (int i = 0; i < 6; i++) {
                    Thread.sleep(150);
                    sender.trySend(("m" + i).getBytes());
                }
            });
            long start = System.nanoTime();
            CliRun recv = ok("recv", "--key", "0x61", "--count", "0", "--idle", "400ms");
            long elapsed = System.nanoTime() - start;
            workers.join(Duration.ofSeconds(10));
            assertEquals("m0\nm1\nm2\nm3\nm4\nm5\n", recv.out(), "all six, though they took longer than --idle: " + recv);
            assertTrue(elapsed >= 1_100_000_000L, "ended 400 ms after the last, at 900 ms: " + elapsed + " ns");
        }
    }

    @Test
    void idleFailsACountThatWasNotReached() {
        create("--key", "0x62");
        ok("send", "--key", "0x62", "only");
        long start = System.nanoTime();
        CliRun recv = CliRun.of("recv", "--key", "0x62", "--count", "3", "--idle", "200ms");
        assertTrue(System.nanoTime() - start >= 190_000_000L, "it waited");
        assertEquals(110, recv.status(), recv.toString());
        assertEquals("only\n", recv.out(), "what came is printed");
        assertTrue(recv.err().contains("no message on channel 1 for 200ms (--idle) (received 1 of 3)"), recv.toString());
    }

    @Test
    void theFirstLimitToPassEndsIt() {
        create("--key", "0x63");
        long start = System.nanoTime();
        CliRun recv = fails(110, "ETIMEDOUT", "recv", "--key", "0x63", "--timeout", "200ms", "--idle", "10s");
        long elapsed = System.nanoTime() - start;
        assertTrue(elapsed >= 190_000_000L && elapsed < 5_000_000_000L, elapsed + " ns");
        assertTrue(recv.err().contains("within 200ms"), recv.toString());
    }

    @Test
    void countZeroWithoutLimitsDrainsWhatIsThereAndSucceeds() {
        create("--key", "0x64");
        assertEquals("", ok("recv", "--key", "0x64", "--count", "0").out(), "an empty channel: nothing, and exit 0");
        ok("send", "--key", "0x64", "a", "b");
        assertEquals("a\nb\n", ok("recv", "--key", "0x64", "--count", "0").out());
        CliRun short1 = fails(11, "EAGAIN", "recv", "--key", "0x64", "--count", "2");
        assertTrue(short1.err().contains("(received 0 of 2); give --timeout or --idle"), short1.toString());
    }

    @Test
    void foreverIsADurationAndSoIsAnythingExact() {
        create("--key", "0x65");
        ok("send", "--key", "0x65", "--timeout", "forever", "x");
        assertEquals("x\n", ok("recv", "--key", "0x65", "--timeout", "forever").out());
        CliRun tiny = fails(110, "ETIMEDOUT", "recv", "--key", "0x65", "--timeout", "10us");
        assertTrue(tiny.err().contains("within 10us"), tiny.toString());
        CliRun exact = fails(110, "ETIMEDOUT", "recv", "--key", "0x65", "--timeout", "1500ns");
        assertTrue(exact.err().contains("within 1.5us"), exact.toString());
    }
}
