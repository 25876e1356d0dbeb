package dev.uipc.bench.streaming;

import dev.uipc.channel.Access;
import dev.uipc.channel.Channel;
import dev.uipc.channel.ChannelOptions;
import dev.uipc.channel.Registry;
import dev.uipc.channel.Subscriber;
import dev.uipc.channel.WaitStrategy;
import dev.uipc.uring.linux.OwnedFd;
import dev.uipc.uring.linux.Pipe;
import dev.uipc.uring.linux.Sockets;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Streaming cost per message between two processes: the sender (this process) sends N
 * messages as fast as the transport takes them; the receiver (a child JVM) receives them.
 * Each run first streams N untimed messages, so that both JVMs have compiled their paths,
 * and waits until the receiver has them all; then it streams N more. The figure is
 * (receiver's clock at the last message - sender's clock before the first) / N, both
 * CLOCK_MONOTONIC, so it is amortised cost per message in a pipelined stream (what the RFC's
 * "latency" columns measured), not one-way latency. Each transport runs in the same
 * invocation, alternating, several times; the table shows the median and the ratio to the
 * pipe.
 *
 * <pre>bench/run streaming [--sizes 64,4096] [--messages 1000000] [--runs 5]
 *                      [--transports uipc,pipe,unix_socket]</pre>
 */
public final class StreamingBenchmark {
    /** How long one send or receive may wait: a constant, so that the timed loops allocate nothing. */
    private static final java.time.Duration PATIENCE = java.time.Duration.ofSeconds(60);

    private StreamingBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int[] sizes = {64, 4096};
        long messages = 1_000_000;
        int runs = 5;
        List<Transport> transports = List.of(Transport.UIPC, Transport.PIPE, Transport.UNIX_SOCKET);
        for (int i = 0; i < args.length; i += 2) {
            switch (args[i]) {
                case "--sizes" -> sizes = Arrays.stream(args[i + 1].split(",")).mapToInt(Integer::parseInt).toArray();
                case "--messages" -> messages = Long.parseLong(args[i + 1]);
                case "--runs" -> runs = Integer.parseInt(args[i + 1]);
                case "--transports" -> transports = Arrays.stream(args[i + 1].split(",")).map(Transport::parse).toList();
                default -> throw new IllegalArgumentException("unknown option " + args[i] + "; see the class comment");
            }
        }
        System.out.printf("streaming, 1 sender process -> 1 receiver process, %,d messages per run (x %d runs, "
                + "median), ns per message; %d CPUs, %s%n%n", messages, runs, Runtime.getRuntime().availableProcessors(),
                Runtime.version());
        StringBuilder header = new StringBuilder(String.format("%8s", "size"));
        for (Transport t : transports) {
            header.append(String.format(" %14s", t.label()));
        }
        if (transports.contains(Transport.PIPE) && transports.contains(Transport.UIPC)) {
            header.append(String.format(" %12s", "uipc / pipe"));
        }
        System.out.println(header);
        for (int size : sizes) {
            long count = size >= 4096 ? Math.max(1, messages / 5) : messages;
            double[][] results = new double[transports.size()][runs];
            for (int run = 0; run < runs; run++) {
                for (int t = 0; t < transports.size(); t++) {
                    results[t][run] = run(transports.get(t), size, count);
                }
            }
            StringBuilder row = new StringBuilder(String.format("%6d B", size));
            double[] medians = new double[transports.size()];
            for (int t = 0; t < transports.size(); t++) {
                medians[t] = median(results[t]);
                row.append(String.format(" %14.1f", medians[t]));
            }
            int uipc = transports.indexOf(Transport.UIPC);
            int pipe = transports.indexOf(Transport.PIPE);
            if (uipc >= 0 && pipe >= 0) {
                row.append(String.format(" %12.2f", medians[uipc] / medians[pipe]));
            }
            System.out.println(row);
        }
    }

    /** The wait strategy of both ends: system property bench.wait = default, spin, park, or a spin budget in ns. */
    static WaitStrategy waitStrategy() {
        String wait = System.getProperty("bench.wait", "default");
        return switch (wait) {
            case "default" -> WaitStrategy.defaultStrategy();
            case "spin" -> WaitStrategy.busySpin();
            case "park" -> WaitStrategy.park();
            default -> WaitStrategy.spinThenPark(java.time.Duration.ofNanos(Long.parseLong(wait)));
        };
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    /** One run; returns nanoseconds per message. */
    private static double run(Transport transport, int size, long count) throws Exception {
        return switch (transport) {
            case UIPC -> uipc(size, count);
            case PIPE -> {
                try (Pipe pipe = Pipe.open(Pipe.CLOEXEC)) {
                    yield overFd(transport, pipe.writeEnd(), pipe.readEnd(), size, count);
                }
            }
            case UNIX_SOCKET -> {
                try (Sockets.Pair pair = Sockets.unixPair(Sockets.SOCK_STREAM)) {
                    yield overFd(transport, pair.first(), pair.second(), size, count);
                }
            }
        };
    }

    private static double uipc(int size, long count) throws Exception {
        Path root = Path.of("/dev/shm", "uipc-bench-" + ProcessHandle.current().pid());
        Registry registry = Registry.at(root);
        try (Channel channel = registry.create(ChannelOptions.defaults().withKey(0xbe9c).withEntries(1024)
                .withMaxMessageSize(size))) {
            Process child = receiver(Transport.UIPC, root.toString(), "0xbe9c", size, count);
            try (Subscriber sender = channel.attach(Access.SEND).waitStrategy(waitStrategy())) {
                BufferedReader out = awaitReady(child);
                byte[] message = new byte[size];
                sendUipc(sender, message, size, count);                  // warm-up
                awaitLine(child, out, "warm");
                long start = System.nanoTime();
                sendUipc(sender, message, size, count);
                double result = finish(child, out, start, count);
                if (Boolean.getBoolean("bench.verbose")) {
                    System.err.println("  uipc " + size + " B: " + result + " ns/msg, " + channel.snapshot().counters());
                }
                return result;
            }
        } finally {
            deleteTree(root);
        }
    }

    private static void sendUipc(Subscriber sender, byte[] message, int size, long count) {
        for (long i = 0; i < count; i++) {
            for (int b = 0; b < 8; b++) {
                message[b] = (byte) (i >>> (8 * b));
            }
            if (sender.send(message, 0, size, 0, 0, PATIENCE) != size) {
                throw new IllegalStateException("send " + i + " failed");
            }
        }
    }

    private static double overFd(Transport transport, OwnedFd writeEnd, OwnedFd readEnd, int size, long count)
            throws Exception {
        Process child = receiver(transport, Long.toString(ProcessHandle.current().pid()), Integer.toString(readEnd.value()),
                size, count);
        BufferedReader out = awaitReady(child);
        readEnd.close();                            // the child has its own copy now
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment message = arena.allocate(size, 8);
            writeMessages(writeEnd.value(), message, size, count);      // warm-up
            awaitLine(child, out, "warm");
            long start = System.nanoTime();
            writeMessages(writeEnd.value(), message, size, count);
            return finish(child, out, start, count);
        }
    }

    private static void writeMessages(int fd, MemorySegment message, int size, long count) {
        for (long i = 0; i < count; i++) {
            message.set(JAVA_LONG, 0, i);
            long written = 0;
            while (written < size) {
                written += Pipe.write(fd, message.asSlice(written), size - written);
            }
        }
    }

    private static void awaitLine(Process child, BufferedReader out, String expected) throws IOException {
        String line = out.readLine();
        if (!expected.equals(line)) {
            child.destroyForcibly();
            throw new IllegalStateException("expected '" + expected + "' from the receiver, got: " + line);
        }
    }

    private static Process receiver(Transport transport, String a, String b, int size, long count) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-XX:+UseSerialGC", "-Xshare:auto",
                "-Dbench.wait=" + System.getProperty("bench.wait", "default"),
                "-cp", System.getProperty("java.class.path"), StreamingReceiver.class.getName(),
                transport.name().toLowerCase(Locale.ROOT), a, b, Integer.toString(size), Long.toString(count),
                Long.toString(count)));
        return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    private static BufferedReader awaitReady(Process child) throws IOException {
        BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        if (!"ready".equals(line)) {
            child.destroyForcibly();
            throw new IllegalStateException("the receiver did not start: " + line);
        }
        return out;
    }

    private static double finish(Process child, BufferedReader out, long start, long count) throws Exception {
        String line = out.readLine();
        if (!child.waitFor(120, TimeUnit.SECONDS) || line == null || !line.startsWith("done ")) {
            child.destroyForcibly();
            throw new IllegalStateException("the receiver did not finish: " + line);
        }
        String[] words = line.split(" ");
        long last = Long.parseLong(words[2]);
        long sum = Long.parseLong(words[3]);
        if (sum != count * (count - 1) / 2) {
            throw new IllegalStateException("the receiver's sequence numbers add up to " + sum + ", not "
                    + count * (count - 1) / 2 + ": messages were lost, repeated or torn");
        }
        return (double) (last - start) / count;
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
