package dev.uipc.bench;

import dev.uipc.bench.rfc.BenchFailure;
import dev.uipc.bench.rfc.RfcCommand;
import dev.uipc.bench.rfc.StreamingCommand;
import dev.uipc.bench.wake.WakeCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;

/**
 * The cross-process benchmarks behind {@code bench/run}: {@code rfc} (the RFC's tables and more),
 * {@code streaming} (a quick point-to-point table) and {@code wake} (what waking a sleeper costs,
 * by each way there is). A command line that does not parse gets
 * a sentence and exit status 64, never a stack trace.
 */
@Command(name = "bench/run", mixinStandardHelpOptions = true, version = "uipc benchmarks",
        description = "uipc's cross-process benchmarks. JMH micro-benchmarks run as: bench/run NopBenchmark [JMH options].",
        subcommands = {RfcCommand.class, StreamingCommand.class, WakeCommand.class, CommandLine.HelpCommand.class})
public final class Bench implements Runnable {
    /** Exit status for a command line that does not parse or makes no sense (sysexits' EX_USAGE). */
    public static final int USAGE = 64;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a benchmark: rfc, streaming or wake");
    }

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs one command line; returns the exit status. Used by main and by tests. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new Bench());
        cli.setOut(out);
        cli.setErr(err);
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setParameterExceptionHandler((e, a) -> {
            err.println("bench: " + e.getMessage());
            CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
            err.println("see: bench/run " + (e.getCommandLine().getParent() != null
                    ? e.getCommandLine().getCommandName() + " " : "") + "--help");
            return USAGE;
        });
        cli.setExecutionExceptionHandler((e, commandLine, parsed) -> {
            if (e instanceof UsageException) {
                err.println("bench: " + e.getMessage());
                err.println("see: bench/run " + commandLine.getCommandName() + " --help");
                return USAGE;
            }
            if (e instanceof BenchFailure) {
                err.println("bench: " + e.getMessage());
                return 1;
            }
            throw e;
        });
        return cli.execute(args);
    }

    /** A command line that parses but makes no sense; reported as a sentence with exit status 64. */
    public static final class UsageException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public UsageException(String message) {
            super(message);
        }
    }
}
