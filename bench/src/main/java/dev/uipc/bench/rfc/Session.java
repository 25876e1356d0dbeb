package dev.uipc.bench.rfc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * What a benchmark command holds while it runs: a private directory in /dev/shm for rings, uipc
 * channels and the Aeron driver, and the worker processes. Closing, or the JVM's exit (even on
 * Ctrl-C), stops the workers and deletes the directory.
 */
public final class Session implements AutoCloseable {
    /** JVM flags of every worker; the peers' own flags come from bench/run through bench.peer.flags. */
    private static final List<String> WORKER_FLAGS = List.of("--enable-native-access=ALL-UNNAMED", "-XX:+UseSerialGC",
            "-Xms256m", "-Xmx1g", "-Xshare:auto");

    final SuiteEnvironment env;
    final WorkerPool pool;
    final Measurements measurements;
    private final Thread cleanup;
    private boolean closed;

    Session(int entries, int aeronTermLength, boolean verbose) {
        Path dir = Path.of("/dev/shm", "uipc-bench-" + ProcessHandle.current().pid());
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("could not make " + dir, e);
        }
        this.env = new SuiteEnvironment(dir, entries, aeronTermLength);
        this.pool = new WorkerPool(workerFlags(), verbose, env.aeronDirectory());
        this.measurements = new Measurements(pool, env);
        this.cleanup = new Thread(this::close, "bench-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
    }

    public static List<String> workerFlags() {
        List<String> flags = new ArrayList<>(WORKER_FLAGS);
        String peers = System.getProperty("bench.peer.flags", "").trim();
        if (!peers.isEmpty()) {
            flags.addAll(Arrays.asList(peers.split("\\s+")));
        }
        return flags;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            pool.close();
        } finally {
            try {
                env.uipc().close();
            } finally {
                deleteTree(env.directory());
            }
        }
        if (Thread.currentThread() != cleanup) {
            try {
                Runtime.getRuntime().removeShutdownHook(cleanup);
            } catch (IllegalStateException ignored) {
                // already shutting down
            }
        }
    }

    /** Deletes a results or scratch directory and everything in it; says so on stderr if it cannot. */
    public static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            System.err.println("bench: could not delete " + root + ": " + e.getMessage());
        }
    }
}
