package dev.uipc.bench.rfc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The machine a run measured, printed with its results: figures mean little without the cores,
 * the kernel and the JDK, and on a shared machine the load says how far to trust them.
 */
public record Machine(int cores, String cpu, String kernel, String jdk, String memory, String loadBefore, String started,
               String commit) {

    public static Machine describe() {
        String cpu = "unknown";
        try {
            cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("unknown");
        } catch (IOException ignored) {
            // not every architecture names its model
        }
        String memory = read("/proc/meminfo").lines().filter(l -> l.startsWith("MemTotal")).findFirst()
                .map(l -> String.format("%.0f GiB", Long.parseLong(l.replaceAll("\\D", "")) / 1048576.0)).orElse("unknown");
        return new Machine(Runtime.getRuntime().availableProcessors(), cpu, "Linux " + read("/proc/sys/kernel/osrelease"),
                System.getProperty("java.vm.name") + " " + Runtime.version(), memory, loadAverage(),
                Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(), System.getProperty("bench.commit", "unknown"));
    }

    /** The 1-, 5- and 15-minute load averages, as /proc/loadavg has them. */
    public static String loadAverage() {
        String[] f = read("/proc/loadavg").split(" ");
        return f.length >= 3 ? f[0] + " " + f[1] + " " + f[2] : "unknown";
    }

    private static String read(String file) {
        try {
            return Files.readString(Path.of(file)).trim();
        } catch (IOException e) {
            return "unknown";
        }
    }
}
