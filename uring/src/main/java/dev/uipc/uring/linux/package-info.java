/**
 * The Linux system calls uipc's own modules need besides io_uring, exported to those modules
 * only: shared memory as memfds and their mappings ({@link dev.uipc.uring.linux.MemFd}),
 * Unix sockets that pass descriptors ({@link dev.uipc.uring.linux.Sockets}), process
 * descriptors ({@link dev.uipc.uring.linux.PidFd}),
 * pipes ({@link dev.uipc.uring.linux.Pipe}), and descriptors owned and closed once
 * ({@link dev.uipc.uring.linux.OwnedFd}).
 *
 * <p>Every failure is an {@link dev.uipc.uring.ErrnoException} that names the errno and the
 * call; misuse is an {@link IllegalArgumentException} or {@link IllegalStateException} that
 * says what to do instead. None of this is on a hot path: calls allocate freely.
 * {@code LinuxAbi} (package-private) holds the C structs these calls exchange.
 */
package dev.uipc.uring.linux;
