package dev.uipc.cli;

import dev.uipc.channel.ChannelException;
import dev.uipc.channel.broker.BrokerAddress;
import dev.uipc.uring.ErrnoException;
import dev.uipc.uring.Errno;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * {@code uipc}: the command-line face of uipc. Results go to stdout; errors go to stderr,
 * beginning with the errno name, and set the exit status described in {@link ExitStatus}.
 */
@Command(name = "uipc",
        mixinStandardHelpOptions = true,
        versionProvider = Uipc.Version.class,
        description = "Message passing between processes on one Linux host, over shared memory, with io_uring waiting.",
        subcommands = {CreateCommand.class, SendCommand.class, RecvCommand.class, LsCommand.class, StatCommand.class,
                DestroyCommand.class, BrokerCommand.class, DemoCommand.class, DemoCommand.Receiver.class,
                UringCommand.class,
                CommandLine.HelpCommand.class})
public final class Uipc implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Where this command line reads and writes bytes; subcommands reach it as their parent command. */
    final Streams streams;

    /** Made by {@link #run}, once per command line. */
    private Uipc(Streams streams) {
        this.streams = streams;
    }

    /**
     * The standard streams as bytes, beside picocli's text writers: a message is bytes, and
     * {@code send} and {@code recv} pass it through unchanged when asked to.
     *
     * @param in         standard input
     * @param out        standard output, under the text writer that commands print with: flush
     *                   that writer before writing here
     * @param outIsTerminal whether standard output is a terminal (then {@code stat --watch} may
     *                   clear the screen)
     */
    record Streams(InputStream in, OutputStream out, boolean outIsTerminal) {
    }

    /** Without a command there is nothing to do: a usage error naming where to look. */
    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a command; see uipc --help");
    }

    /**
     * Runs one {@code uipc} command line and exits the JVM with its status: 0 on success, else the
     * errno number of the failure, 64 for a command line that does not parse, 70 for a bug.
     *
     * @param args the command line, such as {@code create --key 0x1234}
     */
    public static void main(String[] args) {
        // One buffer for fd 1, under the text writer too, so that text and raw bytes keep their order.
        OutputStream stdout = new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16);
        PrintWriter out = new PrintWriter(new OutputStreamWriter(stdout, StandardCharsets.UTF_8), true);
        PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
        int status = run(args, new Streams(System.in, stdout, stdoutIsTerminal()), out, err);
        out.flush();
        err.flush();
        System.exit(status);
    }

    /**
     * The command-line model: every command, option and description, from which picocli parses,
     * prints help, and writes the completion script, and {@link ManPage} the manual page.
     */
    static CommandLine commandLine(Streams streams) {
        return new CommandLine(new Uipc(streams));
    }

    /**
     * Whether fd 1 is a terminal, as {@code isatty(1)} would say, without a native call: the
     * link /proc/self/fd/1 names a terminal device.
     */
    static boolean stdoutIsTerminal() {
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/1")).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console");
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return false;
        }
    }

    /**
     * Runs one command line; returns the exit status. Used by main and by tests. Text goes to
     * {@code out}, which must write into {@code streams.out()}.
     */
    static int run(String[] args, Streams streams, PrintWriter out, PrintWriter err) {
        CommandLine cli = commandLine(streams);
        cli.setOut(out);
        cli.setErr(err);
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setParameterExceptionHandler((e, a) -> {
            // picocli begins some messages with "Error: "; the errno name already says that.
            String message = e.getMessage() == null ? "bad command line" : e.getMessage().replaceFirst("^Error: ", "");
            err.println("EINVAL: " + message);
            CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
            err.println("see: " + e.getCommandLine().getCommandSpec().qualifiedName() + " --help");
            return ExitStatus.USAGE;
        });
        cli.setExecutionExceptionHandler((e, commandLine, parsed) -> failure(e, err));
        return cli.execute(args);
    }

    /** Reports an exception the way every uipc command does, and picks the exit status. */
    static int failure(Exception e, PrintWriter err) {
        if (e instanceof ChannelException channel) {
            String other = channel.errno() == Errno.ENOENT ? otherBroker() : null;
            // Something not found may be at the broker that peers without the setting use.
            err.println(channel.getMessage() + (other != null ? "; note: " + other : ""));
            return ExitStatus.of(channel.errno());
        }
        if (e instanceof ErrnoException errno) {
            err.println(errno.getMessage());
            return errno.error() != null ? ExitStatus.of(errno.error()) : ExitStatus.SOFTWARE;
        }
        if (e instanceof UsageException usage) {
            err.println(Errno.EINVAL.name() + ": " + usage.getMessage());
            return ExitStatus.of(Errno.EINVAL);
        }
        if (e instanceof UnsupportedOperationException unsupported) {
            err.println(Errno.ENOSYS.name() + ": " + unsupported.getMessage());
            return ExitStatus.of(Errno.ENOSYS);
        }
        err.println("uipc: internal error: " + e);
        e.printStackTrace(err);
        return ExitStatus.SOFTWARE;
    }

    /**
     * When the broker was named explicitly (UIPC_BROKER, -Duipc.broker) and another runs where
     * peers without that setting look: a sentence saying that they will not meet; else null.
     */
    static String otherBroker() {
        try {
            return BrokerAddress.resolve().otherBroker();
        } catch (RuntimeException e) {
            return null;                              // a bad setting is reported where it is used
        }
    }

    /** A command line that parses but makes no sense; reported as EINVAL. */
    static final class UsageException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }

    /**
     * This build's version, for {@code --version} and the JSON outputs. The build writes the POM's
     * version into {@code version.properties} (resource filtering), so there is one source of it;
     * the jar manifest's Implementation-Version is not used, since Java does not read manifests
     * for packages of named modules, and the launcher runs uipc as one.
     */
    static final class Version implements CommandLine.IVersionProvider {
        private static final String NUMBER = read();

        /** The version, such as {@code 0.1.0} or {@code 0.2.0-SNAPSHOT}. */
        static String number() {
            if (NUMBER == null) {
                throw new IllegalStateException("this uipc was built without its version resource "
                        + "dev/uipc/cli/version.properties; build it with Maven (./uipc does)");
            }
            return NUMBER;
        }

        @Override
        public String[] getVersion() {
            return new String[] {"uipc " + number() + ", Java " + Runtime.version()};
        }

        private static String read() {
            try (InputStream in = Uipc.class.getResourceAsStream("version.properties")) {
                if (in == null) {
                    return null;
                }
                Properties properties = new Properties();
                properties.load(in);
                String version = properties.getProperty("version", "").strip();
                return version.isEmpty() || version.startsWith("${") ? null : version;
            } catch (IOException e) {
                return null;
            }
        }
    }
}
