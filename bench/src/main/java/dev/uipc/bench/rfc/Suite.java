package dev.uipc.bench.rfc;

import org.HdrHistogram.Histogram;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static dev.uipc.bench.rfc.Transport.AERON_CONCURRENT;
import static dev.uipc.bench.rfc.Transport.AERON_EXCLUSIVE;
import static dev.uipc.bench.rfc.Transport.AGRONA_BROADCAST;
import static dev.uipc.bench.rfc.Transport.AGRONA_MANY_TO_ONE;
import static dev.uipc.bench.rfc.Transport.AGRONA_ONE_TO_ONE;
import static dev.uipc.bench.rfc.Transport.PIPE;
import static dev.uipc.bench.rfc.Transport.SHM_EVENTFD;
import static dev.uipc.bench.rfc.Transport.UIPC;
import static dev.uipc.bench.rfc.Transport.UNIX_SOCKET;

/**
 * The seven sections of the report, as measurements: what each table compares, in which order,
 * and how often. Every run visits every point of a section once, contender after contender at
 * each size, so that a contender meets the same background load as its rivals; the report takes
 * the median over runs.
 */
final class Suite {
    /** Section 1a: copy-out receivers. Pipes and sockets can only copy. */
    static final List<Contender> POINT_TO_POINT_COPY = List.of(
            Contender.copying(PIPE), Contender.copying(UNIX_SOCKET), Contender.copying(SHM_EVENTFD),
            Contender.copying(UIPC), Contender.copying(AERON_EXCLUSIVE), Contender.copying(AERON_CONCURRENT),
            Contender.copying(AGRONA_ONE_TO_ONE), Contender.copying(AGRONA_MANY_TO_ONE));
    /** Section 1b: receivers that read each message where it lies. */
    static final List<Contender> POINT_TO_POINT_IN_PLACE = List.of(
            Contender.inPlace(UIPC), Contender.inPlace(AERON_EXCLUSIVE), Contender.inPlace(AERON_CONCURRENT),
            Contender.inPlace(AGRONA_ONE_TO_ONE), Contender.inPlace(AGRONA_MANY_TO_ONE));
    /** Section 2: one sender, 16 receivers, every receiver gets every message. */
    static final List<Contender> BROADCAST = List.of(
            Contender.fanOut(PIPE, Delivery.BROADCAST), Contender.fanOut(UNIX_SOCKET, Delivery.BROADCAST),
            Contender.fanOut(SHM_EVENTFD, Delivery.BROADCAST), Contender.fanOut(UIPC, Delivery.BROADCAST),
            Contender.fanOut(AERON_EXCLUSIVE, Delivery.BROADCAST), Contender.fanOut(AGRONA_BROADCAST, Delivery.BROADCAST));
    /** Section 3: the RFC's scaling table. */
    static final List<Contender> SCALING = List.of(
            Contender.fanOut(PIPE, Delivery.BROADCAST), Contender.fanOut(UNIX_SOCKET, Delivery.BROADCAST),
            Contender.fanOut(SHM_EVENTFD, Delivery.BROADCAST), Contender.fanOut(UIPC, Delivery.BROADCAST),
            Contender.fanOut(UIPC, Delivery.MULTICAST));
    static final Contender UIPC_MULTICAST = Contender.fanOut(UIPC, Delivery.MULTICAST);
    static final int BROADCAST_RECEIVERS = 16;

    /** Section 5: a contender and the wait it is measured with. */
    record Waiting(Contender contender, Wait waitClass) {
        /** How this contender waits, in its own terms: "blocking read(2)", "BackoffIdleStrategy", "busy spin" ... */
        String waitLabel() {
            Transport t = contender.transport();
            if (t == Transport.PIPE || t == Transport.UNIX_SOCKET) {
                return "blocking read(2)";
            }
            if (t == Transport.SHM_EVENTFD && waitClass != Wait.SPIN) {
                return waitClass == Wait.PARK ? "eventfd read(2)" : "spin, then eventfd";
            }
            if (t.isAeron() || t == Transport.AGRONA_ONE_TO_ONE || t == Transport.AGRONA_MANY_TO_ONE
                    || t == Transport.AGRONA_BROADCAST) {
                return waitClass == Wait.SPIN ? "BusySpinIdleStrategy" : "BackoffIdleStrategy";
            }
            return waitClass.label();
        }
    }

    static final List<Waiting> PING_PONG = List.of(
            new Waiting(Contender.copying(UIPC), Wait.SPIN),
            new Waiting(Contender.copying(AERON_EXCLUSIVE), Wait.SPIN),
            new Waiting(Contender.copying(SHM_EVENTFD), Wait.SPIN),
            new Waiting(Contender.copying(UIPC), Wait.SPIN_THEN_PARK),
            new Waiting(Contender.copying(AERON_EXCLUSIVE), Wait.SPIN_THEN_PARK),
            new Waiting(Contender.copying(UIPC), Wait.PARK),
            new Waiting(Contender.copying(UIPC), Wait.PARK_IO_URING),
            new Waiting(Contender.copying(SHM_EVENTFD), Wait.PARK),
            new Waiting(Contender.copying(PIPE), Wait.PARK),
            new Waiting(Contender.copying(UNIX_SOCKET), Wait.PARK));
    /** Section 6. */
    static final List<Waiting> IDLE = List.of(
            new Waiting(Contender.copying(UIPC), Wait.SPIN),
            new Waiting(Contender.copying(UIPC), Wait.SPIN_THEN_PARK),
            new Waiting(Contender.copying(UIPC), Wait.PARK),
            new Waiting(Contender.copying(UIPC), Wait.PARK_IO_URING),
            new Waiting(Contender.copying(AERON_EXCLUSIVE), Wait.SPIN),
            new Waiting(Contender.copying(AERON_EXCLUSIVE), Wait.SPIN_THEN_PARK),
            new Waiting(Contender.copying(SHM_EVENTFD), Wait.PARK),
            new Waiting(Contender.copying(PIPE), Wait.PARK));

    private final Settings settings;
    private final Measurements measurements;
    private final Results results = new Results();
    private final Progress progress;

    Suite(Settings settings, Measurements measurements) {
        this.settings = settings;
        this.measurements = measurements;
        this.progress = new Progress(plannedMeasurements());
    }

    /** A stream point of one section, in the order runs visit them. */
    private record Point(int section, Results.StreamKey key) {
    }

    private List<Point> streamPoints() {
        List<Point> points = new ArrayList<>();
        Wait w = settings.waitClass();
        if (settings.runs(1)) {
            for (int size : Settings.SIZES) {
                for (Contender c : POINT_TO_POINT_COPY) {
                    points.add(new Point(1, new Results.StreamKey(c, size, 1, w)));
                }
                for (Contender c : POINT_TO_POINT_IN_PLACE) {
                    points.add(new Point(1, new Results.StreamKey(c, size, 1, w)));
                }
            }
        }
        if (settings.runs(2)) {
            for (int size : Settings.SIZES) {
                for (Contender c : BROADCAST) {
                    points.add(new Point(2, new Results.StreamKey(c, size, BROADCAST_RECEIVERS, w)));
                }
            }
        }
        if (settings.runs(3)) {
            for (int n : Settings.RECEIVERS) {
                for (Contender c : SCALING) {
                    points.add(new Point(3, new Results.StreamKey(c, 64, n, w)));
                }
            }
        }
        if (settings.runs(4)) {
            for (int size : Settings.MULTICAST_SIZES) {
                for (int n : Settings.RECEIVERS) {
                    points.add(new Point(4, new Results.StreamKey(UIPC_MULTICAST, size, n, w)));
                }
            }
        }
        // Section 7 reads sections 1 and 5; alone, it needs section 1's copying points.
        if (settings.runs(7) && !settings.runs(1)) {
            for (int size : Settings.SIZES) {
                for (Contender c : POINT_TO_POINT_COPY) {
                    points.add(new Point(7, new Results.StreamKey(c, size, 1, w)));
                }
            }
        }
        return points;
    }

    private int plannedMeasurements() {
        Set<Results.StreamKey> unique = new HashSet<>();
        for (Point p : streamPoints()) {
            unique.add(p.key());
        }
        int n = unique.size() * settings.runs();
        if (settings.runs(5)) {
            n += PING_PONG.size() * settings.runs();
        }
        if (settings.runs(6)) {
            n += IDLE.size();
        }
        return n;
    }

    Results run() {
        List<Point> points = streamPoints();
        for (Point p : points) {
            results.expect(p.key());
        }
        for (int run = 1; run <= settings.runs(); run++) {
            Set<Results.StreamKey> done = new HashSet<>();
            for (Point p : points) {
                if (done.add(p.key())) {
                    stream(p, run);
                }
            }
            if (settings.runs(5)) {
                for (Waiting w : PING_PONG) {
                    pingPong(w, run);
                }
            }
        }
        if (settings.runs(6)) {
            for (Waiting w : IDLE) {
                idle(w);
            }
        }
        return results;
    }

    private void stream(Point p, int run) {
        Results.StreamKey k = p.key();
        String what = String.format("section %d, run %d/%d: %s, %,d B, %d receiver%s", p.section(), run, settings.runs(),
                k.contender().label(), k.size(), k.receivers(), k.receivers() == 1 ? "" : "s");
        try {
            Measurements.Stream s = measurements.stream(k.contender(), k.size(), k.receivers(), k.waitClass(),
                    settings.warmup(k.size(), k.receivers()), settings.count(k.size(), k.receivers()));
            results.streams.computeIfAbsent(k, x -> new ArrayList<>()).add(s);
            progress.done(what, String.format("%,.0f ns/msg sender-side, %,.0f delivered%s", s.senderNanos(),
                    s.deliveredNanos(), s.delivered() < 1 ? String.format(", %.1f%% delivered", 100 * s.delivered()) : ""));
        } catch (BenchFailure e) {
            results.failures.put(k, e.getMessage());
            progress.failed(what, e.getMessage());
        }
    }

    private void pingPong(Waiting w, int run) {
        Results.WaitKey k = new Results.WaitKey(w.contender(), w.waitClass());
        results.expect(k);
        String what = String.format("section 5, run %d/%d: ping-pong %s, %s", run, settings.runs(), w.contender().label(),
                w.waitLabel());
        try {
            Measurements.PingPong pp = measurements.pingPong(w.contender(), w.waitClass(), Settings.PING_PONG_SIZE,
                    settings.pingPongWarmup(), settings.pingPongCount());
            Histogram h = pp.oneWay();
            Results.Percentiles p = new Results.Percentiles(h.getValueAtPercentile(50), h.getValueAtPercentile(90),
                    h.getValueAtPercentile(99), h.getValueAtPercentile(99.9), h.getMaxValue(), h.getTotalCount(),
                    pp.pingerBytes(), pp.pongerBytes());
            results.pingPongs.computeIfAbsent(k, x -> new ArrayList<>()).add(p);
            progress.done(what, String.format("p50 %,.0f ns, p99 %,.0f ns one-way", p.p50(), p.p99()));
        } catch (BenchFailure e) {
            results.failures.put(k, e.getMessage());
            progress.failed(what, e.getMessage());
        }
    }

    private void idle(Waiting w) {
        Results.WaitKey k = new Results.WaitKey(w.contender(), w.waitClass());
        results.expect(k);
        String what = String.format("section 6: idle %s, %s, %,d ms", w.contender().label(), w.waitLabel(),
                settings.idleMillis());
        try {
            Measurements.Idle idle = measurements.idle(w.contender(), w.waitClass(), settings.idleMillis());
            results.idles.computeIfAbsent(k, x -> new ArrayList<>()).add(idle);
            progress.done(what, String.format("%.1f%% of a core (process), %.1f%% (waiting thread)",
                    100 * idle.processCpu(), 100 * idle.threadCpu()));
        } catch (BenchFailure e) {
            results.failures.put(k, e.getMessage());
            progress.failed(what, e.getMessage());
        }
    }
}
