package dev.uipc.uring.linux;

import dev.uipc.uring.Errno;
import dev.uipc.uring.ErrnoException;
import dev.uipc.uring.ffm.Native;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * Unix-domain sockets as raw descriptors, for what the JDK's socket API cannot do: passing
 * descriptors between processes (SCM_RIGHTS), learning who the peer is (SO_PEERCRED,
 * SO_PEERGROUPS), and handing a socket's fd to io_uring (SEND, RECV, the socket commands of
 * {@link dev.uipc.uring.SocketCommand}).
 *
 * <p>A server {@link #listen}s on a filesystem path and {@link #accept}s; a client
 * {@link #connect}s. Messages that carry descriptors are best sent over
 * {@link #SOCK_SEQPACKET}, which keeps each message whole: {@link #sendFds} and
 * {@link #receiveFds}. Every descriptor made here is close-on-exec, received ones included.
 * Calls block; {@link #setReceiveTimeout} bounds receiving and accepting, and
 * {@link #shutdown} wakes a thread blocked in either.
 *
 * <p>A memfd, pipe or pidfd may be passed; an io_uring fd may not: since 2023 (commit
 * 69db702c8387, "io_uring/af_unix: disable sending io_uring over sockets") the kernel refuses
 * it with EINVAL, and {@link #sendFds} says so.
 */
public final class Sockets {
    private Sockets() {
    }

    /** The address family of Unix-domain sockets, for a socket made without this class. */
    public static final int AF_UNIX = 1;
    /** A byte stream: message boundaries are not kept. */
    public static final int SOCK_STREAM = 1;
    /** Connected, reliable, and each message arrives whole or not at all. */
    public static final int SOCK_SEQPACKET = 5;
    /**
     * Closes the socket on exec, so that no child inherits it: every socket made here has it, and
     * a caller accepting or creating one through io_uring passes it too.
     */
    public static final int SOCK_CLOEXEC = 0x80000;
    /** A socket whose calls fail with EAGAIN instead of waiting. */
    public static final int SOCK_NONBLOCK = 0x800;
    /** The kernel's limit on descriptors in one SCM_RIGHTS message ({@code SCM_MAX_FD}). */
    public static final int MAX_FDS = 253;

    // DO NOT CHANGE: include/uapi/asm-generic/socket.h and linux/socket.h (x86-64 and aarch64 agree).
    private static final int SOL_SOCKET = 1;
    private static final int SO_PEERCRED = 17;
    private static final int SO_RCVTIMEO = 20;
    private static final int SO_PEERGROUPS = 59;
    /** SO_PEERPIDFD (Linux 6.5): a pidfd of the peer, which no pid reuse can make name another process. */
    private static final int SO_PEERPIDFD = 77;
    private static final int SCM_RIGHTS = 1;
    private static final int MSG_CTRUNC = 0x8;
    private static final int MSG_TRUNC = 0x20;
    private static final int MSG_NOSIGNAL = 0x4000;
    private static final int MSG_CMSG_CLOEXEC = 0x40000000;
    private static final int SHUT_RDWR = 2;

    /**
     * Two connected sockets.
     *
     * @param first  one end
     * @param second the other end
     */
    public record Pair(OwnedFd first, OwnedFd second) implements AutoCloseable {
        /** Closes both ends: the second even if closing the first fails. */
        @Override
        public void close() {
            try {
                first.close();
            } finally {
                second.close();
            }
        }
    }

    /**
     * What {@link #receiveFds} got: the bytes, and the descriptors, now owned by the caller.
     *
     * @param data the message's bytes, as many as came
     * @param fds  the descriptors that came with it, close-on-exec, in the order they were sent;
     *             the caller closes each
     */
    public record Received(byte[] data, OwnedFd[] fds) {
        /**
         * No bytes and no descriptors: the peer closed its end (on a {@link #SOCK_SEQPACKET}
         * socket, it may also have sent an empty message, which uipc never does).
         *
         * @return {@code true} if nothing came
         */
        public boolean isEndOfStream() {
            return data.length == 0 && fds.length == 0;
        }

        @Override
        public String toString() {
            return "Received[" + data.length + " bytes, fds=" + Arrays.toString(fds) + "]";
        }
    }

    /**
     * socketpair(AF_UNIX, type | SOCK_CLOEXEC): two sockets connected to each other, such as
     * for a process to hand one to a child.
     *
     * @param type {@link #SOCK_SEQPACKET} or {@link #SOCK_STREAM}
     * @return both ends, which the caller owns
     * @throws IllegalArgumentException for another type
     * @throws ErrnoException EMFILE or ENFILE when no descriptor is free
     */
    public static Pair unixPair(int type) {
        requireType(type);
        try (Arena local = Arena.ofConfined()) {
            MemorySegment fds = local.allocate(JAVA_INT, 2);
            ErrnoException.check(Native.socketpair(AF_UNIX, type | SOCK_CLOEXEC, 0, fds), "socketpair(AF_UNIX)");
            return new Pair(OwnedFd.adopt(fds.getAtIndex(JAVA_INT, 0), "unix socket"),
                    OwnedFd.adopt(fds.getAtIndex(JAVA_INT, 1), "unix socket"));
        }
    }

    // --- server and client ---------------------------------------------------------------------

    /**
     * A socket listening at {@code path} (socket, bind, listen). Binding creates the socket file
     * with this process's umask; who may connect is who may write that file (and search every
     * directory above it), so set its permissions, or better its directory's, before trusting
     * them. Closing the socket does not remove the file.
     *
     * @param path    where to create the socket file: 1 to 107 bytes of UTF-8
     * @param type    {@link #SOCK_SEQPACKET} or {@link #SOCK_STREAM}
     * @param backlog connections the kernel queues before {@link #accept} takes them
     * @return the listening socket, which the caller owns
     * @throws ErrnoException EADDRINUSE if a file exists at {@code path}; EACCES if this user may
     *                        not create a file in its directory; ENOENT if that directory does
     *                        not exist
     * @throws IllegalArgumentException for another type, a backlog below 1, or a path that is
     *                                  empty, too long or holds a NUL
     */
    public static OwnedFd listen(Path path, int type, int backlog) {
        requireType(type);
        if (backlog < 1) {
            throw new IllegalArgumentException("a listening socket needs a backlog of at least 1, not " + backlog);
        }
        OwnedFd socket = newSocket(type, "socket listening at " + path);
        try (Arena local = Arena.ofConfined()) {
            MemorySegment address = address(local, path);
            int r = Native.bind(socket.value(), address, (int) address.byteSize());
            if (r < 0) {
                String hint = r == -Errno.EADDRINUSE.number()
                        ? "a file already exists there; if nothing listens on it (connecting is refused with "
                          + "ECONNREFUSED), remove it and bind again"
                        : r == -Errno.EACCES.number() ? "this user may not create a file in " + path.getParent()
                        : r == -Errno.ENOENT.number() ? "the directory " + path.getParent() + " does not exist" : null;
                throw new ErrnoException(-r, "bind(AF_UNIX, " + path + ")", hint);
            }
            ErrnoException.check(Native.listen(socket.value(), backlog), "listen(" + path + ", " + backlog + ")");
            return socket;
        } catch (RuntimeException | Error e) {
            socket.close();
            throw e;
        }
    }

    /**
     * Takes the next connection from a listening socket (accept4 with SOCK_CLOEXEC), waiting
     * for one; whose it is, is {@link #peerCredentials} of the result.
     *
     * @param listener a socket from {@link #listen}
     * @return the connection, close-on-exec, which the caller owns
     * @throws ErrnoException EINVAL once the listener is {@link #shutdown}; EAGAIN when its
     *                        receive timeout passes
     */
    public static OwnedFd accept(int listener) {
        return accept(listener, SOCK_CLOEXEC);
    }

    /**
     * {@link #accept}, making the new connection non-blocking: {@link #sendFds} and
     * {@link #receiveFds} on it then fail with EAGAIN instead of waiting, so that a server
     * serving many peers from one thread is never held by one of them. Accepting itself still
     * waits for a connection.
     *
     * @param listener a socket from {@link #listen}
     * @return the connection, close-on-exec and non-blocking, which the caller owns
     * @throws ErrnoException EINVAL once the listener is {@link #shutdown}; EAGAIN when its
     *                        receive timeout passes
     */
    public static OwnedFd acceptNonBlocking(int listener) {
        return accept(listener, SOCK_CLOEXEC | SOCK_NONBLOCK);
    }

    private static OwnedFd accept(int listener, int flags) {
        int fd;
        do {
            fd = Native.accept4(listener, MemorySegment.NULL, MemorySegment.NULL, flags);
        } while (fd == -Errno.EINTR.number());
        if (fd < 0) {
            String hint = fd == -Errno.EINVAL.number() ? "the socket is not listening, or was shut down to stop accepting"
                    : fd == -Errno.EAGAIN.number() ? "no connection came within the socket's receive timeout"
                    : fd == -Errno.EMFILE.number() ? "this process has no free descriptor (RLIMIT_NOFILE)" : null;
            throw new ErrnoException(-fd, "accept4(fd " + listener + ")", hint);
        }
        return OwnedFd.adopt(fd, "connection accepted on fd " + listener);
    }

    /**
     * A socket connected to the one listening at {@code path}.
     *
     * @param path the listener's socket file
     * @param type {@link #SOCK_SEQPACKET} or {@link #SOCK_STREAM}, as the listener's
     * @return the connected socket, close-on-exec, which the caller owns
     * @throws ErrnoException ENOENT if nothing is at {@code path}, ECONNREFUSED if nothing
     *                        listens there, EACCES if this user may not write the socket file,
     *                        EPROTOTYPE if the listener is of the other type
     * @throws IllegalArgumentException for another type, or a path that is empty, longer than
     *                                  107 bytes or holds a NUL
     */
    public static OwnedFd connect(Path path, int type) {
        requireType(type);
        OwnedFd socket = newSocket(type, "socket connected to " + path);
        try (Arena local = Arena.ofConfined()) {
            MemorySegment address = address(local, path);
            int r = Native.connect(socket.value(), address, (int) address.byteSize());
            if (r < 0) {
                String hint = r == -Errno.ENOENT.number() ? "no socket exists at that path"
                        : r == -Errno.ECONNREFUSED.number() ? "the socket file is there but nothing listens on it "
                          + "(its owner exited without removing it)"
                        : r == -Errno.EACCES.number() ? "this user may not write the socket file, or not search a "
                          + "directory above it"
                        : r == -Errno.EPROTOTYPE.number() ? "the socket there is of another type (SOCK_STREAM "
                          + "and SOCK_SEQPACKET do not connect to each other)" : null;
                throw new ErrnoException(-r, "connect(AF_UNIX, " + path + ")", hint);
            }
            return socket;
        } catch (RuntimeException | Error e) {
            socket.close();
            throw e;
        }
    }

    /**
     * Stops both directions of {@code socket} (shutdown SHUT_RDWR): a thread blocked in
     * {@link #accept} on it fails with EINVAL, one blocked in {@link #receiveFds} sees the end
     * of the stream, and the peer sees it too. The descriptor stays open until closed; closing
     * alone would not wake a blocked thread.
     *
     * @param socket a listening or connected Unix socket
     * @throws ErrnoException EBADF if {@code socket} is not open, ENOTSOCK if it is no socket
     */
    public static void shutdown(int socket) {
        ErrnoException.check(Native.shutdown(socket, SHUT_RDWR), "shutdown(fd " + socket + ", SHUT_RDWR)");
    }

    /**
     * Bounds how long {@link #receiveFds} and {@link #accept} wait on {@code socket}
     * (SO_RCVTIMEO), after which they fail with EAGAIN; {@link Duration#ZERO} waits for ever.
     * The kernel counts in microseconds; a positive timeout shorter than one is one.
     *
     * @param socket  a Unix socket, listening or connected
     * @param timeout the longest wait, not negative; {@link Duration#ZERO} for none
     * @throws IllegalArgumentException if {@code timeout} is negative
     */
    public static void setReceiveTimeout(int socket, Duration timeout) {
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("a receive timeout cannot be negative: " + timeout);
        }
        long micros = timeout.isZero() ? 0 : Math.max(1, timeout.toNanos() / 1000);
        try (Arena local = Arena.ofConfined()) {
            MemorySegment value = local.allocate(LinuxAbi.Timeval.LAYOUT);
            value.set(JAVA_LONG, LinuxAbi.Timeval.SEC, micros / 1_000_000);
            value.set(JAVA_LONG, LinuxAbi.Timeval.USEC, micros % 1_000_000);
            ErrnoException.check(Native.setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, value, (int) value.byteSize()),
                    "setsockopt(fd " + socket + ", SO_RCVTIMEO, " + timeout + ")");
        }
    }

    // --- who the peer is -------------------------------------------------------------------------

    /**
     * The credentials the kernel recorded for the peer of a connected Unix socket (SO_PEERCRED).
     *
     * @param socket a connected Unix socket, an accepted one or either of a {@link #unixPair}
     * @return the peer's pid, uid and gid as they were when it connected (for a pair, of the
     *         process that made it)
     * @throws ErrnoException ENOTSOCK if {@code socket} is no socket
     */
    public static PeerCredentials peerCredentials(int socket) {
        try (Arena local = Arena.ofConfined()) {
            MemorySegment ucred = local.allocate(LinuxAbi.Ucred.LAYOUT);
            MemorySegment length = local.allocate(JAVA_INT);
            length.set(JAVA_INT, 0, (int) ucred.byteSize());
            ErrnoException.check(Native.getsockopt(socket, SOL_SOCKET, SO_PEERCRED, ucred, length),
                    "getsockopt(fd " + socket + ", SO_PEERCRED)");
            return new PeerCredentials(ucred.get(JAVA_INT, LinuxAbi.Ucred.PID), ucred.get(JAVA_INT, LinuxAbi.Ucred.UID),
                    ucred.get(JAVA_INT, LinuxAbi.Ucred.GID));
        }
    }

    /**
     * The peer's supplementary groups when it connected (SO_PEERGROUPS, Linux 4.13), which a
     * permission check by group needs beside {@link PeerCredentials#gid()}; in a new array on
     * each call.
     *
     * @param socket a connected Unix socket
     * @return the group ids, in the kernel's order; empty if the peer has none
     * @throws ErrnoException ENOPROTOOPT before Linux 4.13
     */
    public static int[] peerGroups(int socket) {
        try (Arena local = Arena.ofConfined()) {
            MemorySegment length = local.allocate(JAVA_INT);
            int capacity = 64;
            while (true) {
                MemorySegment groups = local.allocate(JAVA_INT, capacity);
                length.set(JAVA_INT, 0, (int) groups.byteSize());
                int r = Native.getsockopt(socket, SOL_SOCKET, SO_PEERGROUPS, groups, length);
                if (r == -Errno.ERANGE.number() && length.get(JAVA_INT, 0) > groups.byteSize()) {
                    capacity = length.get(JAVA_INT, 0) / Integer.BYTES;       // the kernel said how many
                    continue;
                }
                ErrnoException.check(r, "getsockopt(fd " + socket + ", SO_PEERGROUPS)");
                return groups.asSlice(0, length.get(JAVA_INT, 0)).toArray(JAVA_INT);
            }
        }
    }

    /**
     * A pidfd of the process that connected the peer end of a Unix socket (SO_PEERPIDFD, Linux
     * 6.5): unlike the pid of {@link #peerCredentials}, it names that very process even if it has
     * died and its pid been reused. The caller owns it.
     *
     * @param socket a connected Unix socket
     * @return the pidfd, close-on-exec, which the caller owns
     * @throws ErrnoException ENOPROTOOPT before Linux 6.5
     */
    public static OwnedFd peerPidFd(int socket) {
        try (Arena local = Arena.ofConfined()) {
            MemorySegment value = local.allocate(JAVA_INT);
            MemorySegment length = local.allocate(JAVA_INT);
            length.set(JAVA_INT, 0, Integer.BYTES);
            int r = Native.getsockopt(socket, SOL_SOCKET, SO_PEERPIDFD, value, length);
            if (r < 0) {
                throw new ErrnoException(-r, "getsockopt(fd " + socket + ", SO_PEERPIDFD)",
                        r == -Errno.ENOPROTOOPT.number() ? "SO_PEERPIDFD needs Linux 6.5 or later" : null);
            }
            return OwnedFd.adopt(value.get(JAVA_INT, 0), "pidfd of the peer of socket " + socket);
        }
    }

    // --- descriptors -------------------------------------------------------------------------------

    /**
     * Sends {@code data} with copies of {@code fds} attached (sendmsg(2), SCM_RIGHTS), in one
     * message. At least one byte of data must travel with descriptors. A peer that has gone is
     * EPIPE, not a signal. The sender keeps its own descriptors; the peer gets copies that
     * share each file, as after dup(2).
     *
     * @param socket a connected Unix socket
     * @param data   the bytes to send: at least one, with descriptors or without
     * @param fds    the descriptors to send copies of, at most {@link #MAX_FDS}; none for a
     *               message of bytes alone
     * @return bytes sent
     * @throws ErrnoException EPIPE if the peer has closed its end; EINVAL if one of {@code fds}
     *                        is an io_uring; EAGAIN if the socket is non-blocking and its buffer
     *                        is full
     * @throws IllegalArgumentException if {@code data} is empty or {@code fds} holds more than
     *                                  {@link #MAX_FDS}
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
            long r;
            do {
                r = Native.sendmsg(socket, msg, MSG_NOSIGNAL);
            } while (r == -Errno.EINTR.number());
            if (r < 0) {
                String hint = r == -Errno.EINVAL.number() && fds.length > 0
                        ? "the kernel refuses to pass an io_uring fd over a socket (since 2023); to reach another "
                          + "process's ring, let that process call pidfd_getfd, or wake it through a futex word "
                          + "in shared memory"
                        : r == -Errno.EPIPE.number() ? "the peer has closed its end" : null;
                throw new ErrnoException((int) -r, "sendmsg(fd " + socket + ", SCM_RIGHTS " + Arrays.toString(fds) + ")",
                        hint);
            }
            return r;
        }
    }

    /**
     * Receives one message of up to {@code maxBytes} bytes with up to {@code maxFds}
     * descriptors (recvmsg(2)), waiting for it; received descriptors are close-on-exec and
     * belong to the caller. A message that does not fit is an error, never a silent loss:
     * every descriptor it brought is closed before the exception is thrown.
     *
     * @param socket   a connected Unix socket
     * @param maxBytes the most bytes to take, at least 1: on a {@link #SOCK_SEQPACKET} socket,
     *                 the longest message expected
     * @param maxFds   the most descriptors to take, 0 to {@link #MAX_FDS}
     * @return the bytes and descriptors that came; nothing at all
     *         ({@link Received#isEndOfStream()}) once the peer has closed its end
     * @throws ErrnoException EMSGSIZE if the message carried more than {@code maxFds}
     *                        descriptors (MSG_CTRUNC) or, on a {@link #SOCK_SEQPACKET}
     *                        socket, more than {@code maxBytes} bytes (MSG_TRUNC); EAGAIN when
     *                        the receive timeout passes
     * @throws IllegalArgumentException if {@code maxBytes} is below 1 or {@code maxFds} is
     *                                  outside 0 to {@link #MAX_FDS}
     */
    public static Received receiveFds(int socket, int maxBytes, int maxFds) {
        if (maxBytes < 1 || maxFds < 0 || maxFds > MAX_FDS) {
            throw new IllegalArgumentException("need maxBytes >= 1 and 0 <= maxFds <= " + MAX_FDS + ", not "
                    + maxBytes + " and " + maxFds);
        }
        try (Arena local = Arena.ofConfined()) {
            MemorySegment payload = local.allocate(maxBytes);
            MemorySegment iov = iovec(local, payload);
            long controlLength = maxFds == 0 ? 0 : LinuxAbi.Cmsghdr.space((long) Integer.BYTES * maxFds);
            MemorySegment control = controlLength == 0 ? MemorySegment.NULL : local.allocate(controlLength, 8);
            MemorySegment msg = msghdr(local, iov, control, controlLength);
            long r;
            do {
                r = Native.recvmsg(socket, msg, MSG_CMSG_CLOEXEC);
            } while (r == -Errno.EINTR.number());
            if (r < 0) {
                String hint = r == -Errno.EAGAIN.number() ? "no message came within the socket's receive timeout" : null;
                throw new ErrnoException((int) -r, "recvmsg(fd " + socket + ")", hint);
            }
            OwnedFd[] fds = adoptDescriptors(control, msg.get(JAVA_LONG, LinuxAbi.Msghdr.CONTROLLEN));
            int flags = msg.get(JAVA_INT, LinuxAbi.Msghdr.FLAGS);
            if ((flags & (MSG_CTRUNC | MSG_TRUNC)) != 0) {
                closeAll(fds);
                String hint = (flags & MSG_CTRUNC) != 0
                        ? "the message carried more descriptors than the " + maxFds + " there was room for, or this "
                          + "process has no free descriptor slots (RLIMIT_NOFILE); the ones that did not fit are "
                          + "closed and the message is dropped"
                        : "the message was longer than the " + maxBytes + " bytes there was room for; it is dropped";
                throw new ErrnoException(Errno.EMSGSIZE.number(), "recvmsg(fd " + socket + ")", hint);
            }
            return new Received(payload.asSlice(0, r).toArray(JAVA_BYTE), fds);
        }
    }

    /** Takes ownership of every descriptor in the SCM_RIGHTS messages of {@code control}. */
    private static OwnedFd[] adoptDescriptors(MemorySegment control, long length) {
        List<OwnedFd> fds = new ArrayList<>();
        long at = 0;
        while (at + LinuxAbi.Cmsghdr.DATA <= length) {
            long cmsgLength = control.get(JAVA_LONG, at + LinuxAbi.Cmsghdr.LEN);
            if (cmsgLength < LinuxAbi.Cmsghdr.DATA || at + cmsgLength > length) {
                break;
            }
            if (control.get(JAVA_INT, at + LinuxAbi.Cmsghdr.LEVEL) == SOL_SOCKET
                    && control.get(JAVA_INT, at + LinuxAbi.Cmsghdr.TYPE) == SCM_RIGHTS) {
                for (long fd = at + LinuxAbi.Cmsghdr.DATA; fd + Integer.BYTES <= at + cmsgLength; fd += Integer.BYTES) {
                    fds.add(OwnedFd.adopt(control.get(JAVA_INT, fd), "received fd"));
                }
            }
            at += LinuxAbi.Cmsghdr.space(cmsgLength - LinuxAbi.Cmsghdr.DATA);       // CMSG_NXTHDR
        }
        return fds.toArray(new OwnedFd[0]);
    }

    private static void closeAll(OwnedFd[] fds) {
        for (OwnedFd fd : fds) {
            fd.close();
        }
    }

    // --- plumbing ------------------------------------------------------------------------------------

    private static void requireType(int type) {
        if (type != SOCK_STREAM && type != SOCK_SEQPACKET) {
            throw new IllegalArgumentException("a Unix socket here is SOCK_STREAM (1) or SOCK_SEQPACKET (5), not " + type);
        }
    }

    private static OwnedFd newSocket(int type, String what) {
        return OwnedFd.adopt(ErrnoException.check(Native.socket(AF_UNIX, type | SOCK_CLOEXEC, 0),
                "socket(AF_UNIX, " + (type == SOCK_STREAM ? "SOCK_STREAM" : "SOCK_SEQPACKET") + ")"), what);
    }

    /** {@code struct sockaddr_un} for {@code path}, exactly as long as bind and connect need. */
    private static MemorySegment address(Arena arena, Path path) {
        byte[] bytes = path.toString().getBytes(StandardCharsets.UTF_8);
        if (bytes.length == 0 || bytes.length >= LinuxAbi.SockaddrUn.PATH_CAPACITY) {
            throw new IllegalArgumentException("a Unix socket path holds 1 to " + (LinuxAbi.SockaddrUn.PATH_CAPACITY - 1)
                    + " bytes; " + path + " has " + bytes.length + ": choose a shorter directory");
        }
        for (byte b : bytes) {
            if (b == 0) {
                throw new IllegalArgumentException("a Unix socket path cannot hold a NUL byte: " + path);
            }
        }
        MemorySegment address = arena.allocate(LinuxAbi.SockaddrUn.PATH + bytes.length + 1, 2);
        address.set(JAVA_SHORT, LinuxAbi.SockaddrUn.FAMILY, (short) AF_UNIX);
        MemorySegment.copy(bytes, 0, address, JAVA_BYTE, LinuxAbi.SockaddrUn.PATH, bytes.length);
        return address;                                                   // the last byte is NUL
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
