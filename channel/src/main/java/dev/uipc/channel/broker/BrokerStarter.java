package dev.uipc.channel.broker;

import dev.uipc.channel.ChannelException;
import dev.uipc.uring.Errno;
import dev.uipc.uring.ProcessIdentity;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts this user's broker when a client finds none, as D-Bus session activation or
 * {@code gpg-agent} do: the same Java, the same class (or module) path, running
 * {@link BrokerMain}, detached, its output in {@code broker.log} beside the socket. Clients that
 * find none at the same moment take turns under a lock, so one broker starts.
 */
final class BrokerStarter {
    private BrokerStarter() {
    }

    static final Duration START_TIMEOUT = Duration.ofSeconds(20);
    /** The client library's logger. */
    private static final System.Logger LOG = System.getLogger("dev.uipc.channel");
    /** System property: how many seconds a broker started on demand waits, idle, before exiting. */
    static final String IDLE_EXIT_PROPERTY = "uipc.broker.idleExit";

    static void start(BrokerAddress address) {
        Path socket = address.socket();
        Path directory = socket.getParent();
        boolean system = socket.equals(BrokerAddress.SYSTEM_SOCKET);
        makeDirectory(directory, system);
        try (FileChannel lockFile = FileChannel.open(directory.resolve("start.lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
             FileLock lock = lockFile.lock()) {
            if (answers(address)) {
                return;                              // another client started it while we waited
            }
            Process process = launch(socket, directory.resolve("broker.log"));
            long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
            while (System.nanoTime() < deadline) {
                if (answers(address)) {
                    LOG.log(System.Logger.Level.DEBUG, "started a broker at {0} (pid {1}); its log is {2}", socket,
                            Long.toString(process.pid()), directory.resolve("broker.log"));
                    return;
                }
                if (!process.isAlive()) {
                    throw new ChannelException(Errno.ECONNREFUSED, "the broker started for " + socket + " exited at once "
                            + "(status " + process.exitValue() + "); " + directory.resolve("broker.log") + " says why");
                }
                Thread.sleep(20);
            }
            throw new ChannelException(Errno.ETIMEDOUT, "the broker started for " + socket + " did not answer within "
                    + START_TIMEOUT.toSeconds() + " s; " + directory.resolve("broker.log") + " may say why");
        } catch (IOException e) {
            throw new ChannelException(Errno.EIO, "cannot start a broker at " + socket + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ChannelException(Errno.EINTR, "interrupted while starting a broker at " + socket);
        }
    }

    /** The socket's directory: 0700 for a user's broker, 0755 for the system broker's; checked after. */
    private static void makeDirectory(Path directory, boolean system) {
        try {
            if (!Files.exists(directory, LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectories(directory);
                Files.setAttribute(directory, "unix:mode", system ? 0755 : 0700);
            }
        } catch (IOException e) {
            throw new ChannelException(Errno.EACCES, "cannot make the broker's directory " + directory + ": " + e
                    + (system ? "; the system broker's directory needs root" : ""), e);
        }
    }

    private static boolean answers(BrokerAddress address) {
        try (BrokerClient client = BrokerClient.connectOnce(address)) {
            return true;
        } catch (ChannelException e) {
            if (e.errno() == Errno.EPERM) {
                throw e;                             // something untrustworthy answers: say so, start nothing
            }
            return false;
        }
    }

    private static Process launch(Path socket, Path log) throws IOException {
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> command = new ArrayList<>(List.of(java, "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Xmx64m", "-Xshare:auto"));
        Module module = BrokerStarter.class.getModule();
        if (module.isNamed()) {
            command.addAll(List.of("--enable-native-access=dev.uipc.uring", "--module-path",
                    System.getProperty("jdk.module.path"), "--module", module.getName() + "/" + BrokerMain.class.getName()));
        } else {
            command.addAll(List.of("--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                    BrokerMain.class.getName()));
        }
        command.addAll(List.of("--socket", socket.toString()));
        String idleExit = System.getProperty(IDLE_EXIT_PROPERTY);
        if (idleExit != null && idleExit.matches("\\d{1,6}")) {
            command.addAll(List.of("--idle-exit", idleExit));
        }
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        builder.environment().remove(BrokerAddress.ENVIRONMENT);
        Process process = builder.start();
        if (ProcessIdentity.uid() != 0) {
            Files.setAttribute(log, "unix:mode", 0600);
        }
        return process;
    }
}
