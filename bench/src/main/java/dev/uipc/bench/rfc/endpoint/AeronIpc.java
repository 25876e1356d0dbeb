package dev.uipc.bench.rfc.endpoint;

import io.aeron.Aeron;
import io.aeron.FragmentAssembler;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.aeron.logbuffer.FragmentHandler;
import io.aeron.logbuffer.Header;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.concurrent.TimeUnit;

/**
 * Aeron IPC as its documentation has it: a media driver process, clients that add an exclusive or
 * a concurrent publication and subscriptions on an {@code aeron:ipc} channel, {@code offer} to
 * send (retried with an idle strategy while back-pressured) and {@code poll} with a fragment
 * handler to receive, which reads each message where it lies in the log.
 */
public final class AeronIpc {
    private AeronIpc() {
    }

    private static final VarHandle ARRAY_LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long DEADLINE = TimeUnit.SECONDS.toNanos(60);

    /**
     * The channel for messages of {@code size} bytes: a term of {@code termLength} bytes, and an
     * MTU that holds a whole message, so that nothing is fragmented (Aeron's IPC default MTU,
     * 1408 bytes, would cut a 4 KB message into three fragments for a FragmentAssembler to copy
     * together).
     */
    public static String channel(int size, int termLength) {
        int frame = (size + 32 + 31) & ~31;
        return "aeron:ipc?term-length=" + termLength + "|mtu=" + Math.max(1408, frame);
    }

    /** Starts a media driver on {@code dir}: one shared agent thread, Aeron's default idle strategies. */
    public static MediaDriver launchDriver(String dir) {
        return MediaDriver.launch(new MediaDriver.Context()
                .aeronDirectoryName(dir)
                .threadingMode(ThreadingMode.SHARED)
                .dirDeleteOnStart(true)
                .dirDeleteOnShutdown(true));
    }

    private static Aeron connect(String dir) {
        return Aeron.connect(new Aeron.Context().aeronDirectoryName(dir));
    }

    /** A publication, exclusive or concurrent. */
    public static final class AeronSender implements Sender {
        private final Aeron aeron;
        private final Publication publication;
        private final UnsafeBuffer message;
        private final int size;
        private final IdleStrategy idle;

        public AeronSender(String dir, String channel, int stream, boolean exclusive, String wait, int size) {
            this.aeron = connect(dir);
            this.publication = exclusive ? aeron.addExclusivePublication(channel, stream) : aeron.addPublication(channel, stream);
            this.message = new UnsafeBuffer(new byte[size]);
            this.size = size;
            this.idle = Idle.of(wait);
        }

        @Override
        public void send(long value) {
            message.putLong(0, value, ByteOrder.LITTLE_ENDIAN);
            long r = publication.offer(message, 0, size);
            if (r < 0) {
                offerAgain(r);
            }
        }

        private void offerAgain(long r) {
            long deadline = System.nanoTime() + DEADLINE;
            do {
                if (r == Publication.CLOSED || r == Publication.MAX_POSITION_EXCEEDED) {
                    throw new IllegalStateException("Aeron offer: " + Publication.errorString(r));
                }
                if (System.nanoTime() - deadline > 0) {
                    throw new IllegalStateException("Aeron offer: " + Publication.errorString(r) + " for a minute");
                }
                idle.idle();
                r = publication.offer(message, 0, size);
            } while (r < 0);
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
            publication.close();
            aeron.close();
        }
    }

    /** A subscription on the publication's stream; waits in its constructor until it is connected. */
    public static final class AeronReceiver implements Receiver, FragmentHandler {
        private final Aeron aeron;
        private final Subscription subscription;
        private final FragmentAssembler assembler;
        private final boolean inPlace;
        private final byte[] copy;
        private final IdleStrategy idle;
        private boolean got;
        private long value;
        private long count;
        private long sum;
        private boolean ended;

        public AeronReceiver(String dir, String channel, int stream, String wait, int size, boolean inPlace) {
            this.aeron = connect(dir);
            this.subscription = aeron.addSubscription(channel, stream);
            this.assembler = new FragmentAssembler(this);
            this.inPlace = inPlace;
            this.copy = new byte[size];
            this.idle = Idle.of(wait);
            long deadline = System.nanoTime() + DEADLINE;
            while (!subscription.isConnected()) {
                if (System.nanoTime() - deadline > 0) {
                    throw new IllegalStateException("the Aeron subscription saw no publication for a minute");
                }
                Thread.onSpinWait();
                Thread.yield();
            }
        }

        @Override
        public void onFragment(DirectBuffer buffer, int offset, int length, Header header) {
            long v;
            if (inPlace) {
                v = buffer.getLong(offset, ByteOrder.LITTLE_ENDIAN);
            } else {
                buffer.getBytes(offset, copy, 0, length);
                v = (long) ARRAY_LONG.get(copy, 0);
            }
            got = true;
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
            got = false;
            while (subscription.poll(assembler, 1) == 0) {
                idle.idle();
            }
            idle.reset();
            if (!got) {
                throw new IllegalStateException("Aeron poll delivered a fragment but no message");
            }
            ended = false;
            return value;
        }

        @Override
        public void receiveUntilEnd(Tally tally) {
            count = 0;
            sum = 0;
            ended = false;
            while (!ended) {
                int fragments = subscription.poll(assembler, 10);
                idle.idle(fragments);
            }
            tally.count += count;
            tally.sum += sum;
        }

        @Override
        public void close() {
            subscription.close();
            aeron.close();
        }
    }
}
