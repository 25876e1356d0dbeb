package dev.uipc.cli;

import dev.uipc.uring.Capabilities;
import dev.uipc.uring.Feature;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code uipc uring ...}: io_uring diagnostics. */
@Command(name = "uring", description = "io_uring on this machine.", mixinStandardHelpOptions = true,
        subcommands = {UringCommand.ProbeCommand.class})
final class UringCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a subcommand: probe");
    }

    @Command(name = "probe", mixinStandardHelpOptions = true,
            description = {"What io_uring can do here: kernel, features, which opcodes and setup flags work, "
                    + "and end-to-end checks of futex operations, MSG_RING within and across processes, "
                    + "registered ring fds and registered waits.",
                    "Exit status: 0 if everything uipc needs works, ENOSYS (38) if something it needs does not."})
    static final class ProbeCommand implements Callable<Integer> {
        @Option(names = "--json", description = "Print one JSON object instead of a table (docs/JSON.md).")
        boolean json;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        /** What channels need; the rest is reported but optional. */
        private static final List<String> REQUIRED = List.of("kernel-6.7-or-newer", "default-ring",
                "futex-wait-woken-by-syscall", "futex-waitv", "linked-timeout-cancels-futex-wait");

        @Override
        public Integer call() {
            Capabilities caps = Capabilities.survey();
            PrintWriter out = spec.commandLine().getOut();
            out.println(json ? json(caps) : table(caps));
            out.flush();
            boolean ok = caps.available() && REQUIRED.stream().allMatch(name -> caps.find(name).works());
            return ok ? ExitStatus.OK : ExitStatus.of(dev.uipc.uring.Errno.ENOSYS);
        }

        static String table(Capabilities caps) {
            StringBuilder s = new StringBuilder();
            s.append("io_uring on this machine\n");
            s.append(String.format("  %-10s %s (%s)%n", "kernel", caps.kernelRelease(), caps.machine()));
            if (!caps.available()) {
                s.append(String.format("  %-10s NOT AVAILABLE: %s%n", "io_uring", caps.unavailableReason()));
                return s.toString();
            }
            s.append(String.format("  %-10s available; last opcode %d%n", "io_uring", caps.lastOp()));
            s.append(String.format("  %-10s 0x%x %s%n", "features", caps.features(), Feature.names(caps.features())));
            s.append("\nWhat uipc relies on\n");
            for (Capabilities.Support c : caps.checks()) {
                s.append(String.format("  %-7s %-34s %s%n", mark(c), c.name(), c.detail()));
            }
            s.append("\nSetup flags\n");
            for (Capabilities.Support f : caps.setupFlags()) {
                s.append(String.format("  %-7s %-20s %s%n", mark(f), f.name(), f.detail()));
            }
            s.append("\nOpcodes\n");
            StringBuilder yes = new StringBuilder();
            StringBuilder no = new StringBuilder();
            for (Capabilities.Support o : caps.opcodes()) {
                (o.works() ? yes : no).append(' ').append(o.name());
            }
            s.append(wrap("  supported:", yes.toString()));
            s.append(wrap("  missing:  ", no.length() == 0 ? " (none)" : no.toString()));
            return s.toString();
        }

        private static String mark(Capabilities.Support support) {
            return switch (support.status()) {
                case YES -> "yes";
                case NO -> "no";
                case UNKNOWN -> "unknown";
            };
        }

        private static String wrap(String label, String words) {
            StringBuilder s = new StringBuilder(label);
            int column = label.length();
            for (String word : words.trim().split(" ")) {
                if (column + word.length() + 1 > 100) {
                    s.append('\n').append(" ".repeat(label.length()));
                    column = label.length();
                }
                s.append(' ').append(word);
                column += word.length() + 1;
            }
            return s.append('\n').toString();
        }

        /** The object {@code docs/JSON.md} calls PROBE: every member always there, null where io_uring is not. */
        static String json(Capabilities caps) {
            Json j = Json.topLevelObject()
                    .field("kernel", caps.kernelRelease())
                    .field("machine", caps.machine())
                    .field("available", caps.available())
                    .field("unavailableReason", caps.unavailableReason());
            if (caps.available()) {
                j.name("features").beginObject().field("mask", caps.features()).name("names").beginArray();
                for (String name : Feature.names(caps.features()).split("\\|")) {
                    j.value(name);
                }
                j.endArray().endObject();
                j.field("lastOp", caps.lastOp());
            } else {
                j.field("features", (String) null).field("lastOp", (String) null);
            }
            section(j, "checks", caps.checks());
            section(j, "setupFlags", caps.setupFlags());
            section(j, "opcodes", caps.opcodes());
            return j.endObject().toString();
        }

        private static void section(Json j, String name, List<Capabilities.Support> list) {
            j.name(name).beginObject();
            for (Capabilities.Support s : list) {
                j.name(s.name()).beginObject()
                        .field("status", s.status().name().toLowerCase(java.util.Locale.ROOT))
                        .field("detail", s.detail())
                        .endObject();
            }
            j.endObject();
        }
    }
}
