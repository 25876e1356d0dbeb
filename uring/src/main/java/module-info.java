/**
 * io_uring and the few raw Linux system calls uipc needs, bound with the Foreign Function &amp;
 * Memory API: no JNI, no liburing. This is the only uipc module that performs restricted
 * operations, so it is the only one that needs {@code --enable-native-access=dev.uipc.uring}.
 *
 * <ul>
 *   <li>{@code dev.uipc.uring}, for everyone: rings, submissions and completions, futexes,
 *       errno, and whether io_uring is usable here.</li>
 *   <li>{@code dev.uipc.uring.linux}, for everyone: the descriptors a program hands to an
 *       io_uring or a completion loop — TCP and Unix sockets (with descriptor passing and peer
 *       credentials), pipes, eventfds, memfds and their mappings, process descriptors — each an
 *       {@link dev.uipc.uring.linux.OwnedFd}.</li>
 *   <li>{@code dev.uipc.uring.ffm}, for no one outside this module: the one class that makes
 *       restricted calls.</li>
 * </ul>
 */
module dev.uipc.uring {
    exports dev.uipc.uring;
    exports dev.uipc.uring.linux;
}
