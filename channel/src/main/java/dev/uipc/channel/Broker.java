package dev.uipc.channel;

import dev.uipc.channel.broker.BrokerAddress;
import dev.uipc.channel.broker.BrokerLoop;
import dev.uipc.channel.broker.BrokerSettings;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * A broker: the process that holds every channel, as the kernel did in the io_uring RFC
 * "io_uring: add IPC channel infrastructure". Clients ask it over a Unix socket to create,
 * attach, detach and destroy; it checks each caller's credentials, hands out the channel memory
 * as sealed descriptors (the ring read-only to receivers), and reaps a client's subscribers the
 * moment its connection closes. Sending and receiving never touch it.
 *
 * <p>Most programs never start one: {@link Registry#open()} finds the system broker, or starts
 * this user's own on demand. Start one yourself to embed it in a program (as tests do, or as
 * Aeron embeds its media driver) — it serves from its own thread until closed — or from the
 * command line with {@code uipc broker}.
 *
 * <pre>{@code
 * try (Broker broker = Broker.start(Path.of("/run/myapp/uipc.sock"));
 *      Registry registry = Registry.connect(broker.socket())) {
 *     ...
 * }
 * }</pre>
 */
public final class Broker implements AutoCloseable {
    private final BrokerLoop loop;
    private final Thread thread;

    private Broker(BrokerLoop loop) {
        this.loop = loop;
        this.thread = Thread.ofPlatform().name("uipc-broker").daemon(true).start(loop);
    }

    /**
     * Starts a broker serving at {@code socket} for this user only: the socket is mode 0600, and
     * its directory (created 0700 if missing) must be writable by its owner alone.
     *
     * @param socket where to listen, such as {@code /run/myapp/uipc.sock}
     * @return the broker, serving from a thread of its own; close it to stop it
     * @throws ChannelException EADDRINUSE if a broker already serves there, EPERM if the
     *                          directory could let someone else replace the socket
     */
    public static Broker start(Path socket) {
        return new Broker(new BrokerLoop(new BrokerSettings(socket, false, null)));
    }

    /**
     * Starts a broker any user may connect to (socket 0666, directory 0755), as the system
     * broker is: each channel's permission bits then decide who may do what.
     *
     * @param socket where to listen
     * @return the broker, serving from a thread of its own; close it to stop it
     * @throws ChannelException EADDRINUSE if a broker already serves there, EPERM if the
     *                          directory could let someone else replace the socket
     */
    public static Broker startShared(Path socket) {
        return new Broker(new BrokerLoop(new BrokerSettings(socket, true, null)));
    }

    /**
     * Serves at {@code socket} on the calling thread until the broker is stopped (or, with an
     * {@code idleExit}, until it has had no client and no channel for that long): what
     * {@code uipc broker} runs. SIGINT and SIGTERM stop it cleanly.
     *
     * @param socket   where to listen
     * @param shared   whether every user may connect, as to the system broker
     * @param idleExit how long to serve without a client or a channel before returning, or
     *                 null to serve until stopped
     * @throws ChannelException EADDRINUSE if a broker already serves there, EPERM if the
     *                          directory could let someone else replace the socket
     */
    public static void serve(Path socket, boolean shared, Duration idleExit) {
        BrokerLoop loop = new BrokerLoop(new BrokerSettings(socket, shared, idleExit));
        java.util.concurrent.CountDownLatch stopped = new java.util.concurrent.CountDownLatch(1);
        // Interrupted (SIGINT, SIGTERM): stop cleanly, so the next broker has nothing to report lost.
        Thread hook = Thread.ofPlatform().unstarted(() -> {
            loop.stop();
            try {
                stopped.await(5, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            loop.run();
        } finally {
            stopped.countDown();
        }
    }

    /**
     * The socket the discovery rule names when nothing more is said: the one named by the
     * {@code uipc.broker} property or {@code UIPC_BROKER}, else the system broker's if it runs,
     * else this user's own (root's own is the system broker's).
     *
     * @return the socket {@link Registry#open()} would connect to now
     * @throws ChannelException EINVAL if the setting is not an absolute path
     */
    public static Path defaultSocket() {
        return BrokerAddress.resolve().socket();
    }

    /**
     * Where it listens: what {@link Registry#connect(Path)} takes, and what other processes
     * must be told (for instance through {@code UIPC_BROKER}) to share its channels.
     *
     * @return the broker's socket
     */
    public Path socket() {
        return loop.settings().socket();
    }

    /**
     * The socket the system broker uses, where every client looks when nothing names another.
     *
     * @return {@code /run/uipc/broker.sock}
     */
    public static Path systemSocket() {
        return BrokerAddress.SYSTEM_SOCKET;
    }

    /**
     * Stops serving: every channel is destroyed and every connection closed (processes still
     * attached keep their mappings, and may drain); the socket file is removed. Waits up to ten
     * seconds for the broker's thread to end.
     */
    @Override
    public void close() {
        loop.stop();
        try {
            thread.join(Duration.ofSeconds(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "Broker[" + Objects.toString(socket()) + "]";
    }
}
