package dev.uipc.cli;

import dev.uipc.channel.ChannelSnapshot;
import dev.uipc.channel.Registry;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;

/** {@code uipc stat}. */
@Command(name = "stat", mixinStandardHelpOptions = true,
        description = {"Show a channel: positions, every subscriber (id, pid, uid, access, position, lag, waiting, "
                + "doorbell, counts) and the channel's counters. Reads without attaching.",
                "Markers in the subscriber table: " + SnapshotText.GONE_LEGEND + "; " + SnapshotText.SENDER_LEGEND + ".",
                "DOORBELL says how peers wake a subscriber that sleeps: 'futex' (a futex wake), 'ring' (a completion "
                        + "posted into its completion loop's io_uring with MSG_RING), or " + SnapshotText.RING_LEGEND
                        + "the error they met, such as EPERM for another user).",
                "With --watch on a terminal the screen is cleared between refreshes; otherwise each refresh follows "
                        + "the last after a blank line, and no terminal escapes are written."})
final class StatCommand implements Callable<Integer> {
    @ArgGroup(exclusive = true, multiplicity = "1")
    ChannelRef channel;

    @Option(names = "--json", description = "Print a JSON object: version, format, broker, timeMillis and channel "
            + "(docs/JSON.md); one per line with --watch.")
    boolean json;

    @Option(names = "--watch", description = "Repeat until interrupted (or --times).")
    boolean watch;

    @Option(names = "--interval", converter = Arguments.Time.class, defaultValue = "1s",
            description = "Time between refreshes with --watch, 1ms or more. Default: ${DEFAULT-VALUE}.")
    Duration interval;

    @Option(names = "--times", defaultValue = "0", description = "With --watch: stop after this many (0: never).")
    int times;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @ParentCommand
    Uipc uipc;

    /** Clears a terminal and puts the cursor at its top left: written only when stdout is a terminal. */
    static final String CLEAR_SCREEN = "\033[H\033[2J";

    @Override
    public Integer call() throws InterruptedException {
        if (watch && (interval.toMillis() < 1 || Arguments.isForever(interval))) {
            throw new Uipc.UsageException("--interval " + Arguments.describe(interval) + " cannot pace --watch: give "
                    + "1ms or more, such as 1s");
        }
        if (times < 0) {
            throw new Uipc.UsageException("--times must be 0 (never stop) or more, not " + times);
        }
        try (Registry registry = Registry.open()) {
            int id = channel.resolve(registry);
            PrintWriter out = spec.commandLine().getOut();
            for (int shown = 0; ; shown++) {
                ChannelSnapshot status = registry.snapshot(id);
                long now = System.currentTimeMillis();
                if (json) {
                    Json j = Json.topLevelObject().field("broker", registry.brokerSocket().toString())
                            .field("timeMillis", now).name("channel");
                    out.println(SnapshotText.channel(j, status).endObject());
                } else {
                    if (watch) {
                        if (uipc.streams.outIsTerminal()) {
                            out.print(CLEAR_SCREEN);
                        } else if (shown > 0) {
                            out.println();
                        }
                        out.printf("every %s, at %s%n", Arguments.describe(interval),
                                SnapshotText.time(Instant.ofEpochMilli(now)));
                    }
                    out.print(SnapshotText.statText(status, registry.brokerSocket()));
                }
                out.flush();
                if (!watch || (times > 0 && shown + 1 >= times)) {
                    return ExitStatus.OK;
                }
                Thread.sleep(interval.toMillis());
            }
        }
    }
}
