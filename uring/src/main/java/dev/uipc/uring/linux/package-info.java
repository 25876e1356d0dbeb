/**
 * The Linux system calls uipc needs besides io_uring, and the descriptors a program gives an
 * io_uring or a completion loop to work on. Much of it is what a broker needs to hold channel
 * memory that no peer can take away from another, and to hand it out only to whom the channel's
 * mode allows:
 * <ul>
 *   <li>{@link dev.uipc.uring.linux.MemFd}: memfds allocated up front, sealed against
 *       resizing, of mode 0600, reopened read-only, and mapped without a path;
 *       {@link dev.uipc.uring.linux.FileStatus}: size, allocation, owner and mode of any
 *       descriptor.</li>
 *   <li>{@link dev.uipc.uring.linux.Sockets}: Unix sockets that listen, accept and connect,
 *       pass descriptors (SCM_RIGHTS) and never drop one silently, and report who the peer is
 *       ({@link dev.uipc.uring.linux.PeerCredentials}, supplementary groups).</li>
 *   <li>{@link dev.uipc.uring.linux.TcpSockets}: TCP sockets as descriptors (the JDK's keep
 *       theirs hidden), for a ring to accept, read and write on.</li>
 *   <li>{@link dev.uipc.uring.linux.Session}: leaving the terminal's session (setsid).</li>
 *   <li>{@link dev.uipc.uring.linux.PidFd} (a process's descriptors, for MSG_RING across
 *       processes), {@link dev.uipc.uring.linux.Pipe}, {@link dev.uipc.uring.linux.EventFd}, and
 *       {@link dev.uipc.uring.linux.OwnedFd}: a descriptor owned and closed once.</li>
 * </ul>
 *
 * <p>Every failure is an {@link dev.uipc.uring.ErrnoException} that names the errno and the
 * call; misuse is an {@link IllegalArgumentException} or {@link IllegalStateException} that
 * says what to do instead. None of this is on a hot path: calls allocate freely.
 * {@code LinuxAbi} (package-private) holds the C structs these calls exchange.
 */
package dev.uipc.uring.linux;
