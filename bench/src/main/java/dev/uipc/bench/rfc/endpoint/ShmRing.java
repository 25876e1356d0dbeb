package dev.uipc.bench.rfc.endpoint;

import dev.uipc.uring.linux.EventFd;
import dev.uipc.uring.linux.OwnedFd;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The RFC's third baseline, "shm+eventfd": the plainest single-producer single-consumer ring a C
 * programmer would write, in a shared file, with an eventfd each way to wake a side that sleeps.
 * It carries no metadata beyond a length, checks nothing and serves one receiver; a sender with N
 * receivers writes into N rings. It waits the way uipc does (spin for the wait class's budget,
 * then announce, fence, look again and sleep), so that the comparison measures the channel, not
 * the waiting; a consumer wakes a producer that sleeps on a full ring once the ring is half empty.
 *
 * <pre>
 *   0   tail             s64  next position the producer writes          (own 128-byte block)
 * 128   head             s64  next position the consumer reads           (own 128-byte block)
 * 256   consumerWaiting  s32  1 while the consumer sleeps on the data eventfd; the side that
 *                            turns it back to 0 (compare-and-set) owes the eventfd one write
 * 384   producerWaiting  s32  the same, for the producer and the space eventfd
 * 512   slots            entries x stride: s32 length, 4 bytes padding, payload
 * </pre>
 */
public final class ShmRing {
    private ShmRing() {
    }

    static final long TAIL = 0;
    static final long HEAD = 128;
    static final long CONSUMER_WAITING = 256;
    static final long PRODUCER_WAITING = 384;
    static final long SLOTS = 512;

    private static final VarHandle LONG = JAVA_LONG.varHandle();
    private static final VarHandle INT = JAVA_INT.varHandle();
    private static final VarHandle ARRAY_LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /** Bytes per slot for messages of {@code size}: header and payload, to a cache line. */
    public static long stride(int size) {
        return (8L + size + 63) & ~63L;
    }

    /** The file size of a ring of {@code entries} slots (a power of two) for messages of {@code size}. */
    public static long fileSize(int entries, int size) {
        return SLOTS + entries * stride(size);
    }

    private static MemorySegment map(Path file, Arena arena) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            return ch.map(FileChannel.MapMode.READ_WRITE, 0, ch.size(), arena);
        } catch (IOException e) {
            throw new UncheckedIOException("could not map " + file, e);
        }
    }

    /** One producer on one ring. */
    static final class Producer implements AutoCloseable {
        private final Arena arena = Arena.ofShared();
        private final MemorySegment ring;
        private final OwnedFd data;
        private final OwnedFd space;
        private final int dataFd;
        private final int spaceFd;
        private final long mask;
        private final long stride;
        private final long spinNanos;
        private final long entries;
        private long tail;
        private long headCache;

        Producer(Path file, int entries, int size, int pid, int dataEventFd, int spaceEventFd, long spinNanos) {
            this.ring = map(file, arena);
            this.data = FdStream.take(pid, dataEventFd);
            this.space = FdStream.take(pid, spaceEventFd);
            this.dataFd = data.value();
            this.spaceFd = space.value();
            this.entries = entries;
            this.mask = entries - 1;
            this.stride = stride(size);
            this.spinNanos = spinNanos;
        }

        void offer(byte[] message, int size) {
            long t = tail;
            if (t - headCache >= entries) {
                headCache = (long) LONG.getAcquire(ring, HEAD);
                if (t - headCache >= entries) {
                    awaitRoom(t);
                }
            }
            long slot = SLOTS + (t & mask) * stride;
            ring.set(JAVA_INT, slot, size);
            MemorySegment.copy(message, 0, ring, JAVA_BYTE, slot + 8, size);
            // NOTE: the length and payload are visible BEFORE the tail that publishes them.
            LONG.setRelease(ring, TAIL, t + 1);
            tail = t + 1;
            if (spinNanos != Long.MAX_VALUE) {
                // The tail (a store) is ordered BEFORE we read consumerWaiting (a load): the
                // Dekker pair with a consumer that announces it sleeps and then looks again.
                VarHandle.fullFence();
                // One wake per sleep: whoever turns the flag from 1 to 0 writes the eventfd.
                if ((int) INT.getOpaque(ring, CONSUMER_WAITING) != 0 && INT.compareAndSet(ring, CONSUMER_WAITING, 1, 0)) {
                    EventFd.write(dataFd, 1);
                }
            }
        }

        private void awaitRoom(long t) {
            long spinUntil = System.nanoTime() + Math.min(spinNanos, Long.MAX_VALUE / 4);
            while (true) {
                headCache = (long) LONG.getAcquire(ring, HEAD);
                if (t - headCache < entries) {
                    return;
                }
                if (spinNanos == Long.MAX_VALUE || System.nanoTime() - spinUntil < 0) {
                    Thread.onSpinWait();
                    continue;
                }
                INT.setVolatile(ring, PRODUCER_WAITING, 1);
                headCache = (long) LONG.getVolatile(ring, HEAD);
                if (t - headCache < entries && INT.compareAndSet(ring, PRODUCER_WAITING, 1, 0)) {
                    return;                 // room after all, and no wake is on its way
                }
                EventFd.read(spaceFd);      // a wake is on its way, or was sent: this returns
            }
        }

        @Override
        public void close() {
            data.close();
            space.close();
            arena.close();
        }
    }

    /** The consumer of one ring. */
    static final class Consumer implements AutoCloseable {
        private final Arena arena = Arena.ofShared();
        private final MemorySegment ring;
        private final OwnedFd data;
        private final OwnedFd space;
        private final int dataFd;
        private final int spaceFd;
        private final long mask;
        private final long stride;
        private final long spinNanos;
        private final byte[] buffer;
        private final long half;
        private long head;
        private long tailCache;

        Consumer(Path file, int entries, int size, int pid, int dataEventFd, int spaceEventFd, long spinNanos) {
            this.ring = map(file, arena);
            this.half = entries / 2;
            this.data = FdStream.take(pid, dataEventFd);
            this.space = FdStream.take(pid, spaceEventFd);
            this.dataFd = data.value();
            this.spaceFd = space.value();
            this.mask = entries - 1;
            this.stride = stride(size);
            this.spinNanos = spinNanos;
            this.buffer = new byte[size];
        }

        /** Copies the next message into the consumer's buffer; returns its first 8 bytes. */
        long take() {
            long h = head;
            if (h >= tailCache) {
                tailCache = (long) LONG.getAcquire(ring, TAIL);
                if (h >= tailCache) {
                    awaitMessage(h);
                }
            }
            long slot = SLOTS + (h & mask) * stride;
            int length = ring.get(JAVA_INT, slot);
            MemorySegment.copy(ring, JAVA_BYTE, slot + 8, buffer, 0, length);
            // NOTE: the copy is complete BEFORE the head that frees the slot.
            LONG.setRelease(ring, HEAD, h + 1);
            head = h + 1;
            if (spinNanos != Long.MAX_VALUE) {
                VarHandle.fullFence();      // the head BEFORE producerWaiting: the same Dekker pair, reversed
                // A sleeping producer is woken once the ring is half empty, not at the first free
                // slot: else it wakes, fills one slot, sleeps again, and each message costs two
                // system calls. (The tail we hold may be stale, which only makes us wake sooner.)
                if ((int) INT.getOpaque(ring, PRODUCER_WAITING) != 0 && tailCache - (h + 1) <= half
                        && INT.compareAndSet(ring, PRODUCER_WAITING, 1, 0)) {
                    EventFd.write(spaceFd, 1);
                }
            }
            return (long) ARRAY_LONG.get(buffer, 0);
        }

        private void awaitMessage(long h) {
            long spinUntil = System.nanoTime() + Math.min(spinNanos, Long.MAX_VALUE / 4);
            while (true) {
                tailCache = (long) LONG.getAcquire(ring, TAIL);
                if (h < tailCache) {
                    return;
                }
                if (spinNanos == Long.MAX_VALUE || System.nanoTime() - spinUntil < 0) {
                    Thread.onSpinWait();
                    continue;
                }
                INT.setVolatile(ring, CONSUMER_WAITING, 1);
                tailCache = (long) LONG.getVolatile(ring, TAIL);
                if (h < tailCache && INT.compareAndSet(ring, CONSUMER_WAITING, 1, 0)) {
                    return;                 // a message after all, and no wake is on its way
                }
                EventFd.read(dataFd);       // a wake is on its way, or was sent: this returns
            }
        }

        @Override
        public void close() {
            data.close();
            space.close();
            arena.close();
        }
    }

    /** A sender with one ring per receiver: each message is written into every ring. */
    public static final class RingSender implements Sender {
        private final Producer[] rings;
        private final byte[] message;
        private final int size;

        /** {@code files[i]} is ring i, woken through eventfds {@code dataFds[i]} and {@code spaceFds[i]} of process {@code pid}. */
        public RingSender(Path[] files, int entries, int size, int pid, int[] dataFds, int[] spaceFds, long spinNanos) {
            this.rings = new Producer[files.length];
            for (int i = 0; i < files.length; i++) {
                rings[i] = new Producer(files[i], entries, size, pid, dataFds[i], spaceFds[i], spinNanos);
            }
            this.message = new byte[size];
            this.size = size;
        }

        @Override
        public void send(long value) {
            ARRAY_LONG.set(message, 0, value);
            for (Producer ring : rings) {
                ring.offer(message, size);
            }
        }

        @Override
        public void sendSequence(long first, long count) {
            for (long i = 0; i < count; i++) {
                send(first + i);
            }
        }

        @Override
        public void sendEnd() {
            send(END);
        }

        @Override
        public void close() {
            for (Producer ring : rings) {
                ring.close();
            }
        }
    }

    /** The receiver of one ring. */
    public static final class RingReceiver implements Receiver {
        private final Consumer ring;

        public RingReceiver(Path file, int entries, int size, int pid, int dataFd, int spaceFd, long spinNanos) {
            this.ring = new Consumer(file, entries, size, pid, dataFd, spaceFd, spinNanos);
        }

        @Override
        public long receive() {
            return ring.take();
        }

        @Override
        public void receiveUntilEnd(Tally tally) {
            long count = 0;
            long sum = 0;
            for (long v = ring.take(); v != END; v = ring.take()) {
                count++;
                sum += v;
            }
            tally.count += count;
            tally.sum += sum;
        }

        @Override
        public void close() {
            ring.close();
        }
    }
}
