package dev.uipc.cli;

import dev.uipc.channel.Channel;
import dev.uipc.channel.ChannelOptions;
import dev.uipc.channel.Mode;
import dev.uipc.channel.Registry;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** {@code uipc create}: makes a channel that persists until {@code uipc destroy}. */
@Command(name = "create", mixinStandardHelpOptions = true,
        description = {"Create a channel and print its id.",
                "The channel persists until 'uipc destroy': this command exits at once, so it cannot own it."})
final class CreateCommand implements Callable<Integer> {
    @Option(names = "--key", converter = Arguments.Key.class,
            description = "A key others can find it by, 1 to 2^64-1 in decimal or 0x-hex (default: none; then others "
                    + "find it by its id).")
    Long key;

    @Option(names = "--mode", defaultValue = "unicast", completionCandidates = ModeNames.class,
            description = "unicast (each message to one receiver), broadcast (to every receiver) or multicast "
                    + "(round-robin over the receivers). Default: ${DEFAULT-VALUE}.")
    Mode mode;

    @Option(names = "--entries", defaultValue = "64", description = "Slots in the ring, a power of two up to 65536. "
            + "Default: ${DEFAULT-VALUE}.")
    int entries;

    @Option(names = "--max-size", converter = Arguments.Size.class, defaultValue = "4096",
            description = "Largest message, 1 byte to 1m. Default: ${DEFAULT-VALUE}.")
    int maxSize;

    @Option(names = "--perm", converter = Arguments.Permissions.class, defaultValue = "0600",
            description = "Who may receive (read) and send (write), as octal file-mode bits. Default: 0600.")
    int permissions;

    @Option(names = "--max-subscribers", defaultValue = "64",
            description = "How many may attach at once, up to 4096. Default: ${DEFAULT-VALUE}.")
    int maxSubscribers;

    @Option(names = "--private", description = "Mark the channel private (the PRIVATE flag of the io_uring RFC "
            + "\"io_uring: add IPC channel infrastructure\"): recorded and shown; who may attach is still decided by "
            + "--perm.")
    boolean isPrivate;

    @Option(names = "--json", description = "Print one JSON object: version, format, broker, and the channel as ls and "
            + "stat print it (docs/JSON.md).")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** The modes as they are written on the command line, for shell completion. */
    static final class ModeNames implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return java.util.Arrays.stream(Mode.values()).map(m -> m.name().toLowerCase(java.util.Locale.ROOT)).iterator();
        }
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (Registry registry = Registry.open()) {
            Channel ch = registry.create(ChannelOptions.of(mode).withKey(key == null ? 0 : key).withEntries(entries)
                    .withMaxMessageSize(maxSize).withPermissions(permissions).withMaxSubscribers(maxSubscribers)
                    .withPrivate(isPrivate).withPersistent(true));
            if (json) {
                // The channel as the broker now holds it: the same object ls and stat print.
                Json j = Json.topLevelObject().field("broker", registry.brokerSocket().toString()).name("channel");
                out.println(SnapshotText.channel(j, ch.snapshot()).endObject());
            } else {
                out.println(ch.id());
            }
        }
        String other = Uipc.otherBroker();
        if (other != null) {
            spec.commandLine().getErr().println("note: " + other);
        }
        return ExitStatus.OK;
    }
}
