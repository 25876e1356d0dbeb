package dev.uipc.bench.wake;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * What the waker does between samples: sleeps a random 200 µs to 1 ms (random, so that samples
 * do not lock onto a timer's phase), then makes sure every sleeper thread is asleep in the kernel
 * ('S' in /proc), waiting up to 200 ms more for one that is not yet. A sample whose sleeper never
 * got there is counted and excluded, so that every sample kept is a wake from sleep.
 */
final class Gap implements AutoCloseable {
    private static final long MIN = TimeUnit.MICROSECONDS.toNanos(200);
    private static final long MAX = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long EXTRA = TimeUnit.MILLISECONDS.toNanos(200);

    private final SplittableRandom random;
    private final ThreadState[] sleepers;
    /** Of the samples counted: asleep at the first look, asleep only after waiting longer, never asleep. */
    long atOnce;
    long later;
    long never;

    /** @param tids the sleeper threads of process {@code pid} to check; none: only sleep */
    Gap(long seed, long pid, int[] tids) {
        this.random = new SplittableRandom(seed);
        this.sleepers = new ThreadState[tids.length];
        try {
            for (int i = 0; i < tids.length; i++) {
                sleepers[i] = new ThreadState(pid, tids[i]);
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /**
     * Sleeps, then waits for the sleepers to be asleep.
     *
     * @param count whether this sample counts (not warm-up)
     * @return whether every sleeper was asleep: false means exclude the sample
     */
    boolean pass(boolean count) {
        LockSupport.parkNanos(MIN + random.nextLong(MAX - MIN));
        if (sleepers.length == 0) {
            return true;
        }
        if (allAsleep()) {
            if (count) {
                atOnce++;
            }
            return true;
        }
        long deadline = System.nanoTime() + EXTRA;
        while (System.nanoTime() - deadline < 0) {
            LockSupport.parkNanos(20_000);
            if (allAsleep()) {
                if (count) {
                    later++;
                }
                return true;
            }
        }
        if (count) {
            never++;
        }
        return false;
    }

    private boolean allAsleep() {
        for (ThreadState s : sleepers) {
            if (s.state() != 'S') {
                return false;
            }
        }
        return true;
    }

    /** The counts as words of an answer. */
    String words() {
        return "asleep=" + atOnce + " later=" + later + " never=" + never;
    }

    @Override
    public void close() {
        for (ThreadState s : sleepers) {
            if (s != null) {
                s.close();
            }
        }
    }
}
