package dev.uipc.cli;

import dev.uipc.channel.Registry;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;

/** {@code uipc stat}. */
@Command(name = "stat", mixinStandardHelpOptions = true,
        description = "Show a channel: positions, every subscriber (id, pid, uid, access, position, lag, waiting, "
                + "counts) and the channel's counters. Reads without attaching.")
final class StatCommand implements Callable<Integer> {
    @ArgGroup(exclusive = true, multiplicity = "1")
    ChannelRef channel;

    @Option(names = "--json", description = "Print a JSON object (one per line with --watch).")
    boolean json;

    @Option(names = "--watch", description = "Repeat until interrupted.")
    boolean watch;

    @Option(names = "--interval", converter = Arguments.Time.class, defaultValue = "1s",
            description = "Time between refreshes with --watch. Default: ${DEFAULT-VALUE}.")
    Duration interval;

    @Option(names = "--times", defaultValue = "0", description = "With --watch: stop after this many (0: never).")
    int times;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        try (Registry registry = Registry.open()) {
            int id = channel.resolve(registry);
            PrintWriter out = spec.commandLine().getOut();
            for (int shown = 0; ; shown++) {
                var status = registry.snapshot(id);
                if (json) {
                    out.println(SnapshotText.fields(Json.topLevelObject(), status).endObject());
                } else {
                    if (watch) {
                        out.print("\033[H\033[2J");         // clear the terminal between refreshes
                    }
                    out.print(SnapshotText.statText(status, registry.brokerSocket()));
                }
                out.flush();
                if (!watch || (times > 0 && shown + 1 >= times)) {
                    return ExitStatus.OK;
                }
                Thread.sleep(Math.max(1, interval.toMillis()));
            }
        }
    }
}
