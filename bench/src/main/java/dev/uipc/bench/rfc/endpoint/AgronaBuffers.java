package dev.uipc.bench.rfc.endpoint;

import org.agrona.IoUtil;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.broadcast.BroadcastBufferDescriptor;
import org.agrona.concurrent.broadcast.BroadcastReceiver;
import org.agrona.concurrent.broadcast.BroadcastTransmitter;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

import java.io.File;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Agrona's ring buffers and broadcast buffer in a shared file, as its documentation has them:
 * {@code write} to send (retried with an idle strategy while full), {@code read} with a message
 * handler that sees each message where it lies; the broadcast transmitter never waits and a
 * receiver that is lapped loses messages.
 */
public final class AgronaBuffers {
    private AgronaBuffers() {
    }

    private static final VarHandle ARRAY_LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long DEADLINE = TimeUnit.SECONDS.toNanos(60);
    private static final int MESSAGE = 1;

    /** A power-of-two capacity holding at least {@code entries} messages of {@code size}. */
    public static int capacity(int entries, int size) {
        long record = (8L + size + 7) & ~7L;
        long need = Math.max(entries * record, 8 * record);     // a message may be at most capacity / 8
        return (int) Long.highestOneBit(need * 2 - 1);
    }

    public static long ringFileSize(int capacity) {
        return capacity + RingBufferDescriptor.TRAILER_LENGTH;
    }

    public static long broadcastFileSize(int capacity) {
        return capacity + BroadcastBufferDescriptor.TRAILER_LENGTH;
    }

    private static MappedByteBuffer map(Path file) {
        return IoUtil.mapExistingFile(new File(file.toString()), "agrona buffer");
    }

    private static RingBuffer ring(MappedByteBuffer mapped, boolean manyToOne) {
        UnsafeBuffer buffer = new UnsafeBuffer(mapped);
        return manyToOne ? new ManyToOneRingBuffer(buffer) : new OneToOneRingBuffer(buffer);
    }

    /** The producer of a OneToOneRingBuffer or a ManyToOneRingBuffer. */
    public static final class RingSender implements Sender {
        private final MappedByteBuffer mapped;
        private final RingBuffer ring;
        private final UnsafeBuffer message;
        private final int size;
        private final IdleStrategy idle;

        public RingSender(Path file, boolean manyToOne, String wait, int size) {
            this.mapped = map(file);
            this.ring = ring(mapped, manyToOne);
            this.message = new UnsafeBuffer(new byte[size]);
            this.size = size;
            this.idle = Idle.of(wait);
        }

        @Override
        public void send(long value) {
            message.putLong(0, value, ByteOrder.LITTLE_ENDIAN);
            if (!ring.write(MESSAGE, message, 0, size)) {
                writeAgain();
            }
        }

        private void writeAgain() {
            long deadline = System.nanoTime() + DEADLINE;
            do {
                if (System.nanoTime() - deadline > 0) {
                    throw new IllegalStateException("the Agrona ring buffer stayed full for a minute");
                }
                idle.idle();
            } while (!ring.write(MESSAGE, message, 0, size));
            idle.reset();
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
            IoUtil.unmap(mapped);
        }
    }

    /** The consumer of a OneToOneRingBuffer or a ManyToOneRingBuffer. */
    public static final class RingReceiver implements Receiver, MessageHandler {
        private final MappedByteBuffer mapped;
        private final RingBuffer ring;
        private final boolean inPlace;
        private final byte[] copy;
        private final IdleStrategy idle;
        private long value;
        private long count;
        private long sum;
        private boolean ended;

        public RingReceiver(Path file, boolean manyToOne, String wait, int size, boolean inPlace) {
            this.mapped = map(file);
            this.ring = ring(mapped, manyToOne);
            this.inPlace = inPlace;
            this.copy = new byte[size];
            this.idle = Idle.of(wait);
        }

        @Override
        public void onMessage(int type, MutableDirectBuffer buffer, int index, int length) {
            long v;
            if (inPlace) {
                v = buffer.getLong(index, ByteOrder.LITTLE_ENDIAN);
            } else {
                buffer.getBytes(index, copy, 0, length);
                v = (long) ARRAY_LONG.get(copy, 0);
            }
            value = v;
            if (v == END) {
                ended = true;
            } else {
                count++;
                sum += v;
            }
        }

        @Override
        public long receive() {
            while (ring.read(this, 1) == 0) {
                idle.idle();
            }
            idle.reset();
            ended = false;
            return value;
        }

        @Override
        public void receiveUntilEnd(Tally tally) {
            count = 0;
            sum = 0;
            ended = false;
            while (!ended) {
                idle.idle(ring.read(this, 10));
            }
            tally.count += count;
            tally.sum += sum;
        }

        @Override
        public void close() {
            IoUtil.unmap(mapped);
        }
    }

    /** A BroadcastTransmitter: writes each message once; never waits for a receiver. */
    public static final class BroadcastSender implements Sender {
        private final MappedByteBuffer mapped;
        private final BroadcastTransmitter transmitter;
        private final UnsafeBuffer message;
        private final int size;

        public BroadcastSender(Path file, int size) {
            this.mapped = map(file);
            this.transmitter = new BroadcastTransmitter(new UnsafeBuffer(mapped));
            this.message = new UnsafeBuffer(new byte[size]);
            this.size = size;
        }

        @Override
        public void send(long value) {
            message.putLong(0, value, ByteOrder.LITTLE_ENDIAN);
            transmitter.transmit(MESSAGE, message, 0, size);
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
            IoUtil.unmap(mapped);
        }
    }

    /**
     * A BroadcastReceiver, copying each message out and validating it afterwards (as Agrona's
     * CopyBroadcastReceiver does, which throws when lapped; this one counts the loss instead).
     */
    public static final class BroadcastReceiverEnd implements Receiver {
        private final MappedByteBuffer mapped;
        private final BroadcastReceiver receiver;
        private final byte[] copy;
        private final IdleStrategy idle;

        public BroadcastReceiverEnd(Path file, String wait, int size) {
            this.mapped = map(file);
            this.receiver = new BroadcastReceiver(new UnsafeBuffer(mapped));
            this.copy = new byte[size];
            this.idle = Idle.of(wait);
        }

        @Override
        public long receive() {
            while (true) {
                if (receiver.receiveNext()) {
                    receiver.buffer().getBytes(receiver.offset(), copy, 0, receiver.length());
                    if (receiver.validate()) {
                        idle.reset();
                        return (long) ARRAY_LONG.get(copy, 0);
                    }
                } else {
                    idle.idle();
                }
            }
        }

        @Override
        public void receiveUntilEnd(Tally tally) {
            long count = 0;
            long sum = 0;
            for (long v = receive(); v != END; v = receive()) {
                count++;
                sum += v;
            }
            tally.count += count;
            tally.sum += sum;
        }

        @Override
        public void close() {
            IoUtil.unmap(mapped);
        }
    }
}
