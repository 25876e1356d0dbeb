package dev.uipc.bench.rfc.endpoint;

import dev.uipc.channel.Channel;
import dev.uipc.channel.ChannelOptions;
import dev.uipc.channel.Mode;
import dev.uipc.channel.Registry;
import dev.uipc.channel.WaitStrategy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * uipc adapter 1 of 3, the owner's side: how the suite makes and destroys channels, and what its
 * wait classes mean in uipc's terms. With {@link UipcSender} and {@link UipcReceiver}, the only
 * classes of the suite that use uipc's channel API, so that a change of that API is ported here.
 * Channels live under a private root that {@link #close()} deletes.
 */
public final class UipcChannels implements AutoCloseable {
    private final Path root;
    private final Registry registry;
    private final Map<Long, Channel> channels = new HashMap<>();
    private long nextKey = 0xbe9c_0001L;

    public UipcChannels(Path root) {
        this.root = root;
        this.registry = Registry.at(root);
    }

    /** The root the workers attach through. */
    public Path root() {
        return root;
    }

    /**
     * Creates a channel for messages of {@code size} bytes; returns the key senders and receivers
     * attach by.
     *
     * @param delivery  "unicast", "broadcast" or "multicast"
     * @param peers     how many subscribers will attach (senders and receivers)
     */
    public long create(String delivery, int size, int entries, int peers) {
        long key = nextKey++;
        Mode mode = Mode.valueOf(delivery.toUpperCase(java.util.Locale.ROOT));
        Channel channel = registry.create(ChannelOptions.of(mode).withKey(key).withEntries(entries)
                .withMaxMessageSize(size).withMaxSubscribers(Math.max(4, peers + 2)));
        channels.put(key, channel);
        return key;
    }

    /** Destroys the channel with {@code key}. */
    public void destroy(long key) {
        Channel channel = channels.remove(key);
        if (channel != null) {
            channel.close();
        }
    }

    /** The strategy a uipc subscriber uses under a wait class: "spin", "spin-then-park", "park", "park-io-uring". */
    static WaitStrategy strategy(String wait) {
        return switch (wait) {
            case "spin" -> WaitStrategy.busySpin();
            case "spin-then-park" -> WaitStrategy.defaultStrategy();
            case "park" -> WaitStrategy.park();
            case "park-io-uring" -> WaitStrategy.park().viaIoUring();
            default -> throw new IllegalArgumentException("no uipc wait strategy '" + wait + "'");
        };
    }

    @Override
    public void close() {
        for (Channel channel : channels.values()) {
            channel.close();
        }
        channels.clear();
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete " + root, e);
        }
    }
}
