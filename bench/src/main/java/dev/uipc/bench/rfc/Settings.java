package dev.uipc.bench.rfc;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * What one run of the suite does, from the command line.
 *
 * @param quick        tiny counts and one run: proves every figure can be produced, measures nothing
 * @param runs         runs of every measurement; the report gives the median
 * @param sections     which of the seven sections to run
 * @param waitClass    the wait class of every contender in the streaming sections (1 to 4)
 * @param entries      ring slots of every shared-memory contender
 * @param scale        multiplies every message count
 * @param idleMillis   how long an idle receiver waits in section 6
 * @param aeronTermLength the Aeron IPC term length in bytes
 * @param out          the results folder
 * @param verbose      echo the workers' output
 * @param workerFlags  JVM flags of the worker processes (the peers' --add-opens come from bench/run)
 */
record Settings(boolean quick, int runs, Set<Integer> sections, Wait waitClass, int entries, double scale, long idleMillis,
                int aeronTermLength, Path out, boolean verbose, List<String> workerFlags, String command) {

    static final int[] SIZES = {64, 256, 1024, 4096, 16384, 32768};
    static final int[] RECEIVERS = {1, 2, 4, 8, 16};
    static final int[] MULTICAST_SIZES = {64, 4096, 32768};
    static final int PING_PONG_SIZE = 64;

    /** Timed messages of one streaming run. */
    long count(int size, int receivers) {
        if (quick) {
            return 300;
        }
        long base = size <= 1024 ? 400_000 : size <= 4096 ? 200_000 : size <= 16384 ? 100_000 : 50_000;
        long n = receivers > 1 ? base / receivers : base;
        return Math.max(2_000, (long) (n * scale));
    }

    /** Untimed messages before them, so that both sides' paths are compiled and every page is touched. */
    long warmup(int size, int receivers) {
        return quick ? 100 : Math.max(1_000, count(size, receivers) / 2);
    }

    long pingPongCount() {
        return quick ? 200 : Math.max(1_000, (long) (50_000 * scale));
    }

    long pingPongWarmup() {
        return quick ? 50 : Math.max(1_000, pingPongCount() / 5);
    }

    boolean runs(int section) {
        return sections.contains(section);
    }
}
