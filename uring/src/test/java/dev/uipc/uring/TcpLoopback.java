package dev.uipc.uring;

import dev.uipc.uring.ffm.Native;
import dev.uipc.uring.linux.OwnedFd;
import dev.uipc.uring.linux.Sockets;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * TCP sockets on 127.0.0.1 and the plain-syscall answers the socket commands of
 * {@link SocketCommand} are checked against: io_uring implements SIOCINQ and SIOCOUTQ only
 * for protocols with an ioctl, which Unix sockets lack.
 */
final class TcpLoopback {
    private TcpLoopback() {
    }

    private static final int AF_INET = 2;
    private static final int SOL_SOCKET = 1;
    /** {@code FIONREAD} / {@code SIOCINQ}: bytes waiting to be read. */
    private static final long FIONREAD = 0x541B;
    /** {@code TIOCOUTQ} / {@code SIOCOUTQ}: bytes not yet sent. */
    private static final long TIOCOUTQ = 0x5411;
    /** {@code MSG_DONTWAIT}, a send flag. */
    static final int MSG_DONTWAIT = 0x40;

    /** {@code first} connected, {@code second} accepted; the listening socket is closed before this returns. */
    static Sockets.Pair pair() {
        try (Arena local = Arena.ofConfined();
             OwnedFd listener = OwnedFd.adopt(check(Native.socket(AF_INET, Sockets.SOCK_STREAM | Sockets.SOCK_CLOEXEC, 0),
                     "socket(AF_INET)"), "tcp listener")) {
            // struct sockaddr_in { sa_family_t sin_family; in_port_t sin_port; struct in_addr sin_addr; char zero[8]; }
            MemorySegment address = local.allocate(16, 4);
            address.set(JAVA_SHORT, 0, (short) AF_INET);
            address.set(JAVA_BYTE, 4, (byte) 127);        // 127.0.0.1, network byte order
            address.set(JAVA_BYTE, 7, (byte) 1);
            check(Native.bind(listener.value(), address, 16), "bind(127.0.0.1:0)");
            check(Native.listen(listener.value(), 1), "listen()");
            MemorySegment length = local.allocate(JAVA_INT);
            length.set(JAVA_INT, 0, 16);
            check(Native.getsockname(listener.value(), address, length), "getsockname()");
            OwnedFd client = OwnedFd.adopt(check(Native.socket(AF_INET, Sockets.SOCK_STREAM | Sockets.SOCK_CLOEXEC, 0),
                    "socket(AF_INET)"), "tcp client");
            try {
                check(Native.connect(client.value(), address, 16), "connect(127.0.0.1)");
                OwnedFd server = OwnedFd.adopt(check(Native.accept4(listener.value(), MemorySegment.NULL,
                        MemorySegment.NULL, Sockets.SOCK_CLOEXEC), "accept4()"), "tcp server");
                return new Sockets.Pair(client, server);
            } catch (RuntimeException e) {
                client.close();
                throw e;
            }
        }
    }

    private static int check(int result, String operation) {
        return ErrnoException.check(result, operation);
    }

    /** Bytes queued for reading on {@code socket} (ioctl SIOCINQ). */
    static int inputQueued(int socket) {
        return queued(socket, FIONREAD, "SIOCINQ");
    }

    /** Bytes queued for sending on {@code socket} (ioctl SIOCOUTQ). */
    static int outputQueued(int socket) {
        return queued(socket, TIOCOUTQ, "SIOCOUTQ");
    }

    private static int queued(int socket, long request, String name) {
        try (Arena local = Arena.ofConfined()) {
            MemorySegment count = local.allocate(JAVA_INT);
            check(Native.ioctl(socket, request, count), "ioctl(fd " + socket + ", " + name + ")");
            return count.get(JAVA_INT, 0);
        }
    }

    /** setsockopt(SOL_SOCKET, {@code option}, value). */
    static void setSocketOption(int socket, int option, int value) {
        try (Arena local = Arena.ofConfined()) {
            MemorySegment v = local.allocate(JAVA_INT);
            v.set(JAVA_INT, 0, value);
            check(Native.setsockopt(socket, SOL_SOCKET, option, v, Integer.BYTES),
                    "setsockopt(fd " + socket + ", SOL_SOCKET, " + option + ", " + value + ")");
        }
    }

    /** getsockopt(SOL_SOCKET, {@code option}) as an int. */
    static int socketOption(int socket, int option) {
        try (Arena local = Arena.ofConfined()) {
            MemorySegment value = local.allocate(JAVA_INT);
            MemorySegment length = local.allocate(JAVA_INT);
            length.set(JAVA_INT, 0, Integer.BYTES);
            check(Native.getsockopt(socket, SOL_SOCKET, option, value, length),
                    "getsockopt(fd " + socket + ", SOL_SOCKET, " + option + ")");
            return value.get(JAVA_INT, 0);
        }
    }
}
