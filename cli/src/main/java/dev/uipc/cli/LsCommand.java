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
        description = "List the channels: id, key, mode, entries, max size, permissions, owner, subscribers, queued. "
                + "The broker reaps the channels of creators that died as they die.")
final class LsCommand implements Callable<Integer> {
    @Option(names = "--json", description = "Print a JSON array.")
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
        if (json) {
            Json j = new Json().beginArray();
            channels.forEach(c -> SnapshotText.fields(j.beginObject(), c).endObject());
            spec.commandLine().getOut().println(j.endArray());
        } else {
            spec.commandLine().getOut().print(SnapshotText.lsTable(channels, broker));
        }
        spec.commandLine().getOut().flush();
        return ExitStatus.OK;
    }
}
