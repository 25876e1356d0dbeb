/**
 * io_uring and the few raw Linux system calls uipc needs, bound with the Foreign Function &amp;
 * Memory API: no JNI, no liburing. This is the only uipc module that performs restricted
 * operations, so it is the only one that needs {@code --enable-native-access=dev.uipc.uring}.
 */
module dev.uipc.uring {
    exports dev.uipc.uring;
}
