package dev.uipc.uring.linux;

import dev.uipc.uring.Errno;
import dev.uipc.uring.ErrnoException;
import dev.uipc.uring.ffm.Native;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED;

/**
 * TCP sockets as descriptors, for an io_uring to read, write and accept on: the JDK's own
 * sockets keep theirs to themselves. IPv4 and IPv6; every socket is close-on-exec.
 */
public final class TcpSockets {
    private TcpSockets() {
    }

    private static final int AF_INET = 2;
    private static final int AF_INET6 = 10;
    private static final int SOCK_STREAM = 1;
    private static final int SOCK_CLOEXEC = 0x80000;
    private static final int SOL_SOCKET = 1;
    private static final int SO_REUSEADDR = 2;
    private static final int IPPROTO_TCP = 6;
    private static final int TCP_NODELAY = 1;
    /** Room for either address structure. */
    private static final int ADDRESS_BYTES = 28;
    /** Ports travel in network byte order: big-endian. */
    private static final java.lang.foreign.ValueLayout.OfShort PORT = JAVA_SHORT_UNALIGNED.withOrder(
            java.nio.ByteOrder.BIG_ENDIAN);

    /**
     * A socket listening at {@code address} (port 0: the kernel picks one; see
     * {@link #localAddress}), with SO_REUSEADDR so that a restarted server can bind again at once.
     *
     * @param address where to listen: a resolved IPv4 or IPv6 address (the wildcard for every
     *                interface) and a port
     * @param backlog connections the kernel queues before they are accepted; at least 1
     * @return the listening socket, close-on-exec, which the caller owns
     * @throws ErrnoException EADDRINUSE if another socket listens there; EACCES for a port below
     *                        1024 without CAP_NET_BIND_SERVICE
     * @throws IllegalArgumentException if {@code backlog} is below 1 or {@code address} is
     *                                  unresolved
     */
    public static OwnedFd listen(InetSocketAddress address, int backlog) {
        if (backlog < 1) {
            throw new IllegalArgumentException("a listening socket needs a backlog of at least 1, not " + backlog);
        }
        OwnedFd socket = newSocket(address, "TCP socket listening at " + address);
        try (Arena local = Arena.ofConfined()) {
            MemorySegment one = local.allocate(JAVA_INT);
            one.set(JAVA_INT, 0, 1);
            ErrnoException.check(Native.setsockopt(socket.value(), SOL_SOCKET, SO_REUSEADDR, one, Integer.BYTES),
                    "setsockopt(SO_REUSEADDR)");
            MemorySegment sockaddr = encode(local, address);
            int r = Native.bind(socket.value(), sockaddr, (int) sockaddr.byteSize());
            if (r < 0) {
                throw new ErrnoException(-r, "bind(" + address + ")", r == -Errno.EADDRINUSE.number()
                        ? "another socket listens on that port; choose another, or port 0 for any free one"
                        : r == -Errno.EACCES.number() ? "ports below 1024 need CAP_NET_BIND_SERVICE" : null);
            }
            ErrnoException.check(Native.listen(socket.value(), backlog), "listen(" + address + ", " + backlog + ")");
            return socket;
        } catch (RuntimeException | Error e) {
            socket.close();
            throw e;
        }
    }

    /**
     * A socket connected to {@code address}, with TCP_NODELAY (small messages go out at once).
     *
     * @param address where to connect: a resolved IPv4 or IPv6 address and a port
     * @return the connected socket, close-on-exec, which the caller owns
     * @throws ErrnoException ECONNREFUSED if nothing listens there
     * @throws IllegalArgumentException if {@code address} is unresolved
     */
    public static OwnedFd connect(InetSocketAddress address) {
        OwnedFd socket = newSocket(address, "TCP socket connected to " + address);
        try (Arena local = Arena.ofConfined()) {
            MemorySegment sockaddr = encode(local, address);
            int r;
            do {
                r = Native.connect(socket.value(), sockaddr, (int) sockaddr.byteSize());
            } while (r == -Errno.EINTR.number());
            if (r < 0) {
                throw new ErrnoException(-r, "connect(" + address + ")",
                        r == -Errno.ECONNREFUSED.number() ? "nothing listens at that address and port" : null);
            }
            noDelay(socket.value());
            return socket;
        } catch (RuntimeException | Error e) {
            socket.close();
            throw e;
        }
    }

    /**
     * Sends small writes at once (TCP_NODELAY): what a message relay wants; call it on accepted sockets.
     *
     * @param socket a TCP socket
     * @throws ErrnoException if {@code socket} is not a TCP socket (ENOTSOCK for no socket at all)
     */
    public static void noDelay(int socket) {
        try (Arena local = Arena.ofConfined()) {
            MemorySegment one = local.allocate(JAVA_INT);
            one.set(JAVA_INT, 0, 1);
            ErrnoException.check(Native.setsockopt(socket, IPPROTO_TCP, TCP_NODELAY, one, Integer.BYTES),
                    "setsockopt(fd " + socket + ", TCP_NODELAY)");
        }
    }

    /**
     * The address and port {@code socket} is bound to (getsockname): the port a listener on port 0 got.
     *
     * @param socket a bound TCP socket, listening or connected
     * @return its local address and port
     * @throws ErrnoException ENOTSOCK if {@code socket} is no socket
     * @throws IllegalArgumentException if it is not an IPv4 or IPv6 socket
     */
    public static InetSocketAddress localAddress(int socket) {
        try (Arena local = Arena.ofConfined()) {
            MemorySegment sockaddr = local.allocate(ADDRESS_BYTES, 4);
            MemorySegment length = local.allocate(JAVA_INT);
            length.set(JAVA_INT, 0, ADDRESS_BYTES);
            ErrnoException.check(Native.getsockname(socket, sockaddr, length), "getsockname(fd " + socket + ")");
            return decode(sockaddr);
        }
    }

    private static OwnedFd newSocket(InetSocketAddress address, String what) {
        if (address.isUnresolved()) {
            throw new IllegalArgumentException(address + " is unresolved; resolve the host name first");
        }
        int family = address.getAddress() instanceof Inet6Address ? AF_INET6 : AF_INET;
        int fd = Native.socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0);
        ErrnoException.check(fd, "socket(" + (family == AF_INET ? "AF_INET" : "AF_INET6") + ", SOCK_STREAM)");
        return OwnedFd.adopt(fd, what);
    }

    private static MemorySegment encode(Arena arena, InetSocketAddress address) {
        InetAddress ip = address.getAddress();
        if (ip instanceof Inet4Address) {
            MemorySegment s = arena.allocate(LinuxAbi.SockaddrIn.LAYOUT);
            s.set(JAVA_SHORT, LinuxAbi.SockaddrIn.FAMILY, (short) AF_INET);
            s.set(PORT, LinuxAbi.SockaddrIn.PORT, (short) address.getPort());
            MemorySegment.copy(ip.getAddress(), 0, s, JAVA_BYTE, LinuxAbi.SockaddrIn.ADDR, 4);
            return s;
        }
        Inet6Address ip6 = (Inet6Address) ip;
        MemorySegment s = arena.allocate(LinuxAbi.SockaddrIn6.LAYOUT);
        s.set(JAVA_SHORT, LinuxAbi.SockaddrIn6.FAMILY, (short) AF_INET6);
        s.set(PORT, LinuxAbi.SockaddrIn6.PORT, (short) address.getPort());
        MemorySegment.copy(ip6.getAddress(), 0, s, JAVA_BYTE, LinuxAbi.SockaddrIn6.ADDR, 16);
        s.set(JAVA_INT, LinuxAbi.SockaddrIn6.SCOPE_ID, ip6.getScopeId());
        return s;
    }

    private static InetSocketAddress decode(MemorySegment s) {
        int family = s.get(JAVA_SHORT, 0);
        try {
            if (family == AF_INET) {
                byte[] ip = s.asSlice(LinuxAbi.SockaddrIn.ADDR, 4).toArray(JAVA_BYTE);
                return new InetSocketAddress(InetAddress.getByAddress(ip),
                        Short.toUnsignedInt(s.get(PORT, LinuxAbi.SockaddrIn.PORT)));
            }
            if (family == AF_INET6) {
                byte[] ip = s.asSlice(LinuxAbi.SockaddrIn6.ADDR, 16).toArray(JAVA_BYTE);
                return new InetSocketAddress(Inet6Address.getByAddress(null, ip,
                        s.get(JAVA_INT, LinuxAbi.SockaddrIn6.SCOPE_ID)),
                        Short.toUnsignedInt(s.get(PORT, LinuxAbi.SockaddrIn6.PORT)));
            }
        } catch (UnknownHostException e) {
            throw new IllegalStateException("the kernel returned a malformed address", e);
        }
        throw new IllegalArgumentException("the socket is not an internet socket (address family " + family + ")");
    }
}
