package dev.uipc.bench.rfc;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * The Markdown report of one run: the machine, then one table per section, each saying what its
 * figures are. Medians over runs; a missing figure shows as "—" and its reason is listed at the end.
 */
final class Report {
    private final Settings settings;
    private final Machine machine;
    private final String loadAfter;
    private final String wallTime;
    private final Results results;
    private final List<String> charts;
    private final StringBuilder md = new StringBuilder();

    Report(Settings settings, Machine machine, String loadAfter, String wallTime, Results results, List<String> charts) {
        this.settings = settings;
        this.machine = machine;
        this.loadAfter = loadAfter;
        this.wallTime = wallTime;
        this.results = results;
        this.charts = charts;
    }

    String render() {
        header();
        if (settings.runs(1)) {
            pointToPoint();
        }
        if (settings.runs(2)) {
            broadcast();
        }
        if (settings.runs(3)) {
            scaling();
        }
        if (settings.runs(4)) {
            multicast();
        }
        if (settings.runs(5)) {
            pingPong();
        }
        if (settings.runs(6)) {
            idle();
        }
        if (settings.runs(7)) {
            allocation();
        }
        failures();
        return md.toString();
    }

    private void header() {
        p("# uipc against the RFC's baselines and the Java peers");
        p("");
        p("The tables of the io_uring RFC \"io_uring: add IPC channel infrastructure\", reproduced on this machine "
                + "with uipc, the RFC's three baselines (pipe, Unix socket, shared memory + eventfd) and the Java peers "
                + "a user would pick instead (Aeron IPC, Agrona's ring and broadcast buffers), and more.");
        p("");
        if (settings.quick()) {
            p("> **Quick run:** tiny message counts and one run per figure. It proves that every figure can be "
                    + "produced; its numbers measure nothing.");
            p("");
        }
        p("| | |");
        p("|---|---|");
        p("| command | `" + settings.command() + "` |");
        p("| started | " + machine.started() + ", took " + wallTime + " |");
        p("| machine | " + machine.cores() + " cores (" + machine.cpu() + "), " + machine.memory() + " |");
        p("| kernel | " + machine.kernel() + " |");
        p("| JDK | " + machine.jdk() + " |");
        p("| commit | " + machine.commit() + " |");
        p("| load average (1, 5, 15 min) | before " + machine.loadBefore() + "; after " + loadAfter + " |");
        p("| runs | " + settings.runs() + " of every streaming and ping-pong figure, contenders alternating within each "
                + "run; tables show the median |");
        p("| streaming wait class | " + settings.waitClass().label() + " (" + settings.waitClass().family() + ") for every "
                + "contender in sections 1 to 4 |");
        p("| ring sizes | " + settings.entries() + " slots for uipc and the shm ring; Agrona's capacity holds as many; "
                + "Aeron IPC term " + settings.aeronTermLength() / 1024 + " KiB |");
        p("");
        p("Every contender runs as separate processes (one sender process, one per receiver), started once per run "
                + "and reused, on the same Java path to the kernel (uipc's uring module). Nothing is pinned to a core. "
                + "With " + machine.cores() + " cores and up to 17 processes, everything **time-shares**: "
                + "the fan-out figures (sections 2 to 4) measure scheduling as much as the channels. "
                + "Read ratios within one table, not absolute numbers: this kind of machine is a shared VM.");
        p("");
    }

    private void pointToPoint() {
        p("## 1. Point to point: amortised cost per message (ns/msg, lower is better)");
        p("");
        p("One sender process streams messages to one receiver process as fast as the transport takes them. "
                + "The figure is (time the receiver has the last message − time the sender began) / messages: "
                + "the cost per message in a pipelined stream, i.e. 1/throughput. This is what the RFC's "
                + "\"Point-to-point latency\" table measured; it is **not** one-way latency (section 5 has that).");
        p("");
        p("### 1a. Copy-out: the receiver copies each message into its own buffer");
        p("");
        List<Contender> copy = Suite.POINT_TO_POINT_COPY;
        sizeTable(copy, 1, Measurements.Stream::deliveredNanos, List.of(
                ratio("uipc / Agrona 1→1", Contender.copying(Transport.UIPC), Contender.copying(Transport.AGRONA_ONE_TO_ONE)),
                ratio("uipc / Aeron excl.", Contender.copying(Transport.UIPC), Contender.copying(Transport.AERON_EXCLUSIVE)),
                ratio("uipc / pipe", Contender.copying(Transport.UIPC), Contender.copying(Transport.PIPE))));
        chart("p2p-copy.png", "Point to point, copy-out");
        p("### 1b. In place: the receiver reads the message where it lies (its first 8 bytes)");
        p("");
        p("Aeron's fragment handler and Agrona's message handler hand the receiver the message in the shared "
                + "buffer; uipc's `MessageHandler` does the same. The sender copies the message in, in every row.");
        p("");
        sizeTable(Suite.POINT_TO_POINT_IN_PLACE, 1, Measurements.Stream::deliveredNanos, List.of(
                ratio("uipc / Agrona 1→1", Contender.inPlace(Transport.UIPC), Contender.inPlace(Transport.AGRONA_ONE_TO_ONE)),
                ratio("uipc / Aeron excl.", Contender.inPlace(Transport.UIPC), Contender.inPlace(Transport.AERON_EXCLUSIVE))));
        chart("p2p-in-place.png", "Point to point, in place");
    }

    private void broadcast() {
        int n = Suite.BROADCAST_RECEIVERS;
        p("## 2. Broadcast to " + n + " receivers: sender-side cost per message (ns/msg)");
        p("");
        p("One sender, " + n + " receiver processes, every receiver gets every message. Pipe, Unix socket and shm+eventfd "
                + "have one channel per receiver, so the sender writes each message " + n + " times; uipc broadcast and "
                + "Aeron (one publication, " + n + " subscriptions) write it once; Agrona's broadcast buffer writes it once "
                + "and never waits, so slow receivers lose messages. The figure is the sender's time from its first to "
                + "its last send, per message, as in the RFC's table; the receivers may still be behind then. "
                + "So it depends on how much the sender may run ahead: uipc's ring holds " + settings.entries()
                + " messages, Aeron's publication window half a term (" + settings.aeronTermLength() / 2048
                + " KiB), which at small sizes holds the whole run, and Agrona's broadcast never waits at all. "
                + "Table 2b, until every receiver has every message, is the like-for-like figure.");
        p("");
        sizeTable(Suite.BROADCAST, n, Measurements.Stream::senderNanos, List.of(
                ratio("pipe / uipc", Contender.fanOut(Transport.PIPE, Delivery.BROADCAST),
                        Contender.fanOut(Transport.UIPC, Delivery.BROADCAST)),
                ratio("shm+eventfd / uipc", Contender.fanOut(Transport.SHM_EVENTFD, Delivery.BROADCAST),
                        Contender.fanOut(Transport.UIPC, Delivery.BROADCAST))));
        chart("broadcast-16.png", "Broadcast, sender-side");
        p("### 2b. Until every receiver has every message (ns/msg)");
        p("");
        p("From the sender's first send until the last receiver has the last message, per message; for Agrona's "
                + "lossy broadcast, the share of messages that reached their receivers is given in brackets.");
        p("");
        List<String> head = new ArrayList<>(List.of("size"));
        Suite.BROADCAST.forEach(c -> head.add(c.label()));
        tableHead(head);
        for (int size : Settings.SIZES) {
            List<String> row = new ArrayList<>(List.of(size(size)));
            for (Contender c : Suite.BROADCAST) {
                Results.StreamKey k = key(c, size, n);
                String cell = ns(results.streamMedian(k, Measurements.Stream::deliveredNanos));
                double delivered = results.streamMedian(k, Measurements.Stream::delivered);
                if (delivered < 1) {
                    cell += String.format(" (%.0f%%)", 100 * delivered);
                }
                row.add(cell);
            }
            tableRow(row);
        }
        p("");
    }

    private void scaling() {
        p("## 3. Scaling from 1 to 16 receivers at 64 B: sender-side cost per message (ns/msg)");
        p("");
        p("As section 2, at 64 bytes, with 1, 2, 4, 8 and 16 receivers; uipc multicast deals each message to one "
                + "receiver, round-robin. The last column is the RFC's \"degradation\": 16 receivers / 1.");
        p("");
        List<String> head = new ArrayList<>(List.of("mechanism"));
        for (int r : Settings.RECEIVERS) {
            head.add(r + " recv");
        }
        head.add("16 / 1");
        tableHead(head);
        for (Contender c : Suite.SCALING) {
            List<String> row = new ArrayList<>(List.of(c.label()));
            for (int r : Settings.RECEIVERS) {
                row.add(ns(results.streamMedian(key(c, 64, r), Measurements.Stream::senderNanos)));
            }
            row.add(times(results.streamMedian(key(c, 64, 16), Measurements.Stream::senderNanos)
                    / results.streamMedian(key(c, 64, 1), Measurements.Stream::senderNanos)));
            tableRow(row);
        }
        p("");
        spread(Suite.SCALING.stream().flatMap(c -> java.util.Arrays.stream(Settings.RECEIVERS)
                .mapToObj(r -> key(c, 64, r))).toList(), Measurements.Stream::senderNanos);
        chart("scaling.png", "Scaling, 64 B");
    }

    private void multicast() {
        p("## 4. Multicast: sender-side cost per message by receivers (ns/msg)");
        p("");
        p("uipc multicast: each message goes to one receiver, round-robin; the sender's time per message.");
        p("");
        List<String> head = new ArrayList<>(List.of("size"));
        for (int r : Settings.RECEIVERS) {
            head.add(r + " recv");
        }
        head.add("16 / 1");
        tableHead(head);
        List<Results.StreamKey> keys = new ArrayList<>();
        for (int size : Settings.MULTICAST_SIZES) {
            List<String> row = new ArrayList<>(List.of(size(size)));
            for (int r : Settings.RECEIVERS) {
                keys.add(key(Suite.UIPC_MULTICAST, size, r));
                row.add(ns(results.streamMedian(key(Suite.UIPC_MULTICAST, size, r), Measurements.Stream::senderNanos)));
            }
            row.add(times(results.streamMedian(key(Suite.UIPC_MULTICAST, size, 16), Measurements.Stream::senderNanos)
                    / results.streamMedian(key(Suite.UIPC_MULTICAST, size, 1), Measurements.Stream::senderNanos)));
            tableRow(row);
        }
        p("");
        spread(keys, Measurements.Stream::senderNanos);
        chart("multicast.png", "Multicast, sender-side");
    }

    private void pingPong() {
        p("## 5. Ping-pong: one-way latency at 64 B (ns)");
        p("");
        p("Two processes bounce a 64-byte message; each stamps it with CLOCK_MONOTONIC (`System.nanoTime`, one clock "
                + "for every process of a host) as it sends, and the other records now − stamp when it has the message "
                + "(HdrHistogram), so both directions are one-way latencies, not halves of a round trip. The next ping "
                + "leaves as soon as the pong arrives. Compare within a class: spinning against spinning, "
                + "sleeping against sleeping. Pipes, sockets and eventfds block in the kernel.");
        p("");
        tableHead(List.of("contender", "waits by", "class", "p50", "p90", "p99", "p99.9", "max"));
        for (Suite.Waiting w : Suite.PING_PONG) {
            Results.WaitKey k = new Results.WaitKey(w.contender(), w.waitClass());
            tableRow(List.of(w.contender().label(), w.waitLabel(), w.waitClass().family(),
                    ns(results.pingPongMedian(k, Results.Percentiles::p50)),
                    ns(results.pingPongMedian(k, Results.Percentiles::p90)),
                    ns(results.pingPongMedian(k, Results.Percentiles::p99)),
                    ns(results.pingPongMedian(k, Results.Percentiles::p999)),
                    ns(results.pingPongMedian(k, Results.Percentiles::max))));
        }
        p("");
        chart("ping-pong.png", "Ping-pong percentiles");
    }

    private void idle() {
        p("## 6. Idle cost: CPU used by a receiver waiting on an empty channel");
        p("");
        p("A receiver process waits " + settings.idleMillis() / 1000.0 + " s for a message that comes only at the end. "
                + "CPU time of the whole process (every JVM thread) from /proc/PID/stat, and of the waiting thread "
                + "alone, over the wall-clock interval: 100% is one core. /proc counts in 10 ms ticks. For Aeron, the "
                + "media driver's process is shown too: it runs whether anyone waits or not.");
        p("");
        tableHead(List.of("receiver", "waits by", "process CPU", "waiting thread CPU", "Aeron driver CPU"));
        for (Suite.Waiting w : Suite.IDLE) {
            Results.WaitKey k = new Results.WaitKey(w.contender(), w.waitClass());
            double driver = results.idleMedian(k, Measurements.Idle::driverCpu);
            tableRow(List.of(w.contender().label(), w.waitLabel(), percent(results.idleMedian(k, Measurements.Idle::processCpu)),
                    percent(results.idleMedian(k, Measurements.Idle::threadCpu)),
                    Double.isNaN(driver) ? "" : percent(driver)));
        }
        p("");
    }

    private void allocation() {
        p("## 7. Allocation: bytes allocated per message on the Java heap");
        p("");
        p("Measured by `ThreadMXBean.getCurrentThreadAllocatedBytes` around the timed loop of the sending and the "
                + "receiving thread (0 is the goal; the benchmark's own loops allocate nothing once warm). Each cell: "
                + "the largest figure of any size and run, and in brackets the largest over sizes of the median over "
                + "runs, since a one-off (a first run's compilation, a periodic task) can make the first alone.");
        p("");
        tableHead(List.of("contender", "sender B/msg", "receiver B/msg"));
        List<Contender> rows = new ArrayList<>(Suite.POINT_TO_POINT_COPY);
        if (settings.runs(1)) {
            rows.addAll(Suite.POINT_TO_POINT_IN_PLACE);
        }
        for (Contender c : rows) {
            double s = Double.NaN;
            double r = Double.NaN;
            double sm = Double.NaN;
            double rm = Double.NaN;
            for (int size : Settings.SIZES) {
                Results.StreamKey k = key(c, size, 1);
                s = max(s, results.streamMax(k, Measurements.Stream::senderBytes));
                r = max(r, results.streamMax(k, Measurements.Stream::receiverBytes));
                sm = max(sm, results.streamMedian(k, Measurements.Stream::senderBytes));
                rm = max(rm, results.streamMedian(k, Measurements.Stream::receiverBytes));
            }
            tableRow(List.of(c.label() + " (stream)", bytes(s, sm), bytes(r, rm)));
        }
        if (settings.runs(5)) {
            for (Suite.Waiting w : Suite.PING_PONG) {
                Results.WaitKey k = new Results.WaitKey(w.contender(), w.waitClass());
                List<Results.Percentiles> runs = results.pingPongs.get(k);
                double s = runs == null ? Double.NaN : runs.stream().mapToDouble(Results.Percentiles::pingerBytes).max().orElse(Double.NaN);
                double r = runs == null ? Double.NaN : runs.stream().mapToDouble(Results.Percentiles::pongerBytes).max().orElse(Double.NaN);
                tableRow(List.of(w.contender().label() + " (ping-pong, " + w.waitLabel() + ")",
                        bytes(s, results.pingPongMedian(k, Results.Percentiles::pingerBytes)),
                        bytes(r, results.pingPongMedian(k, Results.Percentiles::pongerBytes))));
            }
        }
        p("");
    }

    private void failures() {
        List<Object> missing = results.missing();
        if (missing.isEmpty()) {
            return;
        }
        p("## Missing figures");
        p("");
        for (Object key : missing) {
            p("- " + describe(key) + ": " + results.failures.getOrDefault(key, "not measured").replace("\n", " "));
        }
        p("");
    }

    static String describe(Object key) {
        return switch (key) {
            case Results.StreamKey k -> k.contender().label() + ", " + k.size() + " B, " + k.receivers() + " receiver(s), "
                    + k.waitClass().id();
            case Results.WaitKey k -> k.contender().label() + ", " + k.waitClass().id();
            default -> key.toString();
        };
    }

    // --- tables ----------------------------------------------------------------------------------

    /** A column computed from two contenders' medians: their ratio. */
    private record Ratio(String heading, Contender numerator, Contender denominator) {
    }

    private static Ratio ratio(String heading, Contender numerator, Contender denominator) {
        return new Ratio(heading, numerator, denominator);
    }

    private void sizeTable(List<Contender> contenders, int receivers, ToDoubleFunction<Measurements.Stream> figure,
                           List<Ratio> ratios) {
        List<String> head = new ArrayList<>(List.of("size"));
        contenders.forEach(c -> head.add(c.label()));
        ratios.forEach(r -> head.add(r.heading()));
        tableHead(head);
        List<Results.StreamKey> keys = new ArrayList<>();
        for (int size : Settings.SIZES) {
            List<String> row = new ArrayList<>(List.of(size(size)));
            for (Contender c : contenders) {
                keys.add(key(c, size, receivers));
                row.add(ns(results.streamMedian(key(c, size, receivers), figure)));
            }
            for (Ratio r : ratios) {
                row.add(times(results.streamMedian(key(r.numerator(), size, receivers), figure)
                        / results.streamMedian(key(r.denominator(), size, receivers), figure)));
            }
            tableRow(row);
        }
        p("");
        spread(keys, figure);
    }

    private void spread(List<Results.StreamKey> keys, ToDoubleFunction<Measurements.Stream> figure) {
        if (settings.runs() < 2) {
            return;
        }
        double worst = 0;
        for (Results.StreamKey k : keys) {
            double s = results.streamSpread(k, figure);
            if (!Double.isNaN(s)) {
                worst = Math.max(worst, s);
            }
        }
        p(String.format("Noise: across the %d runs, a figure of this table varied by up to %.2f× (largest / smallest run).",
                settings.runs(), worst));
        p("");
    }

    private Results.StreamKey key(Contender c, int size, int receivers) {
        return new Results.StreamKey(c, size, receivers, settings.waitClass());
    }

    private void chart(String file, String title) {
        if (charts.contains(file)) {
            p("![" + title + "](" + file + ")");
            p("");
        }
    }

    private void tableHead(List<String> cells) {
        tableRow(cells);
        StringBuilder b = new StringBuilder("|");
        for (int i = 0; i < cells.size(); i++) {
            b.append(i == 0 ? "---|" : "---:|");
        }
        p(b.toString());
    }

    private void tableRow(List<String> cells) {
        p("| " + String.join(" | ", cells) + " |");
    }

    private static double max(double a, double b) {
        return Double.isNaN(a) ? b : Double.isNaN(b) ? a : Math.max(a, b);
    }

    static String size(int bytes) {
        return bytes >= 1024 ? bytes / 1024 + " KB" : bytes + " B";
    }

    static String ns(double v) {
        return Double.isNaN(v) ? "—" : v >= 100 ? String.format("%,.0f", v) : String.format("%.1f", v);
    }

    private static String times(double v) {
        return Double.isNaN(v) || Double.isInfinite(v) ? "—" : String.format("%.2f×", v);
    }

    private static String percent(double v) {
        return Double.isNaN(v) ? "—" : String.format("%.1f%%", 100 * v);
    }

    private static String bytes(double v) {
        return Double.isNaN(v) ? "—" : v == 0 ? "0" : String.format("%.2f", v);
    }

    private static String bytes(double largest, double median) {
        return Double.isNaN(largest) ? "—" : bytes(largest) + " (" + bytes(median) + ")";
    }

    private void p(String line) {
        md.append(line).append('\n');
    }

}
