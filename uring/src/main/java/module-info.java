/**
 * io_uring and the few raw Linux system calls uipc needs, bound with the Foreign Function &amp;
 * Memory API: no JNI, no liburing. This is the only uipc module that performs restricted
 * operations, so it is the only one that needs {@code --enable-native-access=dev.uipc.uring}.
 *
 * <ul>
 *   <li>{@code dev.uipc.uring}, for everyone: rings, submissions and completions, futexes,
 *       errno, and whether io_uring is usable here.</li>
 *   <li>{@code dev.uipc.uring.linux}, for uipc's own modules only: memfds, mappings, Unix
 *       sockets with descriptor passing and peer credentials, process descriptors.</li>
 *   <li>{@code dev.uipc.uring.ffm}, for no one outside this module: the one class that makes
 *       restricted calls.</li>
 * </ul>
 */
// "module": javac compiles this module before the ones it exports to, so it cannot find them
// and would warn about each; they are uipc's own, built right after it.
@SuppressWarnings("module")
module dev.uipc.uring {
    exports dev.uipc.uring;
    exports dev.uipc.uring.linux to dev.uipc.channel, dev.uipc.cli, dev.uipc.broker;
}
