package dev.uipc.bench.wake;

import dev.uipc.uring.Futex;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * A file in the run's directory that the two sides of a measurement map: how the sleeper tells
 * the waker that it has handled a sample (a counter they wait on with the futex system call), and
 * the few words the measurements share besides the channel, pipe or eventfd under test. None of
 * it is on the measured path: the waker stamps, wakes, and only then waits here.
 */
final class Mailbox implements AutoCloseable {
    static final long SIZE = 256 * 1024;
    /** int: samples the sleeper side has acknowledged; a futex word. */
    private static final long ACK = 0;
    /** long: the waker's stamp of the current sample (futex-vector measurement). */
    private static final long STAMP = 64;
    /** int: which word the waker woke (futex-vector measurement). */
    private static final long WHICH = 128;
    /** int: 1 if the current sample is not to be counted (its sleeper was not asleep). */
    private static final long EXCLUDE = 192;
    /** long per receiver, a cache line apart: when it ran (fan-out measurement). */
    private static final long SLOTS = 4096;
    static final int MAX_SLOTS = 64;
    /** int words a cache line apart, as subscriber rows' doorbells are: the futex-vector measurement's. */
    private static final long WORDS = 65536;
    static final int MAX_WORDS = (int) ((SIZE - WORDS) / 64);
    private static final long LINE = 64;

    private static final VarHandle INT = JAVA_INT.varHandle();
    private static final VarHandle LONG = JAVA_LONG.varHandle();

    private final Arena mapping;
    private final MemorySegment memory;

    private Mailbox(MemorySegment memory, Arena mapping) {
        this.memory = memory;
        this.mapping = mapping;
    }

    /** Makes a new, zeroed mailbox file. */
    static Path create(Path file) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            channel.write(java.nio.ByteBuffer.allocate(1), SIZE - 1);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("could not make the mailbox " + file, e);
        }
    }

    static Mailbox map(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no mailbox " + file);
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            Arena arena = Arena.ofShared();
            try {
                return new Mailbox(channel.map(FileChannel.MapMode.READ_WRITE, 0, SIZE, arena), arena);
            } catch (IOException | RuntimeException e) {
                arena.close();
                throw e;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not map the mailbox " + file, e);
        }
    }

    /** The shared memory, for futex waits on its words. */
    MemorySegment memory() {
        return memory;
    }

    // --- acknowledgements ------------------------------------------------------------------------

    /** Acknowledges one sample and wakes the waker. */
    void acknowledge() {
        INT.getAndAdd(memory, ACK, 1);
        Futex.wake(memory, ACK, Integer.MAX_VALUE);
    }

    /**
     * Acknowledges one receiver's share of a sample that {@code receivers} receivers acknowledge;
     * the last of them wakes the waker.
     */
    void acknowledge(int receivers) {
        int now = (int) INT.getAndAdd(memory, ACK, 1) + 1;
        if (now % receivers == 0) {
            Futex.wake(memory, ACK, Integer.MAX_VALUE);
        }
    }

    int acknowledged() {
        return (int) INT.getAcquire(memory, ACK);
    }

    /**
     * Sleeps until at least {@code count} acknowledgements are in, at most {@code timeoutNanos}.
     *
     * @throws IllegalStateException if they are not
     */
    void awaitAcknowledged(int count, long timeoutNanos) {
        long deadline = System.nanoTime() + timeoutNanos;
        for (;;) {
            int v = acknowledged();
            if (v - count >= 0) {
                return;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new IllegalStateException("the sleeper side acknowledged " + v + " of " + count
                        + " samples: no acknowledgement within " + timeoutNanos / 1_000_000 + " ms (a lost wake?)");
            }
            Futex.await(memory, ACK, v, left);
        }
    }

    /** Marks the sample about to be sent as one not to count (written before the wake, read after it). */
    void exclude(boolean exclude) {
        INT.setRelease(memory, EXCLUDE, exclude ? 1 : 0);
    }

    boolean excluded() {
        return (int) INT.getAcquire(memory, EXCLUDE) != 0;
    }

    // --- the futex-vector measurement ------------------------------------------------------------

    void stamp(long nanos) {
        LONG.setRelease(memory, STAMP, nanos);
    }

    long stamp() {
        return (long) LONG.getAcquire(memory, STAMP);
    }

    void which(int word) {
        INT.setRelease(memory, WHICH, word);
    }

    int which() {
        return (int) INT.getAcquire(memory, WHICH);
    }

    /** Offset of futex word {@code k} in {@link #memory()}. */
    static long wordOffset(int k) {
        if (k < 0 || k >= MAX_WORDS) {
            throw new IndexOutOfBoundsException("the mailbox holds " + MAX_WORDS + " words, no " + k);
        }
        return WORDS + k * LINE;
    }

    int word(int k) {
        return (int) INT.getAcquire(memory, wordOffset(k));
    }

    /** Changes word {@code k} (so that a sleeper that had not yet slept on it does not) and wakes it. */
    void ring(int k) {
        long at = wordOffset(k);
        INT.getAndAdd(memory, at, 1);
        Futex.wake(memory, at, 1);
    }

    // --- the fan-out measurement -----------------------------------------------------------------

    void ran(int receiver, long nanos) {
        LONG.setRelease(memory, slot(receiver), nanos);
    }

    long ran(int receiver) {
        return (long) LONG.getAcquire(memory, slot(receiver));
    }

    private static long slot(int receiver) {
        if (receiver < 0 || receiver >= MAX_SLOTS) {
            throw new IndexOutOfBoundsException("the mailbox has slots for " + MAX_SLOTS + " receivers, no " + receiver);
        }
        return SLOTS + receiver * LINE;
    }

    @Override
    public void close() {
        mapping.close();
    }
}
