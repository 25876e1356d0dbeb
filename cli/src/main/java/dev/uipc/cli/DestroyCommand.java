package dev.uipc.cli;

import dev.uipc.channel.Registry;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

/** {@code uipc destroy}. */
@Command(name = "destroy", mixinStandardHelpOptions = true,
        description = {"Destroy a channel: no new attach or message; attached receivers may drain what was sent.",
                "Only its owner (or root) may. A second destroy is ENOENT."})
final class DestroyCommand implements Callable<Integer> {
    @ArgGroup(exclusive = true, multiplicity = "1")
    ChannelRef channel;

    @Override
    public Integer call() {
        try (Registry registry = Registry.open()) {
            registry.destroy(channel.resolve(registry));
        }
        return ExitStatus.OK;
    }
}
