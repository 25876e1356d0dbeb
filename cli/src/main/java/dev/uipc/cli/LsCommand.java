package dev.uipc.cli;

import dev.uipc.channel.ChannelSnapshot;
import dev.uipc.channel.Registry;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.List;
import java.util.concurrent.Callable;

/** {@code uipc ls}. */
@Command(name = "ls", mixinStandardHelpOptions = true,
        description = {"List the channels: id, key, mode, entries, max size, permissions, owner, subscribers, queued. "
                + "The broker reaps the channels of creators that died as they die.",
                "When UIPC_BROKER (or -Duipc.broker) names a broker while another runs where peers without that "
                        + "setting look, a first line says so: those peers will not see these channels."})
final class LsCommand implements Callable<Integer> {
    @Option(names = "--json", description = "Print one JSON object: version, format, broker, warning, and channels, "
            + "an array of the objects create --json and stat --json print (docs/JSON.md).")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        List<ChannelSnapshot> channels;
        java.nio.file.Path broker;
        try (Registry registry = Registry.open()) {
            channels = registry.list();
            broker = registry.brokerSocket();
        }
        String other = Uipc.otherBroker();
        if (json) {
            Json j = Json.topLevelObject().field("broker", broker.toString()).field("warning", other)
                    .name("channels").beginArray();
            channels.forEach(c -> SnapshotText.channel(j, c));
            spec.commandLine().getOut().println(j.endArray().endObject());
        } else {
            if (other != null) {
                spec.commandLine().getOut().println("note: " + other);
            }
            spec.commandLine().getOut().print(SnapshotText.lsTable(channels, broker));
        }
        spec.commandLine().getOut().flush();
        return ExitStatus.OK;
    }
}
