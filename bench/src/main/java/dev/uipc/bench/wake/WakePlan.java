package dev.uipc.bench.wake;

import java.nio.file.Path;
import java.util.Set;

/**
 * What one {@code bench/run wake} does, from its command line.
 *
 * @param quick         tiny counts: proves every figure can be produced, measures nothing
 * @param runs          runs of sections 1, 3 and 5, rows alternating within each; their samples are pooled
 * @param samples       counted samples per row of sections 1, 3 and 5, over all runs
 * @param firstWarmup   samples of each row in the warm-up run before the counted ones, none counted
 * @param warmup        samples not counted at the start of each measurement of a counted run
 * @param streamRuns    runs of section 2; the table shows the median
 * @param messages      counted messages per stream of 64 bytes (a fifth of them at 4 KiB), after half as many more
 * @param idleMillis    how long each loop of section 4 idles
 * @param subscriptions parked subscriptions of the larger idle loop (section 4) and futex words of section 5
 * @param armReps       how often section 5 arms every word, per run, to time it
 * @param sections      which sections
 * @param out           the results folder
 * @param command       the command line, for the report
 */
record WakePlan(boolean quick, int runs, int samples, int firstWarmup, int warmup, int streamRuns, long messages,
                long idleMillis, int subscriptions, int armReps, Set<Integer> sections, Path out, String command) {

    boolean runs(int section) {
        return sections.contains(section);
    }

    int samplesPerRun() {
        return (samples + runs - 1) / runs;
    }

    long messages(int size) {
        return size >= 4096 ? Math.max(1, messages / 5) : messages;
    }
}
