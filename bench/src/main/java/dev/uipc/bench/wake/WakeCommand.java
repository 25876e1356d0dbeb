package dev.uipc.bench.wake;

import dev.uipc.bench.Bench;
import dev.uipc.bench.rfc.Machine;
import dev.uipc.bench.rfc.Progress;
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

/** {@code bench/run wake}: what it costs to wake a sleeping receiver, across two processes, by each way there is. */
@Command(name = "wake", mixinStandardHelpOptions = true, version = "uipc benchmarks", sortOptions = false,
        description = {
                "Waking a sleeper across processes, in five sections:",
                "  1 one-way wake latency: futex system call, io_uring FUTEX_WAIT in a completion loop, MSG_RING "
                        + "ring doorbell, eventfd, pipe",
                "  2 streaming into a completion loop against a blocking receive (messages/s), 64 B and 4 KiB",
                "  3 broadcast: the sender's cost of waking 1, 4, 16 parked receivers, batched or one futex call "
                        + "each; a send with nobody parked",
                "  4 idle CPU of a completion loop with 1 and 1000 parked subscriptions",
                "  5 FUTEX_WAITV against one FUTEX_WAIT per subscription, 1000 futex words",
                "Writes report.md and results.json to a results folder, prints the report, and exits 1 if any figure "
                        + "could not be produced."})
public final class WakeCommand implements Callable<Integer> {
    @Option(names = "--quick", description = "Tiny counts: proves every figure can be produced (under a minute). "
            + "Its numbers measure nothing.")
    boolean quick;

    @Option(names = "--samples", paramLabel = "N", description = "Counted samples per row of sections 1, 3 and 5 "
            + "(default: 5000; 200 with --quick).")
    Integer samples;

    @Option(names = "--runs", paramLabel = "N", description = "Runs, the rows alternating within each: sections 1, 3 "
            + "and 5 pool their samples, section 2 takes the median (default: 5; 1 with --quick).")
    Integer runs;

    @Option(names = "--messages", paramLabel = "N", description = "Counted messages per stream of 64 B in section 2, "
            + "a fifth of them at 4 KiB (default: 1000000; 20000 with --quick).")
    Long messages;

    @Option(names = "--idle-seconds", paramLabel = "S", description = "How long each loop of section 4 idles "
            + "(default: 10; 0.3 with --quick).")
    Double idleSeconds;

    @Option(names = "--subscriptions", paramLabel = "N", defaultValue = "1000", description = "Parked subscriptions of "
            + "the larger idle loop, and futex words of section 5 (default: ${DEFAULT-VALUE}).")
    int subscriptions;

    @Option(names = "--sections", split = ",", paramLabel = "N", description = "Which sections to run (default: all five).")
    List<Integer> sections;

    @Option(names = "--out", paramLabel = "DIR", description = "The results folder (default: bench/results/wake-DATE-TIME).")
    Path out;

    @Option(names = {"-v", "--verbose"}, description = "Echo what the worker processes print.")
    boolean verbose;

    @Override
    public Integer call() throws IOException {
        Set<Integer> chosen = new LinkedHashSet<>(sections == null ? List.of(1, 2, 3, 4, 5) : sections);
        for (int s : chosen) {
            if (s < 1 || s > 5) {
                throw new Bench.UsageException("there are sections 1 to 5, not " + s);
            }
        }
        int r = runs != null ? runs : quick ? 1 : 5;
        int n = samples != null ? samples : quick ? 200 : 5000;
        long m = messages != null ? messages : quick ? 20_000 : 1_000_000;
        if (r < 1 || n < r || m < 1) {
            throw new Bench.UsageException("--runs must be at least 1, --samples at least --runs, --messages positive");
        }
        if (subscriptions < 2 || subscriptions > Mailbox.MAX_WORDS) {
            throw new Bench.UsageException("--subscriptions must be from 2 to " + Mailbox.MAX_WORDS + ", not "
                    + subscriptions);
        }
        double idle = idleSeconds != null ? idleSeconds : quick ? 0.3 : 10;
        if (idle <= 0 || idle > 600) {
            throw new Bench.UsageException("--idle-seconds must be above 0 and at most 600");
        }
        Path folder = out != null ? out : Path.of(System.getProperty("bench.results", "bench/results"),
                "wake-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        Files.createDirectories(folder);
        WakePlan plan = new WakePlan(quick, r, n, quick ? 50 : 2000, quick ? 20 : 200, r, m, Math.round(idle * 1000),
                subscriptions, quick ? 3 : 20, chosen, folder, System.getProperty("bench.command", "bench/run wake"));

        Machine machine = Machine.describe();
        System.err.printf("bench wake: %d cores (%s), %s, %s; load %s; results in %s%n", machine.cores(), machine.cpu(),
                machine.kernel(), machine.jdk(), machine.loadBefore(), folder);
        long start = System.nanoTime();
        WakeResults results = new WakeResults();
        try (WakeSession session = new WakeSession(verbose)) {
            new WakeSuite(plan, session, results).run();
        }
        String wall = Progress.clock(System.nanoTime() - start);
        String loadAfter = Machine.loadAverage();
        WakeReport report = new WakeReport(plan, machine, loadAfter, wall, results);
        String md = report.markdown();
        Files.writeString(folder.resolve("report.md"), md, StandardCharsets.UTF_8);
        Files.writeString(folder.resolve("results.json"), report.json(), StandardCharsets.UTF_8);
        System.out.print(md);
        System.out.flush();
        System.err.printf("bench wake: %d of %d figures in %s, %s (report.md, results.json)%n",
                results.planned.size() - results.failures.size(), results.planned.size(), wall, folder);
        if (!results.failures.isEmpty()) {
            System.err.println("bench wake: " + results.failures.size() + " figure(s) missing:");
            results.failures.forEach((k, why) -> System.err.println("  " + k + ": " + why));
            return 1;
        }
        return 0;
    }
}
