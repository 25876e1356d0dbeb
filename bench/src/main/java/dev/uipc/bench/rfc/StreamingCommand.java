package dev.uipc.bench.rfc;

import dev.uipc.bench.Bench;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code bench/run streaming}: one quick table, point to point, the amortised cost per message of
 * a few transports at a few sizes (section 1 of {@code rfc}, made on its own).
 */
@Command(name = "streaming", mixinStandardHelpOptions = true, version = "uipc benchmarks", sortOptions = false,
        description = {"Point to point between two processes: amortised cost per message in a pipelined stream "
                + "(the RFC's \"latency\" columns, not one-way latency), median of several runs, transports alternating.",
                "Transports: pipe, unix-socket, shm-eventfd, uipc, aeron-exclusive, aeron-concurrent, "
                        + "agrona-one-to-one, agrona-many-to-one."})
public final class StreamingCommand implements Callable<Integer> {
    @Option(names = "--sizes", split = ",", paramLabel = "B", defaultValue = "64,4096",
            description = "Message sizes in bytes (default: ${DEFAULT-VALUE}).")
    List<Integer> sizes;

    @Option(names = "--messages", paramLabel = "N", defaultValue = "1000000",
            description = "Timed messages per run, after as many untimed; a fifth of them from 4 KB up "
                    + "(default: ${DEFAULT-VALUE}).")
    long messages;

    @Option(names = "--runs", paramLabel = "R", defaultValue = "5", description = "Runs; the table shows the median "
            + "(default: ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--transports", split = ",", paramLabel = "T", defaultValue = "uipc,pipe,unix-socket",
            description = "Which transports (default: ${DEFAULT-VALUE}).")
    List<String> transports;

    @Option(names = "--in-place", description = "Receivers read each message where it lies (shared-memory transports only).")
    boolean inPlace;

    @Option(names = "--wait", paramLabel = "CLASS", defaultValue = "spin-then-park",
            description = "spin-then-park or spin (default: ${DEFAULT-VALUE}).")
    String wait;

    @Option(names = {"-v", "--verbose"}, description = "Echo what the worker processes print.")
    boolean verbose;

    @Override
    public Integer call() {
        List<Contender> contenders = new ArrayList<>();
        for (String t : transports) {
            Transport transport;
            try {
                transport = Transport.parse(t);
            } catch (IllegalArgumentException e) {
                throw new Bench.UsageException("no transport '" + t + "'; see the list in --help");
            }
            if (transport == Transport.AGRONA_BROADCAST || (inPlace && !transport.canReadInPlace())) {
                throw new Bench.UsageException(transport.label() + " cannot take part"
                        + (inPlace ? " in place" : " point to point"));
            }
            contenders.add(new Contender(transport, Delivery.UNICAST, inPlace));
        }
        if (!wait.equals("spin") && !wait.equals("spin-then-park")) {
            throw new Bench.UsageException("--wait must be spin or spin-then-park, not '" + wait + "'");
        }
        if (runs < 1 || messages < 1 || sizes.stream().anyMatch(s -> s < 8 || s > 1 << 20)) {
            throw new Bench.UsageException("--runs and --messages must be positive, sizes from 8 B to 1 MiB");
        }
        Wait w = Wait.parse(wait);
        System.out.printf("streaming, 1 sender process -> 1 receiver process, %,d messages per run (x %d runs, median), "
                + "ns per message; wait: %s; %d CPUs, %s%n%n", messages, runs, w.label(),
                Runtime.getRuntime().availableProcessors(), Runtime.version());
        StringBuilder header = new StringBuilder(String.format("%8s", "size"));
        for (Contender c : contenders) {
            header.append(String.format(" %22s", c.label()));
        }
        int uipc = indexOf(contenders, Transport.UIPC);
        int pipe = indexOf(contenders, Transport.PIPE);
        if (uipc >= 0 && pipe >= 0) {
            header.append(String.format(" %12s", "uipc / pipe"));
        }
        System.out.println(header);
        try (Session session = new Session(1024, 16 << 20, verbose)) {
            for (int size : sizes) {
                long count = size >= 4096 ? Math.max(1, messages / 5) : messages;
                double[][] results = new double[contenders.size()][runs];
                for (int run = 0; run < runs; run++) {
                    for (int t = 0; t < contenders.size(); t++) {
                        results[t][run] = session.measurements.stream(contenders.get(t), size, 1, w, count, count)
                                .deliveredNanos();
                    }
                }
                StringBuilder row = new StringBuilder(String.format("%6d B", size));
                double[] medians = new double[contenders.size()];
                for (int t = 0; t < contenders.size(); t++) {
                    medians[t] = Results.median(results[t]);
                    row.append(String.format(" %22.1f", medians[t]));
                }
                if (uipc >= 0 && pipe >= 0) {
                    row.append(String.format(" %12.2f", medians[uipc] / medians[pipe]));
                }
                System.out.println(row);
            }
        }
        return 0;
    }

    private static int indexOf(List<Contender> contenders, Transport t) {
        for (int i = 0; i < contenders.size(); i++) {
            if (contenders.get(i).transport() == t) {
                return i;
            }
        }
        return -1;
    }
}
