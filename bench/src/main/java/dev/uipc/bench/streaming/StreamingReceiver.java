package dev.uipc.bench.streaming;

import dev.uipc.channel.Access;
import dev.uipc.channel.MessageInfo;
import dev.uipc.channel.Registry;
import dev.uipc.channel.Subscriber;
import dev.uipc.uring.linux.OwnedFd;
import dev.uipc.uring.linux.PidFd;
import dev.uipc.uring.linux.Pipe;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The receiving process of a streaming run. Prints "ready" once it can receive; receives
 * {@code warmup} messages untimed (so that its JIT has compiled the path) and prints "warm";
 * then receives {@code count} more of {@code size} bytes and prints
 * "done FIRST_NANOS LAST_NANOS SEQUENCE_SUM": the monotonic clock at the first and last timed
 * message, and the sum of the sequence numbers in their first 8 bytes, which the sender checks.
 *
 * <p>args: uipc ROOT KEY SIZE COUNT WARMUP | pipe PARENT_PID FD SIZE COUNT WARMUP
 *    | unix_socket PARENT_PID FD SIZE COUNT WARMUP
 */
public final class StreamingReceiver {
    /** How long one send or receive may wait: a constant, so that the timed loops allocate nothing. */
    private static final java.time.Duration PATIENCE = java.time.Duration.ofSeconds(60);

    private StreamingReceiver() {
    }

    public static void main(String[] args) {
        Transport transport = Transport.parse(args[0]);
        int size = Integer.parseInt(args[3]);
        long count = Long.parseLong(args[4]);
        long warmup = Long.parseLong(args[5]);
        if (transport == Transport.UIPC) {
            viaUipc(Path.of(args[1]), Long.decode(args[2]), size, count, warmup);
        } else {
            viaFd(Integer.parseInt(args[1]), Integer.parseInt(args[2]), size, count, warmup);
        }
    }

    private static void viaUipc(Path root, long key, int size, long count, long warmup) {
        try (Subscriber receiver = Registry.at(root).attach(key, Access.RECV)
                .waitStrategy(StreamingBenchmark.waitStrategy())) {
            byte[] buffer = new byte[size];
            MessageInfo info = new MessageInfo();
            System.out.println("ready");
            System.out.flush();
            for (long i = 0; i < warmup; i++) {
                if (receiver.receive(buffer, 0, size, info, PATIENCE) != size) {
                    throw new IllegalStateException("warm-up message " + i + " missing");
                }
            }
            System.out.println("warm");
            System.out.flush();
            long first = 0;
            long sum = 0;
            for (long i = 0; i < count; i++) {
                int n = receiver.receive(buffer, 0, size, info, PATIENCE);
                if (n != size) {
                    throw new IllegalStateException("message " + i + ": " + n);
                }
                if (i == 0) {
                    first = System.nanoTime();
                }
                sum += (buffer[0] & 0xffL) | (buffer[1] & 0xffL) << 8 | (buffer[2] & 0xffL) << 16 | (buffer[3] & 0xffL) << 24
                        | (buffer[4] & 0xffL) << 32 | (buffer[5] & 0xffL) << 40 | (buffer[6] & 0xffL) << 48
                        | (buffer[7] & 0xffL) << 56;
            }
            long last = System.nanoTime();
            System.out.println("done " + first + " " + last + " " + sum);
        }
    }

    private static void viaFd(int parent, int fd, int size, long count, long warmup) {
        try (OwnedFd pidfd = PidFd.open(parent); OwnedFd in = PidFd.getFd(pidfd.value(), fd);
             Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(size, 8);
            System.out.println("ready");
            System.out.flush();
            for (long i = 0; i < warmup; i++) {
                readMessage(in.value(), buffer, size, i);
            }
            System.out.println("warm");
            System.out.flush();
            long first = 0;
            long sum = 0;
            for (long i = 0; i < count; i++) {
                readMessage(in.value(), buffer, size, i);
                if (i == 0) {
                    first = System.nanoTime();
                }
                sum += buffer.get(JAVA_LONG, 0);
            }
            long last = System.nanoTime();
            System.out.println("done " + first + " " + last + " " + sum);
        }
    }

    private static void readMessage(int fd, MemorySegment buffer, int size, long i) {
        long got = 0;
        while (got < size) {
            long r = Pipe.read(fd, buffer.asSlice(got), size - got);
            if (r == 0) {
                throw new IllegalStateException("end of stream after " + i + " messages");
            }
            got += r;
        }
    }
}
