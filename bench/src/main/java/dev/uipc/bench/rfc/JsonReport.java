package dev.uipc.bench.rfc;

import java.util.List;
import java.util.Map;

/** The raw figures of one run as JSON: every run of every measurement, not only the medians. */
public final class JsonReport {
    private final StringBuilder json = new StringBuilder();

    String render(Settings settings, Machine machine, String loadAfter, Results results) {
        json.append("{\n");
        field(1, "machine");
        json.append("{");
        json.append(q("cores")).append(": ").append(machine.cores()).append(", ");
        json.append(q("cpu")).append(": ").append(q(machine.cpu())).append(", ");
        json.append(q("kernel")).append(": ").append(q(machine.kernel())).append(", ");
        json.append(q("jdk")).append(": ").append(q(machine.jdk())).append(", ");
        json.append(q("memory")).append(": ").append(q(machine.memory())).append(", ");
        json.append(q("loadBefore")).append(": ").append(q(machine.loadBefore())).append(", ");
        json.append(q("loadAfter")).append(": ").append(q(loadAfter)).append(", ");
        json.append(q("started")).append(": ").append(q(machine.started())).append(", ");
        json.append(q("commit")).append(": ").append(q(machine.commit())).append("},\n");
        field(1, "settings");
        json.append("{").append(q("command")).append(": ").append(q(settings.command())).append(", ")
                .append(q("quick")).append(": ").append(settings.quick()).append(", ")
                .append(q("runs")).append(": ").append(settings.runs()).append(", ")
                .append(q("streamingWait")).append(": ").append(q(settings.waitClass().id())).append(", ")
                .append(q("entries")).append(": ").append(settings.entries()).append(", ")
                .append(q("aeronTermLength")).append(": ").append(settings.aeronTermLength()).append(", ")
                .append(q("idleMillis")).append(": ").append(settings.idleMillis()).append("},\n");
        field(1, "units");
        json.append("{").append(q("senderNanos")).append(": ").append(q("ns per message, sender's first to last send"))
                .append(", ").append(q("deliveredNanos")).append(": ")
                .append(q("ns per message, sender's first send until the last receiver has the last message"))
                .append(", ").append(q("latency")).append(": ").append(q("one-way ns, CLOCK_MONOTONIC across processes"))
                .append(", ").append(q("cpu")).append(": ").append(q("fraction of one core"))
                .append(", ").append(q("bytes")).append(": ").append(q("heap bytes allocated per message"))
                .append("},\n");

        field(1, "streams");
        json.append("[\n");
        int i = 0;
        for (Map.Entry<Results.StreamKey, List<Measurements.Stream>> e : results.streams.entrySet()) {
            Results.StreamKey k = e.getKey();
            json.append("    {").append(contender(k.contender())).append(", ")
                    .append(q("size")).append(": ").append(k.size()).append(", ")
                    .append(q("receivers")).append(": ").append(k.receivers()).append(", ")
                    .append(q("wait")).append(": ").append(q(k.waitClass().id())).append(", ")
                    .append(q("runs")).append(": [");
            int j = 0;
            for (Measurements.Stream s : e.getValue()) {
                json.append(j++ == 0 ? "" : ", ").append("{").append(q("senderNanos")).append(": ").append(num(s.senderNanos()))
                        .append(", ").append(q("deliveredNanos")).append(": ").append(num(s.deliveredNanos()))
                        .append(", ").append(q("senderBytes")).append(": ").append(num(s.senderBytes()))
                        .append(", ").append(q("receiverBytes")).append(": ").append(num(s.receiverBytes()))
                        .append(", ").append(q("delivered")).append(": ").append(num(s.delivered())).append("}");
            }
            json.append("]}").append(++i < results.streams.size() ? ",\n" : "\n");
        }
        json.append("  ],\n");

        field(1, "pingPong");
        json.append("[\n");
        i = 0;
        for (Map.Entry<Results.WaitKey, List<Results.Percentiles>> e : results.pingPongs.entrySet()) {
            json.append("    {").append(contender(e.getKey().contender())).append(", ").append(q("wait")).append(": ")
                    .append(q(e.getKey().waitClass().id())).append(", ").append(q("size")).append(": ")
                    .append(Settings.PING_PONG_SIZE).append(", ").append(q("runs")).append(": [");
            int j = 0;
            for (Results.Percentiles p : e.getValue()) {
                json.append(j++ == 0 ? "" : ", ").append("{")
                        .append(q("p50")).append(": ").append(num(p.p50())).append(", ")
                        .append(q("p90")).append(": ").append(num(p.p90())).append(", ")
                        .append(q("p99")).append(": ").append(num(p.p99())).append(", ")
                        .append(q("p99.9")).append(": ").append(num(p.p999())).append(", ")
                        .append(q("max")).append(": ").append(num(p.max())).append(", ")
                        .append(q("samples")).append(": ").append(p.samples()).append(", ")
                        .append(q("pingerBytes")).append(": ").append(num(p.pingerBytes())).append(", ")
                        .append(q("pongerBytes")).append(": ").append(num(p.pongerBytes())).append("}");
            }
            json.append("]}").append(++i < results.pingPongs.size() ? ",\n" : "\n");
        }
        json.append("  ],\n");

        field(1, "idle");
        json.append("[\n");
        i = 0;
        for (Map.Entry<Results.WaitKey, List<Measurements.Idle>> e : results.idles.entrySet()) {
            Measurements.Idle idle = e.getValue().getFirst();
            json.append("    {").append(contender(e.getKey().contender())).append(", ").append(q("wait")).append(": ")
                    .append(q(e.getKey().waitClass().id())).append(", ")
                    .append(q("processCpu")).append(": ").append(num(idle.processCpu())).append(", ")
                    .append(q("threadCpu")).append(": ").append(num(idle.threadCpu())).append(", ")
                    .append(q("driverCpu")).append(": ").append(num(idle.driverCpu())).append("}")
                    .append(++i < results.idles.size() ? ",\n" : "\n");
        }
        json.append("  ],\n");

        field(1, "missing");
        json.append("[");
        i = 0;
        for (Object key : results.missing()) {
            json.append(i++ == 0 ? "\n" : ",\n").append("    {").append(q("figure")).append(": ").append(q(Report.describe(key)))
                    .append(", ").append(q("reason")).append(": ").append(q(results.failures.getOrDefault(key, "not measured")))
                    .append("}");
        }
        json.append(i == 0 ? "]\n" : "\n  ]\n");
        json.append("}\n");
        return json.toString();
    }

    private static String contender(Contender c) {
        return q("contender") + ": " + q(c.id()) + ", " + q("label") + ": " + q(c.label());
    }

    private void field(int depth, String name) {
        json.append("  ".repeat(depth)).append(q(name)).append(": ");
    }

    private static String num(double v) {
        return Double.isNaN(v) || Double.isInfinite(v) ? "null" : Double.toString(Math.round(v * 1000) / 1000.0);
    }

    public static String q(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
