package dev.uipc.bench.rfc;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/** Every figure of one run, kept per measurement run so that the report can take medians and JSON keeps all. */
final class Results {
    /** Which stream measurement: the same point may serve several sections (16 receivers at 64 B serves 2 and 3). */
    record StreamKey(Contender contender, int size, int receivers, Wait waitClass) {
    }

    /** Which ping-pong or idle measurement. */
    record WaitKey(Contender contender, Wait waitClass) {
    }

    /** The ping-pong percentiles of one run, in nanoseconds. */
    record Percentiles(double p50, double p90, double p99, double p999, double max, long samples,
                       double pingerBytes, double pongerBytes) {
    }

    final Map<StreamKey, List<Measurements.Stream>> streams = new LinkedHashMap<>();
    final Map<WaitKey, List<Percentiles>> pingPongs = new LinkedHashMap<>();
    final Map<WaitKey, List<Measurements.Idle>> idles = new LinkedHashMap<>();
    /** Why a figure is missing, by its key. */
    final Map<Object, String> failures = new LinkedHashMap<>();
    /** Every figure the plan asked for, so that a missing one is noticed. */
    final List<Object> expected = new ArrayList<>();

    void expect(Object key) {
        if (!expected.contains(key)) {
            expected.add(key);
        }
    }

    /** Keys of expected figures that no run produced. */
    List<Object> missing() {
        List<Object> missing = new ArrayList<>();
        for (Object key : expected) {
            boolean present = switch (key) {
                case StreamKey k -> streams.containsKey(k);
                case WaitKey k -> pingPongs.containsKey(k) || idles.containsKey(k);
                default -> false;
            };
            if (!present) {
                missing.add(key);
            }
        }
        return missing;
    }

    /** The median over runs of one stream figure, or NaN if there is none. */
    double streamMedian(StreamKey key, ToDoubleFunction<Measurements.Stream> figure) {
        List<Measurements.Stream> runs = streams.get(key);
        return runs == null ? Double.NaN : median(runs.stream().mapToDouble(figure).toArray());
    }

    /** The largest value over runs of one stream figure (for allocation: the worst is the honest summary). */
    double streamMax(StreamKey key, ToDoubleFunction<Measurements.Stream> figure) {
        List<Measurements.Stream> runs = streams.get(key);
        return runs == null ? Double.NaN : runs.stream().mapToDouble(figure).max().orElse(Double.NaN);
    }

    /** The spread of one stream figure over runs: largest / smallest. */
    double streamSpread(StreamKey key, ToDoubleFunction<Measurements.Stream> figure) {
        List<Measurements.Stream> runs = streams.get(key);
        if (runs == null || runs.isEmpty()) {
            return Double.NaN;
        }
        double[] v = runs.stream().mapToDouble(figure).toArray();
        return Arrays.stream(v).max().getAsDouble() / Arrays.stream(v).min().getAsDouble();
    }

    double pingPongMedian(WaitKey key, ToDoubleFunction<Percentiles> figure) {
        List<Percentiles> runs = pingPongs.get(key);
        return runs == null ? Double.NaN : median(runs.stream().mapToDouble(figure).toArray());
    }

    double idleMedian(WaitKey key, ToDoubleFunction<Measurements.Idle> figure) {
        List<Measurements.Idle> runs = idles.get(key);
        return runs == null ? Double.NaN : median(runs.stream().mapToDouble(figure).toArray());
    }

    static double median(double[] values) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
