package dev.uipc.bench.rfc;

import java.time.Duration;

/** One line on standard error per measurement: how far the run is, how long it has taken, how long is left. */
public final class Progress {
    private final int planned;
    private final long start = System.nanoTime();
    private int done;

    public Progress(int planned) {
        this.planned = Math.max(1, planned);
    }

    public void done(String what, String figure) {
        line(what, figure);
    }

    public void failed(String what, String why) {
        line(what, "FAILED: " + why);
    }

    private void line(String what, String figure) {
        done++;
        long elapsed = System.nanoTime() - start;
        long left = done >= planned ? 0 : elapsed / done * (planned - done);
        System.err.printf("[%3d/%d %3d%% %s, ~%s left] %s: %s%n", done, planned, 100 * done / planned, clock(elapsed),
                clock(left), what, figure);
    }

    public static String clock(long nanos) {
        Duration d = Duration.ofNanos(nanos);
        return d.toHours() > 0 ? String.format("%d:%02d:%02d", d.toHours(), d.toMinutesPart(), d.toSecondsPart())
                : String.format("%d:%02d", d.toMinutes(), d.toSecondsPart());
    }
}
