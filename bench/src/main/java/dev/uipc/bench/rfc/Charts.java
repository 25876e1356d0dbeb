package dev.uipc.bench.rfc;

import org.knowm.xchart.ChartEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import java.util.function.ToDoubleFunction;

/**
 * The run's charts, drawn with XChart: cost against message size per transport, cost against
 * receivers, and ping-pong percentiles. Logarithmic axes, since the contenders differ by orders
 * of magnitude. Returns the names of the files it wrote; a figure that is missing leaves a gap.
 */
final class Charts {
    private static final int WIDTH = 1000;
    private static final int HEIGHT = 600;

    private final Settings settings;
    private final Results results;
    private final Path folder;
    private final List<String> written = new ArrayList<>();
    /** Series added to the chart being drawn: one with none is not written. */
    private int series;

    Charts(Settings settings, Results results, Path folder) {
        this.settings = settings;
        this.results = results;
        this.folder = folder;
    }

    List<String> draw() {
        if (settings.runs(1)) {
            bySize("p2p-copy.png", "Point to point, copy-out: amortised cost per message", Suite.POINT_TO_POINT_COPY, 1,
                    Measurements.Stream::deliveredNanos);
            bySize("p2p-in-place.png", "Point to point, in place: amortised cost per message",
                    Suite.POINT_TO_POINT_IN_PLACE, 1, Measurements.Stream::deliveredNanos);
        }
        if (settings.runs(2)) {
            bySize("broadcast-16.png", "Broadcast to 16 receivers: sender-side cost per message", Suite.BROADCAST,
                    Suite.BROADCAST_RECEIVERS, Measurements.Stream::senderNanos);
        }
        if (settings.runs(3)) {
            XYChart chart = xy("Scaling at 64 B: sender-side cost per message", "receivers", "ns per message");
            for (Contender c : Suite.SCALING) {
                series(chart, c.label(), Settings.RECEIVERS, r -> key(c, 64, r), Measurements.Stream::senderNanos);
            }
            save(chart, "scaling.png");
        }
        if (settings.runs(4)) {
            XYChart chart = xy("uipc multicast: sender-side cost per message", "receivers", "ns per message");
            for (int size : Settings.MULTICAST_SIZES) {
                series(chart, Report.size(size), Settings.RECEIVERS, r -> key(Suite.UIPC_MULTICAST, size, r),
                        Measurements.Stream::senderNanos);
            }
            save(chart, "multicast.png");
        }
        if (settings.runs(5)) {
            pingPong();
        }
        return written;
    }

    private void bySize(String file, String title, List<Contender> contenders, int receivers,
                        ToDoubleFunction<Measurements.Stream> figure) {
        XYChart chart = xy(title, "message size (bytes)", "ns per message");
        for (Contender c : contenders) {
            series(chart, c.label(), Settings.SIZES, size -> key(c, size, receivers), figure);
        }
        save(chart, file);
    }

    private void pingPong() {
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT + 100)
                .title("Ping-pong at 64 B: one-way latency percentiles").xAxisTitle("").yAxisTitle("ns").build();
        style(chart.getStyler());
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setXAxisLabelRotation(30);
        chart.getStyler().setYAxisDecimalPattern("#,###");
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        List<String> names = new ArrayList<>();
        List<Results.WaitKey> keys = new ArrayList<>();
        for (Suite.Waiting w : Suite.PING_PONG) {
            Results.WaitKey k = new Results.WaitKey(w.contender(), w.waitClass());
            if (results.pingPongs.containsKey(k)) {
                keys.add(k);
                names.add(w.contender().label() + ", " + w.waitLabel());
            }
        }
        if (keys.isEmpty()) {
            return;
        }
        double least = Double.MAX_VALUE;
        for (Results.WaitKey k : keys) {
            least = Math.min(least, Math.max(1, results.pingPongMedian(k, Results.Percentiles::p50)));
        }
        // Bars start at the axis minimum; a logarithmic axis cannot start at 0.
        chart.getStyler().setYAxisMin(Math.pow(10, Math.floor(Math.log10(least))));
        addPercentile(chart, "p50", names, keys, Results.Percentiles::p50);
        addPercentile(chart, "p90", names, keys, Results.Percentiles::p90);
        addPercentile(chart, "p99", names, keys, Results.Percentiles::p99);
        addPercentile(chart, "p99.9", names, keys, Results.Percentiles::p999);
        save(chart, "ping-pong.png");
    }

    private void addPercentile(CategoryChart chart, String name, List<String> names, List<Results.WaitKey> keys,
                               ToDoubleFunction<Results.Percentiles> figure) {
        List<Double> values = new ArrayList<>();
        for (Results.WaitKey k : keys) {
            double v = results.pingPongMedian(k, figure);
            values.add(Double.isNaN(v) ? 1 : Math.max(1, v));
        }
        chart.addSeries(name, names, values);
        series++;
    }

    private XYChart xy(String title, String x, String y) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(x).yAxisTitle(y).build();
        style(chart.getStyler());
        chart.getStyler().setXAxisLogarithmic(true);
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setXAxisDecimalPattern("#,###");
        chart.getStyler().setYAxisDecimalPattern("#,###");
        return chart;
    }

    private static void style(Styler styler) {
        styler.setChartBackgroundColor(java.awt.Color.WHITE);
        styler.setAntiAlias(true);
    }

    private void series(XYChart chart, String name, int[] xs, IntFunction<Results.StreamKey> key,
                        ToDoubleFunction<Measurements.Stream> figure) {
        List<Double> x = new ArrayList<>();
        List<Double> y = new ArrayList<>();
        for (int v : xs) {
            double m = results.streamMedian(key.apply(v), figure);
            if (!Double.isNaN(m) && m > 0) {
                x.add((double) v);
                y.add(m);
            }
        }
        if (!x.isEmpty()) {
            chart.addSeries(name, x, y);
            series++;
        }
    }

    private Results.StreamKey key(Contender c, int size, int receivers) {
        return new Results.StreamKey(c, size, receivers, settings.waitClass());
    }

    private void save(Chart<?, ?> chart, String file) {
        if (series == 0) {
            return;
        }
        series = 0;
        try {
            ChartEncoder.saveChart(chart, folder.resolve(file).toString(), "png");
            written.add(file);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + file, e);
        }
    }
}
