package dev.uipc.cli;

import dev.uipc.channel.Registry;
import picocli.CommandLine.Option;

/** {@code --id N | --key K}: which channel a command is about. */
final class ChannelRef {
    @Option(names = "--id", required = true, converter = Arguments.ChannelId.class,
            description = "The channel's id (1 or more; uipc ls lists them).")
    Integer id;

    @Option(names = "--key", required = true, converter = Arguments.Key.class,
            description = "The channel's key, 1 to 2^64-1 in decimal or 0x-hex.")
    Long key;

    /** The channel id, looking the key up if one was given. */
    int resolve(Registry registry) {
        return key != null ? registry.idOf(key) : id;
    }

    @Override
    public String toString() {
        return key != null ? "key 0x" + Long.toHexString(key) : "channel " + id;
    }
}
