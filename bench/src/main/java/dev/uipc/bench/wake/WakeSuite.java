package dev.uipc.bench.wake;

import dev.uipc.bench.rfc.Args;
import dev.uipc.bench.rfc.BenchFailure;
import dev.uipc.bench.rfc.Progress;
import dev.uipc.bench.rfc.WorkerProcess;
import dev.uipc.channel.Channel;
import dev.uipc.channel.Mode;
import org.HdrHistogram.Histogram;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.DataFormatException;

/**
 * Makes the measurements of {@code bench/run wake} in their order: within each run, every row of
 * a section once, so that each meets the same background as its rivals. A measurement that fails
 * kills the workers, records why, and the run goes on with fresh ones.
 */
final class WakeSuite {
    private static final long SETUP = TimeUnit.SECONDS.toNanos(60);
    /**
     * The run before the counted ones in sections 1, 3 and 5: every row once, nothing counted, so
     * that each worker's code for every row is compiled, and the JIT threads of freshly started
     * JVMs have gone quiet, before any sample counts.
     */
    private static final int WARM_UP = -1;
    static final int[] STREAM_SIZES = {64, 4096};
    static final int[] IDLE_SUBSCRIPTIONS = {1, 1000};

    private final WakePlan plan;
    private final WakeSession session;
    private final WakeResults results;
    private Progress progress;
    private long seed = 0x7a4e_5eedL;

    WakeSuite(WakePlan plan, WakeSession session, WakeResults results) {
        this.plan = plan;
        this.session = session;
        this.results = results;
    }

    static List<WakeResults.FanKey> fanKeys() {
        List<WakeResults.FanKey> keys = new ArrayList<>();
        keys.add(new WakeResults.FanKey(1, false, true));
        for (int n : new int[] {1, 4, 16}) {
            keys.add(new WakeResults.FanKey(n, true, true));
            keys.add(new WakeResults.FanKey(n, true, false));
        }
        return keys;
    }

    void run() {
        int planned = 0;
        if (plan.runs(1)) {
            planned += (1 + plan.runs()) * WakeResults.Sleeper.values().length;
        }
        if (plan.runs(2)) {
            planned += plan.streamRuns() * STREAM_SIZES.length * WakeResults.Consumer.values().length;
        }
        if (plan.runs(3)) {
            planned += (1 + plan.runs()) * fanKeys().size();
        }
        if (plan.runs(4)) {
            planned += IDLE_SUBSCRIPTIONS.length;
        }
        if (plan.runs(5)) {
            planned += (1 + plan.runs()) * 2;
        }
        progress = new Progress(planned);
        session.ensure(WakeSession.Role.values());
        if (plan.runs(1)) {
            for (WakeResults.Sleeper s : WakeResults.Sleeper.values()) {
                results.planned.add(name(s));
            }
            for (int run = WARM_UP; run < plan.runs(); run++) {
                for (WakeResults.Sleeper s : WakeResults.Sleeper.values()) {
                    int r = run;
                    measure(name(s), () -> latency(s, r), r == WARM_UP);
                }
            }
        }
        if (plan.runs(2)) {
            for (int size : STREAM_SIZES) {
                for (WakeResults.Consumer c : WakeResults.Consumer.values()) {
                    results.planned.add(name(c, size));
                }
                for (int run = 0; run < plan.streamRuns(); run++) {
                    for (WakeResults.Consumer c : WakeResults.Consumer.values()) {
                        measure(name(c, size), () -> stream(c, size));
                    }
                }
            }
        }
        if (plan.runs(3)) {
            for (WakeResults.FanKey k : fanKeys()) {
                results.planned.add(name(k));
            }
            for (int run = WARM_UP; run < plan.runs(); run++) {
                for (WakeResults.FanKey k : fanKeys()) {
                    int r = run;
                    measure(name(k), () -> fanOut(k, r), r == WARM_UP);
                }
            }
        }
        if (plan.runs(4)) {
            for (int n : IDLE_SUBSCRIPTIONS) {
                int subscriptions = n == 1 ? 1 : plan.subscriptions();
                results.planned.add(idleName(subscriptions));
                measure(idleName(subscriptions), () -> idle(subscriptions));
            }
        }
        if (plan.runs(5)) {
            for (String v : List.of("wait", "waitv")) {
                results.planned.add(name(v));
            }
            for (int run = WARM_UP; run < plan.runs(); run++) {
                for (String v : List.of("wait", "waitv")) {
                    int r = run;
                    measure(name(v), () -> vector(v, r), r == WARM_UP);
                }
            }
        }
    }

    static String name(WakeResults.Sleeper s) {
        return "1. wake latency, " + s.id();
    }

    static String name(WakeResults.Consumer c, int size) {
        return "2. streaming " + size + " B, " + c.id();
    }

    static String name(WakeResults.FanKey k) {
        return "3. broadcast, " + k.id();
    }

    static String idleName(int subscriptions) {
        return "4. idle loop, " + subscriptions + " subscriptions";
    }

    static String name(String variant) {
        return "5. " + (variant.equals("wait") ? "FUTEX_WAIT per word" : "FUTEX_WAITV per 128 words");
    }

    /** Runs one measurement; a failure is recorded against {@code what} (once), and the workers start afresh. */
    private void measure(String what, java.util.function.Supplier<String> measurement) {
        measure(what, measurement, false);
    }

    private void measure(String what, java.util.function.Supplier<String> measurement, boolean warmUp) {
        if (results.failures.containsKey(what)) {
            progress.failed(what, "skipped: failed in an earlier run");
            return;
        }
        try {
            String figure = measurement.get();
            progress.done(what, warmUp ? "warm-up pass, nothing counted" : figure);
        } catch (RuntimeException e) {
            session.reset();
            String why = e instanceof BenchFailure ? e.getMessage() : e.toString();
            results.failures.put(what, why);
            progress.failed(what, why);
        }
    }

    // --- 1 --------------------------------------------------------------------------------------

    private String latency(WakeResults.Sleeper s, int run) {
        int warmup = run == WARM_UP ? plan.firstWarmup() : plan.warmup();
        int samples = run == WARM_UP ? 0 : plan.samplesPerRun();
        int total = warmup + samples;
        Channel channel = s.isUipc() ? session.create(Mode.UNICAST, WakeWorker.MESSAGE, 1024, 4) : null;
        try {
            Path mailbox = session.mailbox();
            WorkerProcess sleeper = session.worker(s.role);
            WorkerProcess waker = session.worker(WakeSession.Role.WAKER);
            long deadline = System.nanoTime() + SETUP;
            Args.Builder common = Args.of("x").with("kind", s.kind).with("mailbox", mailbox).with("warmup", warmup)
                    .with("samples", samples);
            if (channel != null) {
                common.with("socket", session.socket()).with("key", channel.key());
            }
            String words = common.line().substring(1);
            sleeper.send("sleep" + words);
            Map<String, String> ready = values(sleeper.await("ready", deadline));
            waker.send("wake" + words + " pid=" + ready.get("pid") + " tid=" + ready.get("tid") + " seed=" + seed++
                    + (ready.containsKey("fd") ? " fd=" + ready.get("fd") : ""));
            waker.await("ready", deadline);
            waker.send("go");
            deadline = System.nanoTime() + SETUP + total * TimeUnit.MILLISECONDS.toNanos(50);
            Map<String, String> woke = values(waker.await("done", deadline));
            Map<String, String> slept = values(sleeper.await("done", deadline));
            waker.await("closed", deadline);
            sleeper.await("closed", deadline);
            WakeResults.Latency l = results.latency.computeIfAbsent(s, k -> new WakeResults.Latency());
            Histogram h = decode(slept.get("hist"));
            l.histogram.add(h);
            l.asleep += Long.parseLong(woke.get("asleep"));
            l.later += Long.parseLong(woke.get("later"));
            l.never += Long.parseLong(woke.get("never"));
            l.runs++;
            if (channel != null) {
                l.sends += total;
                l.channelWakes += session.wakes(channel);
            }
            if (s.isLoop()) {
                l.counted += samples;
                l.loopWakes += Long.parseLong(slept.get("wakes"));
                l.loopRingWakes += Long.parseLong(slept.get("ringWakes"));
                l.loopParks += Long.parseLong(slept.get("parks"));
            }
            return String.format("p50 %.1f us, p99 %.1f us (%d samples)%s", h.getValueAtPercentile(50) / 1e3,
                    h.getValueAtPercentile(99) / 1e3, h.getTotalCount(),
                    s.isLoop() ? ", loop wakes " + slept.get("wakes") + " (by ring " + slept.get("ringWakes") + ")" : "");
        } finally {
            if (channel != null) {
                channel.close();
            }
        }
    }

    // --- 2 --------------------------------------------------------------------------------------

    private String stream(WakeResults.Consumer c, int size) {
        long count = plan.messages(size);
        long warmup = Math.max(1, count / 2);
        Channel channel = session.create(Mode.UNICAST, size, 1024, 4);
        try {
            WorkerProcess consumer = session.worker(c.role);
            WorkerProcess producer = session.worker(WakeSession.Role.WAKER);
            long deadline = System.nanoTime() + SETUP;
            consumer.send(Args.of("consume").with("mode", c.mode).with("socket", session.socket())
                    .with("key", channel.key()).with("size", size).line());
            consumer.await("ready", deadline);
            producer.send(Args.of("produce").with("socket", session.socket()).with("key", channel.key())
                    .with("size", size).with("warmup", warmup).with("count", count).line());
            producer.await("ready", deadline);
            consumer.send("go");
            producer.send("go");
            deadline = System.nanoTime() + phaseDeadline(warmup, size);
            producer.await("warm-sent", deadline);
            consumer.await("warm", deadline);
            long wakes = session.wakes(channel);
            producer.send("go");
            deadline = System.nanoTime() + phaseDeadline(count, size);
            Map<String, String> sent = values(producer.await("sent", deadline));
            Map<String, String> done = values(consumer.await("done", deadline));
            wakes = session.wakes(channel) - wakes;
            producer.await("closed", deadline);
            consumer.await("closed", deadline);
            long got = Long.parseLong(done.get("count"));
            long sum = Long.parseLong(done.get("sum"));
            if (got != count || sum != count * (count - 1) / 2) {
                throw new BenchFailure(c.id() + " lost, repeated or tore messages: got " + got + " adding up to " + sum
                        + ", sent " + count + " adding up to " + count * (count - 1) / 2);
            }
            long nanos = Long.parseLong(done.get("end")) - Long.parseLong(sent.get("t0"));
            double rate = count * 1e9 / nanos;
            double n = count;
            WakeResults.StreamRun r = c.isLoop()
                    ? new WakeResults.StreamRun(rate, wakes / n, Long.parseLong(done.get("parks")) / n,
                            Long.parseLong(done.get("wakes")) / n, Long.parseLong(done.get("ringWakes")) / n,
                            Long.parseLong(done.get("turns")) / n)
                    : new WakeResults.StreamRun(rate, wakes / n, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
            results.streams.computeIfAbsent(new WakeResults.StreamKey(c, size), k -> new ArrayList<>()).add(r);
            return String.format("%,.0f messages/s", rate);
        } finally {
            channel.close();
        }
    }

    /** Time for a phase of {@code count} messages: generous, a hang's bound, not a speed. */
    private static long phaseDeadline(long count, int size) {
        return TimeUnit.SECONDS.toNanos(120) + count * (TimeUnit.MICROSECONDS.toNanos(20) + size * 10L);
    }

    // --- 3 --------------------------------------------------------------------------------------

    private String fanOut(WakeResults.FanKey k, int run) {
        int warmup = run == WARM_UP ? plan.firstWarmup() : plan.warmup();
        int samples = run == WARM_UP ? 0 : plan.samplesPerRun();
        int total = warmup + samples;
        Channel channel = session.create(Mode.BROADCAST, WakeWorker.MESSAGE, 1024, k.receivers() + 2);
        try {
            Path mailbox = session.mailbox();
            WorkerProcess receivers = session.worker(WakeSession.Role.SLEEPER);
            WorkerProcess sender = session.worker(k.batched() ? WakeSession.Role.WAKER_BATCHED
                    : WakeSession.Role.WAKER_UNBATCHED);
            long deadline = System.nanoTime() + SETUP;
            String words = Args.of("x").with("receivers", k.receivers()).with("socket", session.socket())
                    .with("key", channel.key()).with("mailbox", mailbox).with("warmup", warmup).with("samples", samples)
                    .line().substring(1);
            receivers.send("fan-recv" + words + " mode=" + (k.parked() ? "park" : "poll"));
            Map<String, String> ready = values(receivers.await("ready", deadline));
            sender.send("fan-send" + words + " pid=" + ready.get("pid") + " seed=" + seed++
                    + (k.parked() ? " tids=" + ready.get("tids") : ""));
            sender.await("ready", deadline);
            sender.send("go");
            deadline = System.nanoTime() + SETUP + total * TimeUnit.MILLISECONDS.toNanos(50);
            Map<String, String> done = values(sender.await("done", deadline));
            receivers.await("done", deadline);
            sender.await("closed", deadline);
            receivers.await("closed", deadline);
            WakeResults.FanOut f = results.fanOuts.computeIfAbsent(k, x -> new WakeResults.FanOut());
            Histogram send = decode(done.get("send"));
            f.send.add(send);
            f.last.add(decode(done.get("last")));
            f.asleep += Long.parseLong(done.get("asleep"));
            f.later += Long.parseLong(done.get("later"));
            f.never += Long.parseLong(done.get("never"));
            long wakes = session.wakes(channel);
            f.sends += total;
            f.wakes += wakes;
            return String.format("send p50 %.2f us, %.2f wakes per send", send.getValueAtPercentile(50) / 1e3,
                    (double) wakes / total);
        } finally {
            channel.close();
        }
    }

    // --- 4 --------------------------------------------------------------------------------------

    private String idle(int subscriptions) {
        Channel channel = session.create(Mode.UNICAST, WakeWorker.MESSAGE, 16, subscriptions + 1);
        try {
            WorkerProcess sleeper = session.worker(WakeSession.Role.SLEEPER);
            sleeper.send(Args.of("idle").with("subscriptions", subscriptions).with("millis", plan.idleMillis())
                    .with("socket", session.socket()).with("key", channel.key()).line());
            long deadline = System.nanoTime() + SETUP + subscriptions * TimeUnit.MILLISECONDS.toNanos(50)
                    + TimeUnit.MILLISECONDS.toNanos(plan.idleMillis());
            Map<String, String> d = values(sleeper.await("done", deadline));
            sleeper.await("closed", deadline);
            WakeResults.Idle idle = new WakeResults.Idle(subscriptions, Long.parseLong(d.get("wall")),
                    Long.parseLong(d.get("threadCpu")), Long.parseLong(d.get("threadTicks")),
                    Long.parseLong(d.get("processTicks")), Long.parseLong(d.get("turns")), Long.parseLong(d.get("parks")),
                    d.get("polled"), Long.parseLong(d.get("setup")));
            results.idles.put(subscriptions, idle);
            return String.format("loop thread %.3f%% of a core, process %.2f%%, %d turns",
                    100.0 * idle.threadCpuNanos() / idle.wallNanos(), 100.0 * idle.processTicks() * 1e7 / idle.wallNanos(),
                    idle.turns());
        } finally {
            channel.close();
        }
    }

    // --- 5 --------------------------------------------------------------------------------------

    private String vector(String variant, int run) {
        int warmup = run == WARM_UP ? plan.firstWarmup() : plan.warmup();
        int samples = run == WARM_UP ? 0 : plan.samplesPerRun();
        int total = warmup + samples;
        Path mailbox = session.mailbox();
        WorkerProcess sleeper = session.worker(WakeSession.Role.SLEEPER);
        WorkerProcess waker = session.worker(WakeSession.Role.WAKER);
        long deadline = System.nanoTime() + SETUP;
        String words = Args.of("x").with("words", plan.subscriptions()).with("mailbox", mailbox).with("warmup", warmup)
                .with("samples", samples).line().substring(1);
        sleeper.send("futexv-sleep" + words + " variant=" + variant + " reps=" + plan.armReps());
        Map<String, String> ready = values(sleeper.await("ready", deadline));
        waker.send("futexv-wake" + words + " pid=" + ready.get("pid") + " tid=" + ready.get("tid") + " seed=" + seed++);
        waker.await("ready", deadline);
        waker.send("go");
        deadline = System.nanoTime() + SETUP + total * TimeUnit.MILLISECONDS.toNanos(50);
        Map<String, String> woke = values(waker.await("done", deadline));
        Map<String, String> slept = values(sleeper.await("done", deadline));
        waker.await("closed", deadline);
        sleeper.await("closed", deadline);
        WakeResults.Vector v = results.vectors.computeIfAbsent(variant, x -> new WakeResults.Vector());
        Histogram latency = decode(slept.get("latency"));
        v.latency.add(latency);
        v.rearm.add(decode(slept.get("rearm")));
        if (run != WARM_UP) {
            for (String a : ready.get("arm").split(",")) {
                v.arms.add(Long.parseLong(a));
            }
        }
        v.asleep += Long.parseLong(woke.get("asleep"));
        v.later += Long.parseLong(woke.get("later"));
        v.never += Long.parseLong(woke.get("never"));
        double[] arms = java.util.Arrays.stream(ready.get("arm").split(",")).mapToDouble(Double::parseDouble).toArray();
        return String.format("wake p50 %.1f us, arming all %d words %.1f us (median)", latency.getValueAtPercentile(50) / 1e3,
                plan.subscriptions(), WakeResults.median(arms) / 1e3);
    }

    // --- plumbing -------------------------------------------------------------------------------

    /** A worker's answer words, {@code key=value} each, as a map (a value may hold '=', as base64 does). */
    private static Map<String, String> values(String[] words) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String w : words) {
            int eq = w.indexOf('=');
            if (eq > 0) {
                m.put(w.substring(0, eq), w.substring(eq + 1));
            }
        }
        return m;
    }

    private static Histogram decode(String base64) {
        if (base64 == null) {
            throw new BenchFailure("a worker's answer lacked a histogram");
        }
        try {
            return Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(Base64.getDecoder().decode(base64)), 0);
        } catch (DataFormatException e) {
            throw new BenchFailure("a worker sent a histogram that does not decode: " + e.getMessage());
        }
    }
}
