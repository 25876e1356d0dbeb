package dev.uipc.channel.broker;

import dev.uipc.channel.ChannelException;
import dev.uipc.uring.Errno;
import dev.uipc.uring.ErrnoException;
import dev.uipc.uring.linux.OwnedFd;
import dev.uipc.uring.linux.PeerCredentials;
import dev.uipc.uring.linux.Sockets;

import java.time.Duration;

/**
 * A connection to the broker: one request at a time, each answered by one reply. The
 * connection is also how the broker learns that this process died — it closes with it — so it
 * stays open while anything made through it lives. Thread-safe: requests from several threads
 * take turns. Never on a send or receive path.
 */
public final class BrokerClient implements AutoCloseable {
    /** The client library's logger: events in this process that a user may want to know of. */
    private static final System.Logger LOG = System.getLogger("dev.uipc.channel");

    /** How long a reply may take before the broker is judged stuck. */
    static final Duration REPLY_TIMEOUT = Duration.ofSeconds(30);

    private final BrokerAddress address;
    private final OwnedFd socket;
    private final BrokerProtocol.BrokerInfo info;
    private boolean closed;

    private BrokerClient(BrokerAddress address, OwnedFd socket) {
        this.address = address;
        this.socket = socket;
        try {
            Sockets.setReceiveTimeout(socket.value(), REPLY_TIMEOUT);
            this.info = BrokerProtocol.readHello(call(new BrokerProtocol.Hello(BrokerProtocol.VERSION), 0).data());
        } catch (RuntimeException | Error e) {
            socket.close();
            throw e;
        }
    }

    /**
     * Connects to the broker at {@code address} after checking that it is who it must be;
     * starts one first if none runs there and the address says so.
     *
     * @throws ChannelException ENOENT or ECONNREFUSED if no broker runs there (and none could be
     *                          started), EPERM if what answers cannot be trusted
     */
    public static BrokerClient connect(BrokerAddress address) {
        try {
            return connectOnce(address);
        } catch (ChannelException e) {
            if (!address.startsOnDemand() || (e.errno() != Errno.ENOENT && e.errno() != Errno.ECONNREFUSED)) {
                throw e;
            }
        }
        BrokerStarter.start(address);
        return connectOnce(address);
    }

    static BrokerClient connectOnce(BrokerAddress address) {
        address.checkSocketFile();                   // a directory or a file named by mistake, before trust
        int owner = address.checkDirectory();
        OwnedFd socket;
        try {
            socket = Sockets.connect(address.socket(), Sockets.SOCK_SEQPACKET);
        } catch (ErrnoException e) {
            Errno error = e.error() != null ? e.error() : Errno.EIO;
            String where = address.socket() + address.named();
            throw new ChannelException(error, switch (error) {
                case ENOENT -> "no broker runs at " + where + ": there is no socket" + address.hint();
                case ECONNREFUSED -> "no broker listens at " + where + ": the socket is there, but what made it has "
                        + "stopped" + address.hint();
                case EACCES -> "may not connect to the broker at " + where + " (permission denied): it serves another "
                        + "user alone; use your own broker, or the system broker, which serves everyone";
                default -> "cannot reach the broker at " + where + ": " + e.getMessage();
            }, e);
        }
        try {
            PeerCredentials peer = Sockets.peerCredentials(socket.value());
            address.checkPeer(peer, owner);
        } catch (RuntimeException | Error e) {
            socket.close();
            throw e;
        }
        return new BrokerClient(address, socket);
    }

    /** A reply's bytes and the descriptors that came with it, which the caller now owns. */
    public record Reply(byte[] data, OwnedFd[] fds) {
    }

    /** Sends {@code request} and waits for the broker's reply, with up to {@code maxFds} descriptors. */
    synchronized Reply call(BrokerProtocol.Request request, int maxFds) {
        if (closed) {
            throw new ChannelException(Errno.ENOTCONN, "the connection to the " + address + " is closed");
        }
        try {
            Sockets.sendFds(socket.value(), BrokerProtocol.encode(request));
            Sockets.Received received = Sockets.receiveFds(socket.value(), BrokerProtocol.MAX_REPLY, maxFds);
            if (received.isEndOfStream()) {
                throw gone(null);
            }
            return new Reply(received.data(), received.fds());
        } catch (ErrnoException e) {
            if (e.error() == Errno.EAGAIN) {
                throw new ChannelException(Errno.ETIMEDOUT, "the " + address + " did not answer within "
                        + REPLY_TIMEOUT.toSeconds() + " s; it may be stuck (uipc broker logs say why)", e);
            }
            if (e.error() == Errno.EPIPE || e.error() == Errno.ECONNRESET) {
                throw gone(e);
            }
            throw new ChannelException(e.error(), "talking to the " + address + ": " + e.getMessage(), e);
        }
    }

    private ChannelException gone(Throwable cause) {
        LOG.log(System.Logger.Level.WARNING, "the {0} has gone (it exited or was killed); the channels it held are lost",
                address);
        return new ChannelException(Errno.ECONNRESET, "the " + address + " has gone (it exited or was killed); "
                + "channels it held are lost, though processes attached to them can drain what they have mapped; "
                + "open the registry again to reach a new broker", cause);
    }

    public BrokerAddress address() {
        return address;
    }

    /** What the broker said about itself. */
    BrokerProtocol.BrokerInfo info() {
        return info;
    }

    /** Closes the connection: the broker then detaches everything attached through it. Idempotent. */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            socket.close();
        }
    }
}
