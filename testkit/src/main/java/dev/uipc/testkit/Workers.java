package dev.uipc.testkit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Threads a test starts beside its own, whose failures reach JUnit: the first exception or
 * failed assertion of any worker is kept, {@link #check()} rethrows it at once (call it in the
 * test's own loops, so a failure stops the test where it happened rather than as a timeout
 * later), and {@link #join} rethrows it after the workers end — or fails if one has not ended
 * in time. An assertion in a thread JUnit never sees otherwise passes silently.
 */
public final class Workers implements AutoCloseable {
    /** Work for a worker thread; may throw anything, which fails the test. */
    @FunctionalInterface
    public interface Task {
        void run() throws Exception;
    }

    private final List<Thread> threads = new ArrayList<>();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    /** Starts {@code task} on a new platform thread named {@code name}. */
    public Workers start(String name, Task task) {
        Thread thread = Thread.ofPlatform().name(name).start(() -> {
            try {
                task.run();
            } catch (Throwable t) {
                if (!failure.compareAndSet(null, t)) {
                    failure.get().addSuppressed(t);
                }
            }
        });
        threads.add(thread);
        return this;
    }

    /** Whether a worker has failed. */
    public boolean failed() {
        return failure.get() != null;
    }

    /** Rethrows the first failure of any worker now, as an AssertionError naming it. */
    public void check() {
        Throwable t = failure.get();
        if (t != null) {
            throw new AssertionError("a worker thread failed: " + t, t);
        }
    }

    /**
     * Waits for every worker to end, at most {@code timeout} in all; then rethrows the first
     * failure, or fails naming the workers still running (interrupting them).
     */
    public void join(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<String> running = new ArrayList<>();
        for (Thread thread : threads) {
            long left = deadline - System.nanoTime();
            if (left > 0) {
                thread.join(Duration.ofNanos(left));
            }
            if (thread.isAlive()) {
                running.add(thread.getName());
                thread.interrupt();
            }
        }
        check();
        if (!running.isEmpty()) {
            throw new AssertionError("worker threads still running after " + timeout + ": " + running);
        }
    }

    /** {@link #join} with a minute's limit. */
    @Override
    public void close() throws InterruptedException {
        join(Duration.ofMinutes(1));
    }
}
