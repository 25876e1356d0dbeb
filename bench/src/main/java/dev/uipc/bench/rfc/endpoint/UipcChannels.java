package dev.uipc.bench.rfc.endpoint;

import dev.uipc.channel.Broker;
import dev.uipc.channel.Channel;
import dev.uipc.channel.ChannelOptions;
import dev.uipc.channel.Mode;
import dev.uipc.channel.Registry;
import dev.uipc.channel.WaitStrategy;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * uipc adapter 1 of 3, the owner's side: how the suite makes and destroys channels, and what its
 * wait classes mean in uipc's terms. With {@link UipcSender} and {@link UipcReceiver}, the only
 * classes of the suite that use uipc's channel API, so that a change of that API is ported here.
 * The suite embeds its own broker, on a socket in its private directory, so that a run neither
 * needs nor disturbs a broker the machine may have.
 */
public final class UipcChannels implements AutoCloseable {
    private final Broker broker;
    private final Registry registry;
    private final Map<Long, Channel> channels = new HashMap<>();
    private long nextKey = 0xbe9c_0001L;

    public UipcChannels(Path directory) {
        this.broker = Broker.start(directory.resolve("broker.sock"));
        this.registry = Registry.connect(broker.socket());
    }

    /** The broker's socket, which the workers connect to. */
    public Path socket() {
        return broker.socket();
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
        try {
            for (Channel channel : channels.values()) {
                channel.close();
            }
            channels.clear();
            registry.close();
        } finally {
            broker.close();
        }
    }
}
