package dev.uipc.bench.rfc;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

/** {@code bench/run rfc}: the RFC's four tables and more, into a results folder. */
@Command(name = "rfc", mixinStandardHelpOptions = true, version = "uipc benchmarks", sortOptions = false,
        description = {
                "Reproduces the tables of the io_uring RFC \"io_uring: add IPC channel infrastructure\" on this machine, "
                        + "with uipc, the RFC's baselines (pipe, Unix socket, shm+eventfd) and the Java peers (Aeron IPC, "
                        + "Agrona ring and broadcast buffers), in seven sections:",
                "  1 point to point by size, copy-out and in place (amortised ns/msg)",
                "  2 broadcast to 16 receivers by size (sender-side ns/msg)",
                "  3 scaling from 1 to 16 receivers at 64 B",
                "  4 uipc multicast sender cost by receivers",
                "  5 ping-pong one-way latency percentiles at 64 B, per wait strategy",
                "  6 CPU used by an idle receiver, per wait strategy",
                "  7 bytes allocated per message",
                "Writes report.md (tables), results.json (every run's figures) and PNG charts to a results folder, "
                        + "prints the report, and exits 1 if any figure could not be produced."})
public final class RfcCommand implements Callable<Integer> {
    @Option(names = "--quick", description = "Tiny counts, one run, short idle: proves every figure can be produced "
            + "(CI runs this; under a minute). Its numbers measure nothing.")
    boolean quick;

    @Option(names = "--runs", paramLabel = "N", description = "Runs of every figure; tables show the median "
            + "(default: 5; 1 with --quick).")
    Integer runs;

    @Option(names = "--sections", split = ",", paramLabel = "N", description = "Which sections to run "
            + "(default: all seven).")
    List<Integer> sections;

    @Option(names = "--wait", paramLabel = "CLASS", defaultValue = "spin-then-park", description = "Wait class of every "
            + "contender in sections 1 to 4: spin-then-park (uipc's default; Aeron and Agrona back off; pipes block) "
            + "or spin (everyone busy-spins). Default: ${DEFAULT-VALUE}.")
    String wait;

    @Option(names = "--scale", paramLabel = "F", defaultValue = "1", description = "Multiplies every message count "
            + "(default: ${DEFAULT-VALUE}).")
    double scale;

    @Option(names = "--entries", paramLabel = "N", defaultValue = "1024", description = "Ring slots of uipc and the "
            + "shm ring; Agrona's buffers hold as many messages (default: ${DEFAULT-VALUE}).")
    int entries;

    @Option(names = "--idle-seconds", paramLabel = "S", description = "How long an idle receiver waits in section 6 "
            + "(default: 10; 0.3 with --quick).")
    Double idleSeconds;

    @Option(names = "--aeron-term-length", paramLabel = "BYTES", description = "Aeron IPC term length, a power of two "
            + "(default: 16777216; 1048576 with --quick).")
    Integer aeronTermLength;

    @Option(names = "--out", paramLabel = "DIR", description = "The results folder (default: bench/results/rfc-DATE-TIME).")
    Path out;

    @Option(names = {"-v", "--verbose"}, description = "Echo what the worker processes print.")
    boolean verbose;

    @Override
    public Integer call() throws IOException {
        Wait w = switch (wait) {
            case "spin", "spin-then-park" -> Wait.parse(wait);
            default -> throw new dev.uipc.bench.Bench.UsageException("--wait must be spin or spin-then-park, not '" + wait + "'");
        };
        Set<Integer> chosen = new LinkedHashSet<>(sections == null ? List.of(1, 2, 3, 4, 5, 6, 7) : sections);
        for (int s : chosen) {
            if (s < 1 || s > 7) {
                throw new dev.uipc.bench.Bench.UsageException("there are sections 1 to 7, not " + s);
            }
        }
        int r = runs != null ? runs : quick ? 1 : 5;
        if (r < 1 || entries < 2 || Integer.bitCount(entries) != 1 || scale <= 0) {
            throw new dev.uipc.bench.Bench.UsageException("--runs must be at least 1, --entries a power of two, --scale positive");
        }
        int term = aeronTermLength != null ? aeronTermLength : quick ? 1 << 20 : 16 << 20;
        if (Integer.bitCount(term) != 1 || term < 1 << 18) {
            throw new dev.uipc.bench.Bench.UsageException("--aeron-term-length must be a power of two of at least 262144 "
                    + "(eight 32 KB messages), not " + term);
        }
        long idleMillis = Math.round(1000 * (idleSeconds != null ? idleSeconds : quick ? 0.3 : 10));
        Path folder = out != null ? out : Path.of(System.getProperty("bench.results", "bench/results"),
                "rfc-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        Files.createDirectories(folder);
        String command = System.getProperty("bench.command", "bench/run rfc");
        Settings settings = new Settings(quick, r, chosen, w, entries, scale, idleMillis, term, folder, verbose,
                Session.workerFlags(), command);

        Machine machine = Machine.describe();
        System.err.printf("bench rfc: %d cores (%s), %s, %s; load %s; results in %s%n", machine.cores(), machine.cpu(),
                machine.kernel(), machine.jdk(), machine.loadBefore(), folder);
        long start = System.nanoTime();
        Results results;
        try (Session session = new Session(entries, term, verbose)) {
            results = new Suite(settings, session.measurements).run();
        }
        String wall = Progress.clock(System.nanoTime() - start);
        String loadAfter = Machine.loadAverage();
        List<String> charts = new Charts(settings, results, folder).draw();
        String report = new Report(settings, machine, loadAfter, wall, results, charts).render();
        Files.writeString(folder.resolve("report.md"), report, StandardCharsets.UTF_8);
        Files.writeString(folder.resolve("results.json"), new JsonReport().render(settings, machine, loadAfter, results),
                StandardCharsets.UTF_8);
        System.out.print(report);
        System.out.flush();
        List<Object> missing = results.missing();
        System.err.printf("bench rfc: %d figures in %s, %s (report.md, results.json, %d charts)%n",
                results.expected.size() - missing.size(), wall, folder, charts.size());
        if (!missing.isEmpty()) {
            System.err.println("bench rfc: " + missing.size() + " figure(s) missing:");
            for (Object key : missing) {
                System.err.println("  " + Report.describe(key) + ": " + results.failures.getOrDefault(key, "not measured"));
            }
            return 1;
        }
        return 0;
    }
}
