package dev.uipc.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A peer process: a JVM running a main class from the test class path, with native access
 * granted, bounded by a deadline so that a hang fails the test instead of stalling CI.
 *
 * <pre>{@code
 * try (ChildJvm child = ChildJvm.start(Peer.class, "arg")) {
 *     child.awaitLine("ready", Duration.ofSeconds(10));
 *     ...
 *     assertEquals(0, child.waitFor(Duration.ofSeconds(10)), child.output());
 * }
 * }</pre>
 *
 * Closing kills the process if it still runs.
 */
public final class ChildJvm implements AutoCloseable {
    private final Process process;
    private final StringBuffer stdout = new StringBuffer();
    private final StringBuffer stderr = new StringBuffer();
    private final CompletableFuture<Void> stdoutDone;
    private final CompletableFuture<Void> stderrDone;
    private final String description;

    private ChildJvm(Process process, String description) {
        this.process = process;
        this.description = description;
        this.stdoutDone = pump(process.getInputStream(), stdout);
        this.stderrDone = pump(process.getErrorStream(), stderr);
    }

    /** Starts {@code main} with {@code args} in a new JVM with this JVM's class path. */
    public static ChildJvm start(Class<?> main, String... args) {
        return builder(main).args(args).start();
    }

    public static Builder builder(Class<?> main) {
        return new Builder(main);
    }

    /** How to start a child. */
    public static final class Builder {
        private final Class<?> main;
        private final List<String> args = new ArrayList<>();
        private final List<String> jvmArgs = new ArrayList<>();
        private final List<String> prefix = new ArrayList<>();
        private final java.util.Map<String, String> environment = new java.util.HashMap<>();
        private String classPath = System.getProperty("java.class.path");
        private boolean nativeAccess = true;

        private Builder(Class<?> main) {
            this.main = main;
        }

        public Builder args(String... values) {
            args.addAll(Arrays.asList(values));
            return this;
        }

        public Builder jvmArgs(String... values) {
            jvmArgs.addAll(Arrays.asList(values));
            return this;
        }

        /** Runs the JVM through a wrapper command, e.g. {@code setpriv --reuid=65534 ...}. */
        public Builder wrappedBy(List<String> command) {
            prefix.addAll(command);
            return this;
        }

        /** Sets an environment variable of the child (null removes one it would inherit). */
        public Builder environment(String name, String value) {
            environment.put(name, value);
            return this;
        }

        public Builder classPath(String value) {
            classPath = value;
            return this;
        }

        /**
         * Runs the child as another user ({@code setpriv --reuid --regid}, which needs no user
         * account), with exactly the supplementary {@code groups} given, and with the umask
         * {@code umask} (octal), on a copy of the class path that user can read.
         */
        public Builder asUser(int uid, int gid, int umask, int... groups) {
            List<String> command = new ArrayList<>(List.of("setpriv", "--reuid=" + uid, "--regid=" + gid));
            if (groups.length == 0) {
                command.add("--clear-groups");
            } else {
                command.add("--groups=" + String.join(",", Arrays.stream(groups).mapToObj(Integer::toString).toList()));
            }
            command.addAll(List.of("sh", "-c", "umask " + Integer.toOctalString(umask) + "; exec \"$0\" \"$@\""));
            prefix.addAll(command);
            classPath = StagedClassPath.readableByEveryone(classPath);
            return this;
        }

        /** Leaves out {@code --enable-native-access}, to test what happens without it. */
        public Builder withoutNativeAccess() {
            nativeAccess = false;
            return this;
        }

        public ChildJvm start() {
            List<String> command = new ArrayList<>(prefix);
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            if (nativeAccess) {
                command.add("--enable-native-access=ALL-UNNAMED");
            }
            command.add("-Xshare:auto");
            command.add("-XX:+UseSerialGC");
            command.add("-XX:TieredStopAtLevel=1");
            command.addAll(jvmArgs);
            command.add("-cp");
            command.add(classPath);
            command.add(main.getName());
            command.addAll(args);
            try {
                ProcessBuilder builder = new ProcessBuilder(command);
                environment.forEach((name, value) -> {
                    if (value == null) {
                        builder.environment().remove(name);
                    } else {
                        builder.environment().put(name, value);
                    }
                });
                Process p = builder.start();
                return new ChildJvm(p, main.getSimpleName() + " " + String.join(" ", args) + " (pid " + p.pid() + ")");
            } catch (IOException e) {
                throw new UncheckedIOException("could not start " + command, e);
            }
        }
    }

    private static CompletableFuture<Void> pump(InputStream in, StringBuffer into) {
        return CompletableFuture.runAsync(() -> {
            byte[] buffer = new byte[8192];
            try (in) {
                int n;
                while ((n = in.read(buffer)) > 0) {
                    into.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
                }
            } catch (IOException ignored) {
                // the process ended; what was read is kept
            }
        }, Thread::startVirtualThread);
    }

    public long pid() {
        return process.pid();
    }

    public Process process() {
        return process;
    }

    /** Standard output so far. */
    public String stdout() {
        return stdout.toString();
    }

    /** Standard error so far. */
    public String stderr() {
        return stderr.toString();
    }

    /** Both streams, labelled: what an assertion message should show. */
    public String output() {
        return "--- " + description + " stdout:\n" + stdout + "--- stderr:\n" + stderr;
    }

    /**
     * Waits until stdout has a line starting with {@code prefix}; returns that line.
     *
     * @throws AssertionError if the process ends or the deadline passes first
     */
    public String awaitLine(String prefix, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (String line : stdout.toString().split("\n")) {
                if (line.startsWith(prefix)) {
                    return line;
                }
            }
            if (!process.isAlive() && stdoutDone.isDone()) {
                throw new AssertionError("child ended (exit " + process.exitValue() + ") before printing '" + prefix
                        + "'\n" + output());
            }
            sleep(5);
        }
        throw new AssertionError("no line starting '" + prefix + "' within " + timeout + "\n" + output());
    }

    /** Writes {@code line} and a newline to the child's stdin. */
    public void send(String line) {
        try {
            process.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
            process.getOutputStream().flush();
        } catch (IOException e) {
            throw new UncheckedIOException("could not write to " + description, e);
        }
    }

    /**
     * Waits for the child to exit; returns its exit status.
     *
     * @throws AssertionError (after killing it) if it is still running at the deadline
     */
    public int waitFor(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError("child still running after " + timeout + "; killed it\n" + output());
            }
            stdoutDone.get(10, TimeUnit.SECONDS);
            stderrDone.get(10, TimeUnit.SECONDS);
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted waiting for " + description, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new AssertionError("could not collect the output of " + description, e);
        }
    }

    /** Kills the child at once (SIGKILL), as a crash would, and waits for it to be gone. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            kill();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
