package dev.uipc.bench.wake;

import dev.uipc.bench.rfc.JsonReport;
import dev.uipc.bench.rfc.Machine;
import org.HdrHistogram.Histogram;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Markdown report and the JSON figures of one {@code bench/run wake}: the machine, then one
 * table per section, each saying what its figures are and how they were checked.
 */
final class WakeReport {
    private final WakePlan plan;
    private final Machine machine;
    private final String loadAfter;
    private final String wallTime;
    private final WakeResults results;
    private final StringBuilder md = new StringBuilder();

    WakeReport(WakePlan plan, Machine machine, String loadAfter, String wallTime, WakeResults results) {
        this.plan = plan;
        this.machine = machine;
        this.loadAfter = loadAfter;
        this.wallTime = wallTime;
        this.results = results;
    }

    // --- Markdown -------------------------------------------------------------------------------

    String markdown() {
        header();
        if (plan.runs(1)) {
            latency();
        }
        if (plan.runs(2)) {
            streaming();
        }
        if (plan.runs(3)) {
            broadcast();
        }
        if (plan.runs(4)) {
            idle();
        }
        if (plan.runs(5)) {
            vectors();
        }
        missing();
        return md.toString();
    }

    private void header() {
        p("# Waking a sleeper: futex, io_uring FUTEX_WAIT, MSG_RING, eventfd, pipe");
        p("");
        if (plan.quick()) {
            p("> **Quick run:** tiny counts. It proves that every figure can be produced; its numbers measure nothing.");
            p("");
        }
        p("| | |");
        p("|---|---|");
        p("| command | `" + plan.command() + "` |");
        p("| started | " + machine.started() + ", took " + wallTime + " |");
        p("| machine | " + machine.cores() + " cores (" + machine.cpu() + "), " + machine.memory() + " |");
        p("| kernel | " + machine.kernel() + " |");
        p("| JDK | " + machine.jdk() + " |");
        p("| commit | " + machine.commit() + " |");
        p("| load average (1, 5, 15 min) | before " + machine.loadBefore() + "; after " + loadAfter + " |");
        p("| samples | " + plan.samples() + " counted per row of sections 1, 3 and 5, in " + plan.runs()
                + " run(s) with the rows alternating, after a warm-up run of " + plan.firstWarmup() + " uncounted "
                + "samples per row; each measurement also begins with " + plan.warmup() + " uncounted |");
        p("| streams | " + String.format("%,d", plan.messages()) + " messages of 64 B, "
                + String.format("%,d", plan.messages(4096)) + " of 4 KiB, after half as many uncounted; "
                + plan.streamRuns() + " run(s), median |");
        p("");
        p("Separate processes: a waker and a sleeper JVM, started once per run and reused (plus a sleeper "
                + "with `-Duipc.ringDoorbells=false` and a sender with `-Duipc.wakeBatchThreshold=100000`, since uipc "
                + "reads those once per JVM). C2-compiled, SerialGC, nothing pinned to a core. Each latency is one-way: "
                + "the waker takes `System.nanoTime()` (CLOCK_MONOTONIC, one clock for every process) just before "
                + "its send or write and hands the stamp over in the message, the eventfd count or the pipe's bytes; "
                + "the sleeper subtracts it from its own clock as soon as its code runs. After each sample the "
                + "sleeper acknowledges through a futex word in a shared file; the waker then sleeps a random "
                + "200 µs to 1 ms and checks in /proc/PID/task/TID/stat that every sleeper thread is asleep in "
                + "the kernel ('S') before the next: every sample is a wake from sleep, none a spin. A sample whose "
                + "sleeper was not asleep within 200 ms more would be excluded and counted. Every wait has a "
                + "timeout (20 s), so a lost wake fails its figure with a sentence.");
        p("");
    }

    private void latency() {
        p("## 1. One-way wake latency (µs)");
        p("");
        p("From the waker's decision (its stamp, just before the send or write) until the sleeper's code runs "
                + "(after `receive` returns, in the loop's handler, after read(2) returns). uipc messages are 64 B on "
                + "a unicast channel; the completion loop never spins (`WaitStrategy.park()`). The last column says "
                + "how the wakes were counted: the channel's wake counter (rows a waker woke), and the loop's "
                + "`stats().wakes()` and `stats().ringWakes()` over the counted samples.");
        p("");
        tableHead("llrrrrrrll", "sleeper waits in", "waker", "p50", "p90", "p99", "p99.9", "max", "samples",
                "asleep before each wake", "wakes counted");
        for (WakeResults.Sleeper s : WakeResults.Sleeper.values()) {
            WakeResults.Latency l = results.latency.get(s);
            if (l == null) {
                row(s.sleeps, s.wakes, "—", "—", "—", "—", "—", "—", "—", "—");
                continue;
            }
            Histogram h = l.histogram;
            row(s.sleeps, s.wakes, us(pct(h, 50)), us(pct(h, 90)), us(pct(h, 99)), us(pct(h, 99.9)),
                    us(h.getTotalCount() == 0 ? Double.NaN : h.getMaxValue()), count(h.getTotalCount()),
                    asleep(l.asleep, l.later, l.never), wakesCounted(s, l));
        }
        p("");
        compare("MSG_RING against the loop's futex wake", WakeResults.Sleeper.LOOP_RING, WakeResults.Sleeper.LOOP_FUTEX);
        compare("The completion loop (ring doorbells off) against a thread blocked in the futex system call",
                WakeResults.Sleeper.LOOP_FUTEX, WakeResults.Sleeper.FUTEX);
        WakeResults.Latency eventfd = results.latency.get(WakeResults.Sleeper.EVENTFD);
        if (eventfd != null && pct(eventfd.histogram, 50) > 0) {
            List<String> parts = new ArrayList<>();
            for (WakeResults.Sleeper s : WakeResults.Sleeper.values()) {
                WakeResults.Latency l = results.latency.get(s);
                if (l != null && s != WakeResults.Sleeper.EVENTFD) {
                    parts.add(s.id() + " " + String.format("%.2f×", pct(l.histogram, 50) / pct(eventfd.histogram, 50)));
                }
            }
            p("p50 against the eventfd baseline: " + String.join(", ", parts) + ".");
            p("");
        }
        p("The eventfd and pipe rows go through the `uring` module's `EventFd` and `Pipe` calls, which build an "
                + "error-message string after each system call returns (tens of nanoseconds, inside their figure).");
        p("");
    }

    /** One sentence: row {@code a} against row {@code b} at p50, p99 and p99.9. */
    private void compare(String title, WakeResults.Sleeper a, WakeResults.Sleeper b) {
        WakeResults.Latency la = results.latency.get(a);
        WakeResults.Latency lb = results.latency.get(b);
        if (la == null || lb == null) {
            return;
        }
        List<String> parts = new ArrayList<>();
        for (double q : new double[] {50, 99, 99.9}) {
            double x = pct(la.histogram, q);
            double y = pct(lb.histogram, q);
            parts.add(String.format("p%s %s µs against %s µs (%s)", q == 50 ? "50" : q == 99 ? "99" : "99.9", us(x), us(y),
                    x <= y ? times(y / x) + " faster" : times(x / y) + " slower"));
        }
        p("**" + title + ":** " + String.join(", ", parts) + ".");
        p("");
    }

    private static String wakesCounted(WakeResults.Sleeper s, WakeResults.Latency l) {
        if (!s.isUipc()) {
            return "— (no counter)";
        }
        String channel = "channel " + count(l.channelWakes) + " of " + count(l.sends) + " sends";
        if (!s.isLoop()) {
            return channel;
        }
        return "loop " + count(l.loopWakes) + " of " + count(l.counted) + ": " + count(l.loopRingWakes) + " by ring, "
                + count(l.loopWakes - l.loopRingWakes) + " by futex; " + channel;
    }

    private void streaming() {
        p("## 2. Streaming through the completion loop against a blocking receive (messages/s)");
        p("");
        p("One producer process streams messages (`send`, waiting for room as uipc does by default) over a unicast "
                + "channel of 1024 slots to a consumer process that takes them with `Subscriber.receive` in a loop "
                + "(copying them out, or reading them in place with a `MessageHandler`), or from a `CompletionLoop` "
                + "handler (in place, `CompletionLoop.open()`: spin 10 µs, then sleep, 16 messages per turn). "
                + "Both sides use uipc's default wait strategy. Figure: messages / (time the consumer has the end "
                + "marker − time the producer began), median of the runs. The goal: the loop (as opened by "
                + "default, ring doorbells on) within 1.2× of the blocking receive that does the same work, the "
                + "in-place one: receive / loop ≤ 1.2. The ratios are of messages/s, so above 1 the loop is slower.");
        p("");
        List<String> head = new ArrayList<>(List.of("size"));
        for (WakeResults.Consumer c : WakeResults.Consumer.values()) {
            head.add(c.label);
        }
        head.add("in-place receive / loop (ring)");
        head.add("copy-out receive / loop (ring)");
        head.add("in-place receive / loop (futex)");
        head.add("goal: loop (ring) within 1.2× of in-place receive");
        tableHead("l" + "r".repeat(head.size() - 2) + "l", head.toArray(String[]::new));
        for (int size : WakeSuite.STREAM_SIZES) {
            List<String> cells = new ArrayList<>(List.of(size(size)));
            for (WakeResults.Consumer c : WakeResults.Consumer.values()) {
                cells.add(rate(streamMedian(c, size)));
            }
            double inPlace = streamMedian(WakeResults.Consumer.RECEIVE_IN_PLACE, size);
            double copy = streamMedian(WakeResults.Consumer.RECEIVE_COPY, size);
            double loopRing = streamMedian(WakeResults.Consumer.LOOP_RING, size);
            double loopFutex = streamMedian(WakeResults.Consumer.LOOP_FUTEX, size);
            cells.add(times(inPlace / loopRing));
            cells.add(times(copy / loopRing));
            cells.add(times(inPlace / loopFutex));
            double goal = inPlace / loopRing;
            cells.add(Double.isNaN(goal) ? "—" : goal <= 1.2 ? "met" : "**missed**");
            row(cells.toArray(String[]::new));
        }
        p("");
        p("What each consumer cost in wakes: the channel's wake counter (the producer waking a parked consumer, "
                + "the consumer waking a producer held up by a full ring) and the loop's own counters, per 1000 "
                + "messages, medians of the runs.");
        p("");
        tableHead("llrrrrrr", "size", "consumer", "messages/s", "slowest – fastest run", "channel wakes", "loop parks",
                "loop wakes (by ring)", "loop turns");
        for (int size : WakeSuite.STREAM_SIZES) {
            for (WakeResults.Consumer c : WakeResults.Consumer.values()) {
                List<WakeResults.StreamRun> runs = results.streams.get(new WakeResults.StreamKey(c, size));
                if (runs == null) {
                    row(size(size), c.label, "—", "—", "—", "—", "—", "—");
                    continue;
                }
                double[] rates = runs.stream().mapToDouble(WakeResults.StreamRun::rate).toArray();
                double min = java.util.Arrays.stream(rates).min().orElse(Double.NaN);
                double max = java.util.Arrays.stream(rates).max().orElse(Double.NaN);
                row(size(size), c.label, rate(WakeResults.median(rates)), rate(min) + " – " + rate(max),
                        perThousand(runs, WakeResults.StreamRun::channelWakesPerMessage),
                        c.isLoop() ? perThousand(runs, WakeResults.StreamRun::loopParksPerMessage) : "—",
                        c.isLoop() ? perThousand(runs, WakeResults.StreamRun::loopWakesPerMessage) + " ("
                                + perThousand(runs, WakeResults.StreamRun::loopRingWakesPerMessage) + ")" : "—",
                        c.isLoop() ? String.format("%.2f per message",
                                median(runs, WakeResults.StreamRun::loopTurnsPerMessage)) : "—");
            }
        }
        p("");
    }

    private double streamMedian(WakeResults.Consumer c, int size) {
        List<WakeResults.StreamRun> runs = results.streams.get(new WakeResults.StreamKey(c, size));
        return runs == null ? Double.NaN : median(runs, WakeResults.StreamRun::rate);
    }

    private static double median(List<WakeResults.StreamRun> runs,
                                 java.util.function.ToDoubleFunction<WakeResults.StreamRun> f) {
        return WakeResults.median(runs.stream().mapToDouble(f).toArray());
    }

    private static String perThousand(List<WakeResults.StreamRun> runs,
                                      java.util.function.ToDoubleFunction<WakeResults.StreamRun> f) {
        double v = median(runs, f) * 1000;
        return Double.isNaN(v) ? "—" : v >= 100 ? String.format("%,.0f", v) : String.format("%.1f", v);
    }

    private void broadcast() {
        p("## 3. Broadcast: what a commit that wakes every parked receiver costs the sender (µs)");
        p("");
        p("1, 4 or 16 receiver threads of one process, each with its own subscriber of a broadcast channel, parked "
                + "in `receive` with `WaitStrategy.park()`. The sender (another process) stamps, sends one 64-byte "
                + "message (`trySend`: claim, copy, commit, and the wakes of every parked row), and stamps again: "
                + "**send** is that interval. **Last receiver runs** is from the first stamp until the last of the "
                + "receivers has returned from `receive`. One io_uring batch: one io_uring_enter carrying a FUTEX_WAKE "
                + "per row, however few (the sender's JVM runs with `-Duipc.wakeBatchThreshold=1`); one futex call "
                + "each: `-Duipc.wakeBatchThreshold=100000`. uipc's default batches from 8 rows up, where this "
                + "table found the batch cheaper. In the first row nobody is parked: "
                + "the one receiver polls with `tryReceive` every 50 µs and never announces itself, so the send "
                + "has nobody to wake.");
        p("");
        tableHead("lrrrrrrl", "receivers", "send p50", "send p90", "send p99", "last receiver runs p50", "p99",
                "wakes per send (channel counter)", "asleep before each send");
        for (WakeResults.FanKey k : WakeSuite.fanKeys()) {
            WakeResults.FanOut f = results.fanOuts.get(k);
            if (f == null) {
                row(k.label(), "—", "—", "—", "—", "—", "—", "—");
                continue;
            }
            row(k.label(), us(pct(f.send, 50)), us(pct(f.send, 90)), us(pct(f.send, 99)),
                    k.parked() ? us(pct(f.last, 50)) : "— (polls)", k.parked() ? us(pct(f.last, 99)) : "—",
                    String.format("%.2f", (double) f.wakes / f.sends),
                    k.parked() ? asleep(f.asleep, f.later, f.never) : "— (not parked)");
        }
        p("");
        WakeResults.FanOut nobody = results.fanOuts.get(new WakeResults.FanKey(1, false, true));
        WakeResults.FanOut one = results.fanOuts.get(new WakeResults.FanKey(1, true, true));
        if (nobody != null && one != null) {
            p("**A send with nobody parked makes no system call:** its channel wake counter stayed at "
                    + count(nobody.wakes) + " over " + count(nobody.sends) + " sends (the wake path, the only one "
                    + "that enters the kernel on a send, never ran), and it took " + us(pct(nobody.send, 50))
                    + " µs (p50) against " + us(pct(one.send, 50)) + " µs with one receiver parked, whose wake is "
                    + "one futex system call.");
            p("");
        }
        List<String> ratios = new ArrayList<>();
        for (int n : new int[] {4, 16}) {
            WakeResults.FanOut b = results.fanOuts.get(new WakeResults.FanKey(n, true, true));
            WakeResults.FanOut u = results.fanOuts.get(new WakeResults.FanKey(n, true, false));
            if (b != null && u != null) {
                ratios.add(n + " receivers: send p50 batched / one each = " + times(pct(b.send, 50) / pct(u.send, 50))
                        + ", last receiver runs p50 " + times(pct(b.last, 50) / pct(u.last, 50)));
            }
        }
        if (!ratios.isEmpty()) {
            p("Batched against one futex call each — " + String.join("; ", ratios) + " (below 1: batching is cheaper).");
            p("");
        }
    }

    private void idle() {
        p("## 4. Idle CPU of a completion loop with parked subscriptions");
        p("");
        p("A `CompletionLoop` (`open()`: spin 10 µs, then sleep) serves 1 or " + plan.subscriptions() + " subscribers "
                + "of one unicast channel; nothing is sent. After 300 ms in which every subscription parks (one "
                + "io_uring FUTEX_WAIT each, in flight), the loop runs `runOnce` for " + plan.idleMillis() / 1000.0
                + " s. CPU time of the loop's thread by clock_gettime(CLOCK_THREAD_CPUTIME_ID) and from "
                + "/proc/thread-self/stat (utime + stime, 10 ms ticks), and of the whole process (every JVM thread) "
                + "from /proc/PID/stat, over the wall-clock interval: 100% is one core. \"Still polled\" is the "
                + "number of subscriptions the loop had not parked (from its description); the loop's turns while "
                + "idle are its 10 µs of spinning before it sleeps in io_uring_enter, and its sleeps how often it did.");
        p("");
        tableHead("rrrrrrrr", "parked subscriptions", "idle for", "loop thread CPU", "loop thread, /proc ticks",
                "whole process, /proc ticks", "loop turns (sleeps) while idle", "still polled",
                "set-up (attach + subscribe)");
        for (int n : WakeSuite.IDLE_SUBSCRIPTIONS) {
            int subscriptions = n == 1 ? 1 : plan.subscriptions();
            WakeResults.Idle i = results.idles.get(subscriptions);
            if (i == null) {
                row(count(subscriptions), "—", "—", "—", "—", "—", "—", "—");
                continue;
            }
            double wall = i.wallNanos();
            row(count(subscriptions), String.format("%.1f s", wall / 1e9),
                    String.format("%.4f%% (%.2f ms)", 100 * i.threadCpuNanos() / wall, i.threadCpuNanos() / 1e6),
                    String.format("%.2f%% (%d ticks)", 100 * i.threadTicks() * 1e7 / wall, i.threadTicks()),
                    String.format("%.2f%% (%d ticks)", 100 * i.processTicks() * 1e7 / wall, i.processTicks()),
                    count(i.turns()) + " (" + count(i.parks()) + ")", i.polled(),
                    String.format("%.2f s", i.setupNanos() / 1e9));
        }
        p("");
    }

    private void vectors() {
        int words = plan.subscriptions();
        int vectorCount = (words + 127) / 128;
        p("## 5. FUTEX_WAITV against one FUTEX_WAIT per subscription, " + words + " futex words");
        p("");
        p("A bare io_uring (the loop's defaults: SINGLE_ISSUER, DEFER_TASKRUN) in the sleeper process waits on "
                + words + " shared futex words, a cache line apart as subscriber rows' doorbells are, either as " + words
                + " FUTEX_WAIT SQEs (what `CompletionLoop` does today) or as " + vectorCount + " FUTEX_WAITV SQEs of up "
                + "to 128 words. **Arm all**: preparing every SQE (and filling the vectors) and one io_uring_enter "
                + "to submit them, timed " + plan.armReps() + " times per run (every wait cancelled in between), "
                + "median. The waker then rings one word at random (adds 1, futex(2) FUTEX_WAKE) per sample: "
                + "**wake** is from its stamp until the sleeper's io_uring_enter returns with the completion. "
                + "**Re-arm** is what the sleeper then does to wait on that word again: one FUTEX_WAIT SQE, or, "
                + "since a FUTEX_WAITV completes when any one of its words is woken and leaves the wait on all of "
                + "them, a FUTEX_WAITV of the whole vector again (its 128 words), each submitted with one "
                + "io_uring_enter.");
        p("");
        tableHead("lrrrrrrrrl", "armed as", "SQEs in flight", "arm all (median)", "wake p50", "wake p99", "wake p99.9",
                "re-arm after a wake p50", "re-arm p99", "words re-armed per wake", "asleep before each wake");
        for (String variant : List.of("wait", "waitv")) {
            WakeResults.Vector v = results.vectors.get(variant);
            boolean vector = variant.equals("waitv");
            String label = vector ? "FUTEX_WAITV, 128 words each" : "FUTEX_WAIT, one per word";
            String sqes = count(vector ? vectorCount : words);
            if (v == null) {
                row(label, sqes, "—", "—", "—", "—", "—", "—", "—", "—");
                continue;
            }
            row(label, sqes, us(armMedian(v)), us(pct(v.latency, 50)), us(pct(v.latency, 99)), us(pct(v.latency, 99.9)),
                    us(pct(v.rearm, 50)), us(pct(v.rearm, 99)), vector ? "128" : "1", asleep(v.asleep, v.later, v.never));
        }
        p("");
        String conclusion = vectorConclusion();
        if (conclusion != null) {
            p("**Conclusion:** " + conclusion);
            p("");
        }
    }

    private static double armMedian(WakeResults.Vector v) {
        return WakeResults.median(v.arms.stream().mapToDouble(Long::doubleValue).toArray());
    }

    /** One sentence from the figures: what FUTEX_WAITV saves on arming against what it costs per wake. */
    String vectorConclusion() {
        WakeResults.Vector w = results.vectors.get("wait");
        WakeResults.Vector v = results.vectors.get("waitv");
        if (w == null || v == null) {
            return null;
        }
        double armW = armMedian(w);
        double armV = armMedian(v);
        double perWakeW = pct(w.latency, 50) + pct(w.rearm, 50);
        double perWakeV = pct(v.latency, 50) + pct(v.rearm, 50);
        double saving = armW - armV;
        double extra = perWakeV - perWakeW;
        String arming = String.format("FUTEX_WAITV arms all %d words in %s µs instead of %s µs (%s)", plan.subscriptions(),
                us(armV), us(armW), armV <= armW ? times(armW / armV) + " cheaper" : times(armV / armW) + " dearer");
        String waking = String.format("each wake then costs %s µs of latency plus re-arming (p50 %s + %s) against %s µs "
                        + "(%s + %s)", us(perWakeV), us(pct(v.latency, 50)), us(pct(v.rearm, 50)), us(perWakeW),
                us(pct(w.latency, 50)), us(pct(w.rearm, 50)));
        if (extra <= 0 && saving >= 0) {
            return arming + ", and " + waking + ", so it is the cheaper way to wait on many doorbells at every step.";
        }
        if (extra > 0 && saving > 0) {
            return arming + ", but " + waking + ", so it pays off only while fewer than about "
                    + String.format("%,.0f", saving / extra) + " wakes happen per re-arming of every subscription at "
                    + "once — and the loop re-arms only the subscription that woke, so its steady state favours one "
                    + "FUTEX_WAIT per subscription.";
        }
        return arming + ", and " + waking + ", so it does not pay off here.";
    }

    private void missing() {
        if (results.failures.isEmpty()) {
            return;
        }
        p("## Missing figures");
        p("");
        for (Map.Entry<String, String> e : results.failures.entrySet()) {
            p("- **" + e.getKey() + "**: " + e.getValue().replace("\n", " "));
        }
        p("");
    }

    // --- JSON -----------------------------------------------------------------------------------

    String json() {
        Map<String, Object> root = new LinkedHashMap<>();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cores", machine.cores());
        m.put("cpu", machine.cpu());
        m.put("kernel", machine.kernel());
        m.put("jdk", machine.jdk());
        m.put("memory", machine.memory());
        m.put("loadBefore", machine.loadBefore());
        m.put("loadAfter", loadAfter);
        m.put("started", machine.started());
        m.put("took", wallTime);
        m.put("commit", machine.commit());
        root.put("machine", m);
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("command", plan.command());
        s.put("quick", plan.quick());
        s.put("runs", plan.runs());
        s.put("samples", plan.samples());
        s.put("firstWarmup", plan.firstWarmup());
        s.put("warmup", plan.warmup());
        s.put("streamRuns", plan.streamRuns());
        s.put("messages64", plan.messages(64));
        s.put("messages4096", plan.messages(4096));
        s.put("idleMillis", plan.idleMillis());
        s.put("subscriptions", plan.subscriptions());
        s.put("armReps", plan.armReps());
        s.put("sections", new ArrayList<>(plan.sections()));
        root.put("settings", s);
        Map<String, Object> units = new LinkedHashMap<>();
        units.put("latency, send, wake, rearm, armAll", "ns; latencies one-way, CLOCK_MONOTONIC across processes");
        units.put("rate", "messages per second");
        units.put("threadCpu, processCpu", "fraction of one core");
        units.put("ticks", "1/100 s of CPU time (utime + stime)");
        root.put("units", units);

        List<Object> latency = new ArrayList<>();
        results.latency.forEach((k, l) -> {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("sleeper", k.id());
            r.put("sleepsIn", k.sleeps.replace("`", ""));
            r.put("wokenBy", k.wakes);
            r.putAll(percentiles(l.histogram));
            r.put("asleep", l.asleep);
            r.put("asleepAfterWaitingLonger", l.later);
            r.put("excludedNotAsleep", l.never);
            if (k.isUipc()) {
                r.put("sends", l.sends);
                r.put("channelWakes", l.channelWakes);
            }
            if (k.isLoop()) {
                r.put("countedSamples", l.counted);
                r.put("loopWakes", l.loopWakes);
                r.put("loopRingWakes", l.loopRingWakes);
                r.put("loopParks", l.loopParks);
            }
            latency.add(r);
        });
        root.put("wakeLatency", latency);

        List<Object> streams = new ArrayList<>();
        results.streams.forEach((k, runs) -> {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("consumer", k.consumer().id());
            r.put("size", k.size());
            r.put("medianRate", median(runs, WakeResults.StreamRun::rate));
            List<Object> each = new ArrayList<>();
            for (WakeResults.StreamRun run : runs) {
                Map<String, Object> e = new LinkedHashMap<>();
                e.put("rate", run.rate());
                e.put("channelWakesPerMessage", run.channelWakesPerMessage());
                e.put("loopParksPerMessage", run.loopParksPerMessage());
                e.put("loopWakesPerMessage", run.loopWakesPerMessage());
                e.put("loopRingWakesPerMessage", run.loopRingWakesPerMessage());
                e.put("loopTurnsPerMessage", run.loopTurnsPerMessage());
                each.add(e);
            }
            r.put("runs", each);
            streams.add(r);
        });
        root.put("streaming", streams);

        List<Object> fan = new ArrayList<>();
        results.fanOuts.forEach((k, f) -> {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("row", k.id());
            r.put("receivers", k.receivers());
            r.put("parked", k.parked());
            r.put("batched", k.batched());
            r.put("send", percentiles(f.send));
            r.put("lastReceiverRuns", k.parked() ? percentiles(f.last) : null);
            r.put("sends", f.sends);
            r.put("channelWakes", f.wakes);
            r.put("asleep", f.asleep);
            r.put("asleepAfterWaitingLonger", f.later);
            r.put("excludedNotAsleep", f.never);
            fan.add(r);
        });
        root.put("broadcast", fan);

        List<Object> idle = new ArrayList<>();
        results.idles.forEach((n, i) -> {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("subscriptions", n);
            r.put("wallNanos", i.wallNanos());
            r.put("threadCpuNanos", i.threadCpuNanos());
            r.put("threadCpu", (double) i.threadCpuNanos() / i.wallNanos());
            r.put("threadTicks", i.threadTicks());
            r.put("processTicks", i.processTicks());
            r.put("processCpu", i.processTicks() * 1e7 / i.wallNanos());
            r.put("turnsWhileIdle", i.turns());
            r.put("parksWhileIdle", i.parks());
            r.put("stillPolled", i.polled());
            r.put("setupNanos", i.setupNanos());
            idle.add(r);
        });
        root.put("idle", idle);

        List<Object> vectors = new ArrayList<>();
        results.vectors.forEach((k, v) -> {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("variant", k.equals("wait") ? "FUTEX_WAIT per word" : "FUTEX_WAITV per 128 words");
            r.put("words", plan.subscriptions());
            r.put("armAllNanos", new ArrayList<>(v.arms));
            r.put("armAllMedianNanos", armMedian(v));
            r.put("wake", percentiles(v.latency));
            r.put("rearm", percentiles(v.rearm));
            r.put("asleep", v.asleep);
            r.put("asleepAfterWaitingLonger", v.later);
            r.put("excludedNotAsleep", v.never);
            vectors.add(r);
        });
        root.put("futexWaitv", vectors);
        root.put("futexWaitvConclusion", vectorConclusion());

        List<Object> missing = new ArrayList<>();
        results.failures.forEach((k, why) -> {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("figure", k);
            r.put("reason", why);
            missing.add(r);
        });
        root.put("missing", missing);
        StringBuilder b = new StringBuilder();
        write(b, root, 0);
        return b.append('\n').toString();
    }

    private static Map<String, Object> percentiles(Histogram h) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("samples", h.getTotalCount());
        r.put("p50", pct(h, 50));
        r.put("p90", pct(h, 90));
        r.put("p99", pct(h, 99));
        r.put("p99.9", pct(h, 99.9));
        r.put("max", h.getTotalCount() == 0 ? Double.NaN : (double) h.getMaxValue());
        r.put("mean", h.getTotalCount() == 0 ? Double.NaN : h.getMean());
        return r;
    }

    private static void write(StringBuilder b, Object v, int depth) {
        String indent = "  ".repeat(depth + 1);
        switch (v) {
            case null -> b.append("null");
            case Map<?, ?> map -> {
                if (map.isEmpty()) {
                    b.append("{}");
                    return;
                }
                b.append("{\n");
                int i = 0;
                for (Map.Entry<?, ?> e : map.entrySet()) {
                    b.append(indent).append(JsonReport.q(String.valueOf(e.getKey()))).append(": ");
                    write(b, e.getValue(), depth + 1);
                    b.append(++i < map.size() ? ",\n" : "\n");
                }
                b.append("  ".repeat(depth)).append('}');
            }
            case List<?> list -> {
                if (list.isEmpty()) {
                    b.append("[]");
                    return;
                }
                boolean flat = list.stream().allMatch(x -> x instanceof Number);
                b.append(flat ? "[" : "[\n");
                int i = 0;
                for (Object x : list) {
                    if (!flat) {
                        b.append(indent);
                    }
                    write(b, x, depth + 1);
                    b.append(++i < list.size() ? (flat ? ", " : ",\n") : (flat ? "" : "\n"));
                }
                b.append(flat ? "]" : "  ".repeat(depth) + "]");
            }
            // Six significant digits: enough for a rate, and a per-message fraction keeps its figures.
            case Double d -> b.append(d.isNaN() || d.isInfinite() ? "null"
                    : new java.math.BigDecimal(d).round(new java.math.MathContext(6)).stripTrailingZeros().toPlainString());
            case Number n -> b.append(n);
            case Boolean x -> b.append(x);
            default -> b.append(JsonReport.q(String.valueOf(v)));
        }
    }

    // --- formatting -----------------------------------------------------------------------------

    private static double pct(Histogram h, double p) {
        return h.getTotalCount() == 0 ? Double.NaN : h.getValueAtPercentile(p);
    }

    /** Nanoseconds as microseconds, with as many decimals as are worth reading. */
    static String us(double nanos) {
        if (Double.isNaN(nanos)) {
            return "—";
        }
        double v = nanos / 1000;
        return v < 10 ? String.format("%.2f", v) : v < 100 ? String.format("%.1f", v) : String.format("%,.0f", v);
    }

    private static String rate(double v) {
        return Double.isNaN(v) ? "—" : String.format("%.2f M", v / 1e6);
    }

    private static String times(double v) {
        return Double.isNaN(v) || Double.isInfinite(v) ? "—" : String.format("%.2f×", v);
    }

    private static String count(long n) {
        return String.format("%,d", n);
    }

    private static String size(int bytes) {
        return bytes >= 1024 ? bytes / 1024 + " KiB" : bytes + " B";
    }

    private static String asleep(long atOnce, long later, long never) {
        long total = atOnce + later + never;
        String s = count(atOnce + later) + " of " + count(total);
        if (later > 0) {
            s += " (" + count(later) + " after waiting longer)";
        }
        if (never > 0) {
            s += "; " + count(never) + " excluded: not asleep";
        }
        return s;
    }

    /** A table's head; {@code align} has an 'l' (text) or 'r' (figure) per column. */
    private void tableHead(String align, String... cells) {
        if (align.length() != cells.length) {
            throw new IllegalArgumentException("alignment " + align + " for " + cells.length + " columns");
        }
        row(cells);
        StringBuilder b = new StringBuilder("|");
        for (int i = 0; i < cells.length; i++) {
            b.append(align.charAt(i) == 'l' ? "---|" : "---:|");
        }
        p(b.toString());
    }

    private void row(String... cells) {
        p("| " + String.join(" | ", cells) + " |");
    }

    private void p(String line) {
        md.append(line).append('\n');
    }
}
