package dev.uipc.bench.wake;

import dev.uipc.bench.rfc.Session;
import dev.uipc.bench.rfc.WorkerProcess;
import dev.uipc.channel.Broker;
import dev.uipc.channel.Channel;
import dev.uipc.channel.ChannelOptions;
import dev.uipc.channel.Mode;
import dev.uipc.channel.Registry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What {@code bench/run wake} holds while it runs: a private directory in /dev/shm (the broker's
 * socket, the mailboxes), a broker and a registry of its own to make channels with, and the worker
 * processes by role. Closing, or the JVM's exit (even on Ctrl-C), stops the workers and deletes
 * the directory.
 */
final class WakeSession implements AutoCloseable {
    private static final long START_DEADLINE = TimeUnit.SECONDS.toNanos(120);

    /**
     * The worker processes. uipc reads the properties that tell these apart once per JVM, so
     * each setting is a process of its own.
     */
    enum Role {
        /** Wakes, sends, produces: uipc's defaults. */
        WAKER("waker"),
        /** A sender that wakes several sleepers with one futex system call each, never as an io_uring batch. */
        WAKER_UNBATCHED("waker-unbatched", "-Duipc.wakeBatchThreshold=100000"),
        /** A sender that wakes every sleeper through one io_uring batch, however few: what batching costs. */
        WAKER_BATCHED("waker-batched", "-Duipc.wakeBatchThreshold=1"),
        /** Sleeps, receives, consumes: uipc's defaults (a completion loop publishes its ring). */
        SLEEPER("sleeper"),
        /** A sleeper whose completion loops publish no ring, so that peers wake their futex. */
        SLEEPER_FUTEX("sleeper-futex-doorbells", "-Duipc.ringDoorbells=false");

        final String label;
        final List<String> flags;

        Role(String label, String... flags) {
            this.label = label;
            this.flags = List.of(flags);
        }
    }

    final Path directory;
    final Registry registry;
    private final Broker broker;
    private final boolean verbose;
    private final Map<Role, WorkerProcess> workers = new EnumMap<>(Role.class);
    private final Thread cleanup;
    private long nextKey = 0x3a4e_0001L;
    private int mailboxes;
    private boolean closed;

    WakeSession(boolean verbose) {
        this.directory = Path.of("/dev/shm", "uipc-bench-wake-" + ProcessHandle.current().pid());
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("could not make " + directory, e);
        }
        this.verbose = verbose;
        this.broker = Broker.start(directory.resolve("broker.sock"));
        this.registry = Registry.connect(broker.socket());
        this.cleanup = new Thread(this::close, "bench-wake-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
    }

    Path socket() {
        return broker.socket();
    }

    /** The workers of {@code roles}, started if they are not running. */
    void ensure(Role... roles) {
        List<WorkerProcess> started = new ArrayList<>();
        for (Role r : roles) {
            if (!workers.containsKey(r)) {
                List<String> flags = new ArrayList<>(Session.workerFlags());
                flags.addAll(r.flags);
                WorkerProcess w = WorkerProcess.start(r.label, WakeWorker.class, flags, verbose);
                workers.put(r, w);
                started.add(w);
            }
        }
        long deadline = System.nanoTime() + START_DEADLINE;
        for (WorkerProcess w : started) {
            w.await("hello", deadline);
        }
    }

    WorkerProcess worker(Role role) {
        ensure(role);
        return workers.get(role);
    }

    /** Kills every worker (after a failure: one stuck in a wait can no longer be told anything). */
    void reset() {
        for (WorkerProcess w : workers.values()) {
            w.kill();
        }
        workers.clear();
    }

    /** A channel for this run, with a fresh key. */
    Channel create(Mode mode, int maxMessageSize, int entries, int subscribers) {
        return registry.create(ChannelOptions.of(mode).withKey(nextKey++).withEntries(entries)
                .withMaxMessageSize(maxMessageSize).withMaxSubscribers(subscribers));
    }

    /** The channel's wake counter: rows a producer (or receiver freeing room) woke, by futex or by ring. */
    long wakes(Channel channel) {
        return registry.snapshot(channel.id()).counters().wakes();
    }

    /** A new zeroed mailbox file. */
    Path mailbox() {
        return Mailbox.create(directory.resolve("mailbox-" + ++mailboxes));
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            for (WorkerProcess w : workers.values()) {
                w.close();
            }
            workers.clear();
            registry.close();
        } finally {
            broker.close();
            Session.deleteTree(directory);
        }
        if (Thread.currentThread() != cleanup) {
            try {
                Runtime.getRuntime().removeShutdownHook(cleanup);
            } catch (IllegalStateException ignored) {
                // already shutting down
            }
        }
    }
}
