package dev.uipc.bench.rfc;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The run's worker processes: one that sends (or pings), up to 16 that receive (the first also
 * pongs and idles), and one that hosts the Aeron media driver. Started when first needed and kept
 * for the whole run; after a failure every one is killed and the next measurement starts afresh,
 * since a worker stuck in a receive can no longer be told anything.
 */
final class WorkerPool implements AutoCloseable {
    private static final long START_DEADLINE = TimeUnit.SECONDS.toNanos(120);

    private final List<String> jvmFlags;
    private final boolean echo;
    private final String aeronDirectory;
    private WorkerProcess sender;
    private final List<WorkerProcess> receivers = new ArrayList<>();
    private WorkerProcess driver;

    WorkerPool(List<String> jvmFlags, boolean echo, String aeronDirectory) {
        this.jvmFlags = jvmFlags;
        this.echo = echo;
        this.aeronDirectory = aeronDirectory;
    }

    /** Makes sure the sender and {@code count} receivers (and the Aeron driver, if asked) are up. */
    void ensure(int count, boolean aeron) {
        List<WorkerProcess> started = new ArrayList<>();
        if (sender == null) {
            sender = WorkerProcess.start("sender", jvmFlags, echo);
            started.add(sender);
        }
        while (receivers.size() < count) {
            WorkerProcess r = WorkerProcess.start("receiver-" + receivers.size(), jvmFlags, echo);
            receivers.add(r);
            started.add(r);
        }
        boolean startDriver = aeron && driver == null;
        if (startDriver) {
            driver = WorkerProcess.start("aeron-driver", jvmFlags, echo);
            started.add(driver);
        }
        long deadline = System.nanoTime() + START_DEADLINE;
        for (WorkerProcess w : started) {
            w.await("hello", deadline);
        }
        if (startDriver) {
            driver.send(Args.of("aeron-driver").with("dir", aeronDirectory).line());
            driver.await("ready", deadline);
        }
    }

    WorkerProcess sender() {
        return sender;
    }

    WorkerProcess receiver(int i) {
        return receivers.get(i);
    }

    /** The Aeron driver's process, or null when it is not running. */
    WorkerProcess driver() {
        return driver;
    }

    /** Kills every worker; the next {@link #ensure} starts new ones. */
    void reset() {
        List<WorkerProcess> all = new ArrayList<>(receivers);
        if (sender != null) {
            all.add(sender);
        }
        if (driver != null) {
            all.add(driver);
        }
        for (WorkerProcess w : all) {
            w.kill();
        }
        sender = null;
        driver = null;
        receivers.clear();
    }

    @Override
    public void close() {
        List<WorkerProcess> all = new ArrayList<>(receivers);
        if (sender != null) {
            all.add(sender);
        }
        for (WorkerProcess w : all) {
            w.close();
        }
        if (driver != null) {
            driver.close();          // last: the Aeron clients are gone by now
        }
        sender = null;
        driver = null;
        receivers.clear();
    }
}
