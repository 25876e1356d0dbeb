package dev.uipc.uring;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * Sockets as raw descriptors, for what the JDK's socket API cannot do: passing descriptors
 * between processes with SCM_RIGHTS, and handing a socket's fd to io_uring (SEND, RECV, the
 * socket commands of {@link SocketCommand}).
 *
 * <p>A memfd, eventfd or pidfd may be passed; an io_uring fd may not: since 2023 (commit
 * 69db702c8387, "io_uring/af_unix: disable sending io_uring over sockets") the kernel refuses
 * it with EINVAL, and {@link #sendFds} says so.
 */
public final class Sockets {
    private Sockets() {
    }

    public static final int AF_UNIX = 1;
    public static final int AF_INET = 2;
    public static final int SOCK_STREAM = 1;
    public static final int SOCK_DGRAM = 2;
    public static final int SOCK_SEQPACKET = 5;
    public static final int SOCK_CLOEXEC = 0x80000;
    public static final int SOCK_NONBLOCK = 0x800;
    public static final int MSG_DONTWAIT = 0x40;
    private static final int SOL_SOCKET = 1;
    private static final int SCM_RIGHTS = 1;
    private static final int MSG_CMSG_CLOEXEC = 0x40000000;
    /** {@code FIONREAD} / {@code SIOCINQ}: bytes waiting to be read. */
    static final long FIONREAD = 0x541B;
    /** {@code TIOCOUTQ} / {@code SIOCOUTQ}: bytes not yet sent. */
    static final long TIOCOUTQ = 0x5411;
    /** The kernel's limit on descriptors in one SCM_RIGHTS message ({@code SCM_MAX_FD}). */
    public static final int MAX_FDS = 253;

    /** Two connected sockets. */
    public record Pair(OwnedFd first, OwnedFd second) implements AutoCloseable {
        @Override
        public void close() {
            try {
                first.close();
            } finally {
                second.close();
            }
        }
    }

    /** What {@link #receiveFds} got: the bytes, and the descriptors, now owned by the caller. */
    public record Received(byte[] data, OwnedFd[] fds) {
        @Override
        public String toString() {
            return "Received[" + data.length + " bytes, fds=" + Arrays.toString(fds) + "]";
        }
    }

    /**
     * A connected pair of TCP sockets on 127.0.0.1: {@code first} connected, {@code second}
     * accepted. The listening socket is closed before this returns.
     */
    public static Pair tcpLoopbackPair() {
        try (Arena local = Arena.ofConfined();
             OwnedFd listener = OwnedFd.adopt(check(Native.socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0),
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
            OwnedFd client = OwnedFd.adopt(check(Native.socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0),
                    "socket(AF_INET)"), "tcp client");
            try {
                check(Native.connect(client.value(), address, 16), "connect(127.0.0.1)");
                OwnedFd server = OwnedFd.adopt(check(Native.accept4(listener.value(), MemorySegment.NULL,
                        MemorySegment.NULL, SOCK_CLOEXEC), "accept4()"), "tcp server");
                return new Pair(client, server);
            } catch (RuntimeException e) {
                client.close();
                throw e;
            }
        }
    }

    private static int check(int result, String operation) {
        return ErrnoException.check(result, operation);
    }

    /** setsockopt(SOL_SOCKET, {@code option}, value). */
    public static void setSocketOption(int socket, int option, int value) {
        try (Arena local = Arena.ofConfined()) {
            MemorySegment v = local.allocate(JAVA_INT);
            v.set(JAVA_INT, 0, value);
            check(Native.setsockopt(socket, SOL_SOCKET, option, v, Integer.BYTES),
                    "setsockopt(fd " + socket + ", SOL_SOCKET, " + option + ", " + value + ")");
        }
    }

    /** socketpair(AF_UNIX, type | SOCK_CLOEXEC). */
    public static Pair unixPair(int type) {
        try (Arena local = Arena.ofConfined()) {
            MemorySegment fds = local.allocate(JAVA_INT, 2);
            ErrnoException.check(Native.socketpair(AF_UNIX, type | SOCK_CLOEXEC, 0, fds), "socketpair(AF_UNIX)");
            return new Pair(OwnedFd.adopt(fds.getAtIndex(JAVA_INT, 0), "unix socket"),
                    OwnedFd.adopt(fds.getAtIndex(JAVA_INT, 1), "unix socket"));
        }
    }

    /**
     * Sends {@code data} with copies of {@code fds} attached (sendmsg(2), SCM_RIGHTS). At least
     * one byte of data must travel with descriptors.
     *
     * @return bytes sent
     */
    public static long sendFds(int socket, byte[] data, int... fds) {
        if (data.length == 0) {
            throw new IllegalArgumentException("descriptors travel with at least one byte of data");
        }
        if (fds.length > MAX_FDS) {
            throw new IllegalArgumentException("one message carries at most " + MAX_FDS + " descriptors, not " + fds.length);
        }
        try (Arena local = Arena.ofConfined()) {
            MemorySegment payload = local.allocate(data.length);
            MemorySegment.copy(data, 0, payload, JAVA_BYTE, 0, data.length);
            MemorySegment iov = iovec(local, payload);
            long controlLength = fds.length == 0 ? 0 : KernelAbi.Cmsghdr.space((long) Integer.BYTES * fds.length);
            MemorySegment control = controlLength == 0 ? MemorySegment.NULL : local.allocate(controlLength, 8);
            if (fds.length > 0) {
                control.set(JAVA_LONG, KernelAbi.Cmsghdr.LEN, KernelAbi.Cmsghdr.len((long) Integer.BYTES * fds.length));
                control.set(JAVA_INT, KernelAbi.Cmsghdr.LEVEL, SOL_SOCKET);
                control.set(JAVA_INT, KernelAbi.Cmsghdr.TYPE, SCM_RIGHTS);
                for (int i = 0; i < fds.length; i++) {
                    control.set(JAVA_INT, KernelAbi.Cmsghdr.DATA + (long) i * Integer.BYTES, fds[i]);
                }
            }
            MemorySegment msg = msghdr(local, iov, control, controlLength);
            long r = Native.sendmsg(socket, msg, 0);
            if (r < 0) {
                String hint = r == -Errno.EINVAL.number() && fds.length > 0
                        ? "the kernel refuses to pass an io_uring fd over a socket (since 2023); to reach another "
                          + "process's ring, let that process call pidfd_getfd, or wake it through a futex word "
                          + "in shared memory"
                        : null;
                throw new ErrnoException((int) -r, "sendmsg(fd " + socket + ", SCM_RIGHTS " + Arrays.toString(fds) + ")",
                        hint);
            }
            return r;
        }
    }

    /**
     * Receives up to {@code maxBytes} bytes and up to {@code maxFds} descriptors (recvmsg(2));
     * received descriptors are close-on-exec.
     */
    public static Received receiveFds(int socket, int maxBytes, int maxFds) {
        if (maxBytes < 1 || maxFds < 0 || maxFds > MAX_FDS) {
            throw new IllegalArgumentException("need maxBytes >= 1 and 0 <= maxFds <= " + MAX_FDS);
        }
        try (Arena local = Arena.ofConfined()) {
            MemorySegment payload = local.allocate(maxBytes);
            MemorySegment iov = iovec(local, payload);
            long controlLength = maxFds == 0 ? 0 : KernelAbi.Cmsghdr.space((long) Integer.BYTES * maxFds);
            MemorySegment control = controlLength == 0 ? MemorySegment.NULL : local.allocate(controlLength, 8);
            MemorySegment msg = msghdr(local, iov, control, controlLength);
            long r = ErrnoException.check(Native.recvmsg(socket, msg, MSG_CMSG_CLOEXEC), "recvmsg(fd " + socket + ")");
            byte[] data = payload.asSlice(0, r).toArray(JAVA_BYTE);
            long received = msg.get(JAVA_LONG, KernelAbi.Msghdr.CONTROLLEN);
            OwnedFd[] fds = new OwnedFd[0];
            if (received >= KernelAbi.Cmsghdr.DATA
                    && control.get(JAVA_INT, KernelAbi.Cmsghdr.LEVEL) == SOL_SOCKET
                    && control.get(JAVA_INT, KernelAbi.Cmsghdr.TYPE) == SCM_RIGHTS) {
                int count = (int) ((control.get(JAVA_LONG, KernelAbi.Cmsghdr.LEN) - KernelAbi.Cmsghdr.DATA) / Integer.BYTES);
                fds = new OwnedFd[count];
                for (int i = 0; i < count; i++) {
                    fds[i] = OwnedFd.adopt(control.get(JAVA_INT, KernelAbi.Cmsghdr.DATA + (long) i * Integer.BYTES),
                            "received fd");
                }
            }
            return new Received(data, fds);
        }
    }

    /** Bytes queued for reading on {@code socket} (ioctl SIOCINQ). */
    public static int inputQueued(int socket) {
        return queued(socket, FIONREAD, "SIOCINQ");
    }

    /** Bytes queued for sending on {@code socket} (ioctl SIOCOUTQ). */
    public static int outputQueued(int socket) {
        return queued(socket, TIOCOUTQ, "SIOCOUTQ");
    }

    private static int queued(int socket, long request, String name) {
        try (Arena local = Arena.ofConfined()) {
            MemorySegment count = local.allocate(JAVA_INT);
            ErrnoException.check(Native.ioctl(socket, request, count), "ioctl(fd " + socket + ", " + name + ")");
            return count.get(JAVA_INT, 0);
        }
    }

    /** getsockopt(SOL_SOCKET, {@code option}) as an int. */
    public static int socketOption(int socket, int option) {
        try (Arena local = Arena.ofConfined()) {
            MemorySegment value = local.allocate(JAVA_INT);
            MemorySegment length = local.allocate(JAVA_INT);
            length.set(JAVA_INT, 0, Integer.BYTES);
            ErrnoException.check(Native.getsockopt(socket, SOL_SOCKET, option, value, length),
                    "getsockopt(fd " + socket + ", SOL_SOCKET, " + option + ")");
            return value.get(JAVA_INT, 0);
        }
    }

    private static MemorySegment iovec(Arena arena, MemorySegment payload) {
        MemorySegment iov = arena.allocate(KernelAbi.Iovec.LAYOUT);
        iov.set(JAVA_LONG, KernelAbi.Iovec.BASE, payload.address());
        iov.set(JAVA_LONG, KernelAbi.Iovec.LEN, payload.byteSize());
        return iov;
    }

    private static MemorySegment msghdr(Arena arena, MemorySegment iov, MemorySegment control, long controlLength) {
        MemorySegment msg = arena.allocate(KernelAbi.Msghdr.LAYOUT);
        msg.set(JAVA_LONG, KernelAbi.Msghdr.IOV, iov.address());
        msg.set(JAVA_LONG, KernelAbi.Msghdr.IOVLEN, 1L);
        msg.set(JAVA_LONG, KernelAbi.Msghdr.CONTROL, control.address());
        msg.set(JAVA_LONG, KernelAbi.Msghdr.CONTROLLEN, controlLength);
        return msg;
    }
}
