package dev.uipc.uring.linux;

import dev.uipc.uring.Errno;
import dev.uipc.uring.ErrnoException;
import dev.uipc.uring.ffm.Native;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Sockets as raw descriptors, for what the JDK's socket API cannot do: passing descriptors
 * between processes with SCM_RIGHTS, and handing a socket's fd to io_uring (SEND, RECV, the
 * socket commands of {@link dev.uipc.uring.SocketCommand}).
 *
 * <p>A memfd, eventfd or pidfd may be passed; an io_uring fd may not: since 2023 (commit
 * 69db702c8387, "io_uring/af_unix: disable sending io_uring over sockets") the kernel refuses
 * it with EINVAL, and {@link #sendFds} says so.
 */
public final class Sockets {
    private Sockets() {
    }

    public static final int AF_UNIX = 1;
    public static final int SOCK_STREAM = 1;
    public static final int SOCK_SEQPACKET = 5;
    public static final int SOCK_CLOEXEC = 0x80000;
    private static final int SOL_SOCKET = 1;
    private static final int SCM_RIGHTS = 1;
    private static final int MSG_CMSG_CLOEXEC = 0x40000000;
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
            long controlLength = fds.length == 0 ? 0 : LinuxAbi.Cmsghdr.space((long) Integer.BYTES * fds.length);
            MemorySegment control = controlLength == 0 ? MemorySegment.NULL : local.allocate(controlLength, 8);
            if (fds.length > 0) {
                control.set(JAVA_LONG, LinuxAbi.Cmsghdr.LEN, LinuxAbi.Cmsghdr.len((long) Integer.BYTES * fds.length));
                control.set(JAVA_INT, LinuxAbi.Cmsghdr.LEVEL, SOL_SOCKET);
                control.set(JAVA_INT, LinuxAbi.Cmsghdr.TYPE, SCM_RIGHTS);
                for (int i = 0; i < fds.length; i++) {
                    control.set(JAVA_INT, LinuxAbi.Cmsghdr.DATA + (long) i * Integer.BYTES, fds[i]);
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
            long controlLength = maxFds == 0 ? 0 : LinuxAbi.Cmsghdr.space((long) Integer.BYTES * maxFds);
            MemorySegment control = controlLength == 0 ? MemorySegment.NULL : local.allocate(controlLength, 8);
            MemorySegment msg = msghdr(local, iov, control, controlLength);
            long r = ErrnoException.check(Native.recvmsg(socket, msg, MSG_CMSG_CLOEXEC), "recvmsg(fd " + socket + ")");
            byte[] data = payload.asSlice(0, r).toArray(JAVA_BYTE);
            long received = msg.get(JAVA_LONG, LinuxAbi.Msghdr.CONTROLLEN);
            OwnedFd[] fds = new OwnedFd[0];
            if (received >= LinuxAbi.Cmsghdr.DATA
                    && control.get(JAVA_INT, LinuxAbi.Cmsghdr.LEVEL) == SOL_SOCKET
                    && control.get(JAVA_INT, LinuxAbi.Cmsghdr.TYPE) == SCM_RIGHTS) {
                int count = (int) ((control.get(JAVA_LONG, LinuxAbi.Cmsghdr.LEN) - LinuxAbi.Cmsghdr.DATA) / Integer.BYTES);
                fds = new OwnedFd[count];
                for (int i = 0; i < count; i++) {
                    fds[i] = OwnedFd.adopt(control.get(JAVA_INT, LinuxAbi.Cmsghdr.DATA + (long) i * Integer.BYTES),
                            "received fd");
                }
            }
            return new Received(data, fds);
        }
    }

    private static MemorySegment iovec(Arena arena, MemorySegment payload) {
        MemorySegment iov = arena.allocate(LinuxAbi.Iovec.LAYOUT);
        iov.set(JAVA_LONG, LinuxAbi.Iovec.BASE, payload.address());
        iov.set(JAVA_LONG, LinuxAbi.Iovec.LEN, payload.byteSize());
        return iov;
    }

    private static MemorySegment msghdr(Arena arena, MemorySegment iov, MemorySegment control, long controlLength) {
        MemorySegment msg = arena.allocate(LinuxAbi.Msghdr.LAYOUT);
        msg.set(JAVA_LONG, LinuxAbi.Msghdr.IOV, iov.address());
        msg.set(JAVA_LONG, LinuxAbi.Msghdr.IOVLEN, 1L);
        msg.set(JAVA_LONG, LinuxAbi.Msghdr.CONTROL, control.address());
        msg.set(JAVA_LONG, LinuxAbi.Msghdr.CONTROLLEN, controlLength);
        return msg;
    }
}
