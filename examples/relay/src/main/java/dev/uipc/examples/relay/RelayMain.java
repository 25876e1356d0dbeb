package dev.uipc.examples.relay;

import dev.uipc.channel.Channel;
import dev.uipc.channel.ChannelOptions;
import dev.uipc.channel.Mode;
import dev.uipc.channel.Registry;

import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * Runs a {@link Relay} on loopback: creates its two channels (they go when it exits), prints
 * where it listens and which keys to attach to, and relays until killed.
 *
 * <pre>
 *   java --enable-native-access=ALL-UNNAMED -cp 'target/classes:target/lib/*' \
 *        dev.uipc.examples.relay.RelayMain [port] [inbound key] [outbound key]
 *   uipc recv --key 0x7e1a0001          # what TCP clients send
 *   uipc send --key 0x7e1a0002 hello    # what they receive (4-byte length, then the bytes)
 * </pre>
 */
public final class RelayMain {
    private RelayMain() {
    }

    /**
     * Relays until killed.
     *
     * @param args port (default 0: any), inbound key (default 0x7e1a0001), outbound key (default 0x7e1a0002)
     */
    public static void main(String[] args) {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 0;
        long inboundKey = args.length > 1 ? Long.decode(args[1]) : 0x7e1a0001L;
        long outboundKey = args.length > 2 ? Long.decode(args[2]) : 0x7e1a0002L;
        try (Registry registry = Registry.open();
             Channel inbound = registry.create(ChannelOptions.of(Mode.UNICAST).withKey(inboundKey));
             Channel outbound = registry.create(ChannelOptions.of(Mode.UNICAST).withKey(outboundKey));
             Relay relay = new Relay(registry, new InetSocketAddress(InetAddress.getLoopbackAddress(), port),
                     inboundKey, outboundKey)) {
            System.out.printf("relay: listening at %s; what clients send goes to channel 0x%x (id %d), what is sent "
                    + "to channel 0x%x (id %d) goes to them%n", relay.address(), inboundKey, inbound.id(), outboundKey,
                    outbound.id());
            relay.run();
        }
    }
}
