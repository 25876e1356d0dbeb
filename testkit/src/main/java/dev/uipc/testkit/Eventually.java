package dev.uipc.testkit;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waits, within a deadline, for something another process makes true (a broker reaping a death). */
public final class Eventually {
    private Eventually() {
    }

    public static void holds(Duration within, String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + within.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("not within " + within + ": " + what);
            }
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting until " + what, e);
            }
        }
    }
}
