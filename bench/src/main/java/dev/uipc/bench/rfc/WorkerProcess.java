package dev.uipc.bench.rfc;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The coordinator's handle on one {@link Worker}: its lines arrive in a queue, and every wait for
 * one has a deadline, so that a hung peer fails its measurement instead of stalling the run.
 *
 * <p>Not the testkit's ChildJvm, on purpose: that one limits the JIT to C1 (right for tests, wrong
 * for timing) and waits for a line anywhere in everything printed so far, where a worker that
 * lives for a whole run needs each answer in turn.
 */
public final class WorkerProcess implements AutoCloseable {
    /** A line that means the stream ended. */
    private static final String EOF = "\u0000eof";

    private final String name;
    private final Process process;
    private final OutputStream stdin;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final Deque<String> stderrTail = new ArrayDeque<>();

    private WorkerProcess(String name, Process process, boolean echo) {
        this.name = name;
        this.process = process;
        this.stdin = process.getOutputStream();
        Thread.ofPlatform().daemon().name(name + "-stdout").start(() -> pump(new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)), false, echo));
        Thread.ofPlatform().daemon().name(name + "-stderr").start(() -> pump(new BufferedReader(
                new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8)), true, echo));
    }

    /** Starts a {@link Worker} JVM with this JVM's class path and the given JVM flags. */
    static WorkerProcess start(String name, List<String> jvmFlags, boolean echo) {
        return start(name, Worker.class, jvmFlags, echo);
    }

    /**
     * Starts a JVM running {@code main} with this JVM's class path and the given JVM flags. Its
     * answers are the lines of its standard output that begin with {@link Worker#PROTOCOL}, and
     * it says {@code hello PID} first; everything else it prints is kept for error reports.
     */
    public static WorkerProcess start(String name, Class<?> main, List<String> jvmFlags, boolean echo) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmFlags);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(main.getName());
        try {
            return new WorkerProcess(name, new ProcessBuilder(command).start(), echo);
        } catch (IOException e) {
            throw new BenchFailure("could not start worker " + name + ": " + e.getMessage());
        }
    }

    private void pump(BufferedReader reader, boolean isStderr, boolean echo) {
        try (reader) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (echo) {
                    System.err.println("  [" + name + (isStderr ? " stderr] " : "] ") + line);
                }
                if (!isStderr && line.startsWith(Worker.PROTOCOL)) {
                    lines.add(line.substring(Worker.PROTOCOL.length()));
                } else {
                    synchronized (stderrTail) {         // anything else is kept for error reports
                        stderrTail.addLast(line);
                        if (stderrTail.size() > 40) {
                            stderrTail.removeFirst();
                        }
                    }
                }
            }
        } catch (IOException ignored) {
            // the worker ended
        }
        if (!isStderr) {
            lines.add(EOF);
        }
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    /** Sends one command line. */
    public void send(String line) {
        try {
            stdin.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            stdin.flush();
        } catch (IOException e) {
            throw failure("could not write to it (" + e.getMessage() + ")");
        }
    }

    /**
     * Waits until {@code deadline} (System.nanoTime) for the worker's next line, which must start
     * with {@code expected}; returns the words after it.
     *
     * @throws BenchFailure if the worker answers an error or anything else, ends, or is silent
     */
    public String[] await(String expected, long deadline) {
        String line;
        try {
            line = lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failure("interrupted while waiting for '" + expected + "'");
        }
        if (line == null) {
            throw failure("said nothing within its deadline while the coordinator waited for '" + expected + "'");
        }
        if (line.equals(EOF)) {
            throw failure("ended while the coordinator waited for '" + expected + "'");
        }
        if (line.startsWith("error ")) {
            throw failure("failed: " + line.substring(6));
        }
        String[] words = line.split(" ");
        if (!words[0].equals(expected)) {
            throw failure("answered '" + line + "' where the coordinator waited for '" + expected + "'");
        }
        return java.util.Arrays.copyOfRange(words, 1, words.length);
    }

    private BenchFailure failure(String what) {
        StringBuilder b = new StringBuilder("worker " + name + " (pid " + process.pid() + ") " + what);
        synchronized (stderrTail) {
            if (!stderrTail.isEmpty()) {
                b.append("\n    its other output ends with:");
                for (String l : stderrTail) {
                    b.append("\n    | ").append(l);
                }
            }
        }
        return new BenchFailure(b.toString());
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Asks the worker to exit; kills it if it has not within a second. */
    @Override
    public void close() {
        if (process.isAlive()) {
            try {
                send("quit");
                process.waitFor(1, TimeUnit.SECONDS);
            } catch (RuntimeException | InterruptedException ignored) {
                // killed below
            }
        }
        kill();
    }

    /** Kills the worker at once. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
