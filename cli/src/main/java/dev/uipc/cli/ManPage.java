package dev.uipc.cli;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The manual page {@code uipc(1)}, in troff's man macros, written from the picocli model: every
 * command, its synopsis, description and options, as {@code --help} shows them, and the exit
 * statuses, environment and files that no single command owns. picocli's own generator writes
 * AsciiDoc, which needs Asciidoctor (and so JRuby) in the build to become a manual page; the
 * model is small enough to write troff from directly.
 */
final class ManPage {
    private ManPage() {
    }

    /** The page for {@code uipc}, version {@code version}. */
    static String render(CommandLine root, String version) {
        StringBuilder s = new StringBuilder();
        CommandSpec spec = root.getCommandSpec();
        s.append(".\\\" Generated from the uipc command-line model (dev.uipc.cli.ManPage); do not edit.\n");
        s.append(".TH UIPC 1 \"\" \"uipc ").append(escape(version)).append("\" \"User Commands\"\n");
        s.append(".nh\n.ad l\n");                 // options and paths are not hyphenated, lines not stretched
        s.append(".SH NAME\n");
        s.append("uipc \\- ").append(escape(lowerFirst(text(spec.usageMessage().description())).replaceAll("\\.$", "")))
                .append('\n');
        s.append(".SH SYNOPSIS\n");
        s.append(".B uipc\n.I COMMAND\n.RI [ OPTIONS ]\n");
        s.append(".SH DESCRIPTION\n");
        paragraph(s, "uipc passes messages between processes on one Linux host through shared memory: channels found "
                + "by id or key, unicast, broadcast and multicast delivery, permissions checked by a broker against "
                + "each caller's credentials. This command creates, uses and watches channels, and runs the broker.");
        paragraph(s, "Results go to standard output; errors go to standard error, as one line beginning with the errno "
                + "name, such as ENOBUFS: channel 3 is full (16 of 16 slots).");
        s.append(".SH COMMANDS\n");
        for (CommandLine sub : commands(root)) {
            command(s, sub.getCommandSpec());
        }
        s.append(".SH \"EXIT STATUS\"\n");
        paragraph(s, "0 on success. Otherwise the errno number of the failure, which the message on standard error "
                + "names first: EPERM 1 (not the owner), ENOENT 2 (no such channel or subscriber), EAGAIN 11 (no "
                + "message), EACCES 13 (permissions), EEXIST 17 (key in use), EISDIR 21, EINVAL 22 (bad value), "
                + "ENOSPC 28, EPIPE 32 (channel destroyed), ENOSYS 38, ENOTSOCK 88, EMSGSIZE 90 (message too large), "
                + "ENOBUFS 105 (ring full), ETIMEDOUT 110 (waited in vain), ECONNREFUSED 111 (no broker listens). "
                + "64 for a command line that does not parse; 70 for a bug in uipc.");
        s.append(".SH ENVIRONMENT\n");
        s.append(".TP\n.B UIPC_BROKER\n");
        s.append(escape("The socket of the broker to use, an absolute path (the Java system property uipc.broker wins "
                + "over it). Without it: the system broker at /run/uipc/broker.sock if its socket exists, else this "
                + "user's own broker, started on demand.")).append('\n');
        s.append(".SH FILES\n");
        s.append(".TP\n.I /run/uipc/broker.sock\n");
        s.append(escape("The system broker's socket: a broker run by root serves every user there.")).append('\n');
        s.append(".TP\n.I $XDG_RUNTIME_DIR/uipc/broker.sock\n.TQ\n.I /tmp/uipc-UID/broker.sock\n");
        s.append(escape("This user's own broker, started by the first client that finds none, with its log broker.log "
                + "beside it; it exits after 30 seconds without a client or a channel.")).append('\n');
        s.append(".SH \"SEE ALSO\"\n");
        paragraph(s, "uipc --help and uipc COMMAND --help; docs/LAYOUT.md (the broker and the shared memory) and "
                + "docs/JSON.md (the JSON outputs) in the uipc sources.");
        return s.toString();
    }

    /** Every command below {@code root} that --help shows, depth first, each once (aliases aside). */
    static List<CommandLine> commands(CommandLine root) {
        Set<CommandLine> seen = new LinkedHashSet<>();
        collect(root, seen);
        seen.remove(root);
        return new ArrayList<>(seen);
    }

    private static void collect(CommandLine command, Set<CommandLine> seen) {
        if (command.getCommandSpec().usageMessage().hidden() || command.getCommand() instanceof CommandLine.HelpCommand) {
            return;
        }
        seen.add(command);
        for (CommandLine sub : command.getSubcommands().values()) {
            collect(sub, seen);
        }
    }

    private static void command(StringBuilder s, CommandSpec spec) {
        s.append(".SS \"").append(escape(spec.qualifiedName())).append("\"\n");
        String synopsis = new CommandLine.Help(spec, new CommandLine.Help.ColorScheme.Builder(CommandLine.Help.Ansi.OFF)
                .build()).synopsis(0).strip();
        s.append(".PP\n").append(escape(synopsis.replaceAll("\\s*\\n\\s*", " "))).append('\n');
        for (String line : spec.usageMessage().description()) {
            paragraph(s, line);
        }
        for (PositionalParamSpec p : spec.positionalParameters()) {
            if (p.hidden()) {
                continue;
            }
            s.append(".TP\n.I ").append(escape(p.paramLabel())).append('\n');
            s.append(escape(text(p.description()))).append('\n');
        }
        for (OptionSpec o : spec.options()) {
            if (o.hidden()) {
                continue;
            }
            s.append(".TP\n");
            List<String> names = new ArrayList<>();
            for (String name : o.names()) {
                names.add("\\fB" + escape(name) + "\\fR");
            }
            s.append(String.join(", ", names));
            if (o.typeInfo().getType() != boolean.class && o.typeInfo().getType() != Boolean.class) {
                s.append(' ').append("\\fI").append(escape(o.paramLabel())).append("\\fR");
            }
            s.append('\n').append(escape(text(o.description()))).append('\n');
        }
    }

    private static void paragraph(StringBuilder s, String text) {
        s.append(".PP\n").append(escape(text)).append('\n');
    }

    private static String text(String[] lines) {
        return String.join(" ", lines).strip();
    }

    private static String lowerFirst(String text) {
        return text.isEmpty() ? text : text.substring(0, 1).toLowerCase(Locale.ROOT) + text.substring(1);
    }

    /**
     * Text as troff reads it literally: backslashes escaped, hyphens as minus signs (so that
     * options can be copied and searched), and a line that would begin with a control character
     * protected.
     */
    static String escape(String text) {
        StringBuilder s = new StringBuilder(text.length() + 8);
        for (String line : text.split("\n", -1)) {
            if (!s.isEmpty()) {
                s.append('\n');
            }
            String escaped = line.replace("\\", "\\e").replace("-", "\\-");
            if (escaped.startsWith(".") || escaped.startsWith("'")) {
                s.append("\\&");
            }
            s.append(escaped);
        }
        return s.toString();
    }
}
