package dev.uipc.uring;

/**
 * io_uring operation codes ({@code enum io_uring_op} in {@code include/uapi/linux/io_uring.h}).
 * DO NOT CHANGE: the values are the enum's ordinals, which the kernel only ever appends to.
 * Whether this kernel supports one is {@link Probe#supports(int)}.
 */
public final class Opcode {
    private Opcode() {
    }

    /** Does nothing and completes: measures the ring itself (5.1). */
    public static final int NOP = 0;
    /** Reads into several buffers, as {@code readv(2)} (5.1). */
    public static final int READV = 1;
    /** Writes from several buffers, as {@code writev(2)} (5.1). */
    public static final int WRITEV = 2;
    /** Flushes a file to storage, as {@code fsync(2)} (5.1). */
    public static final int FSYNC = 3;
    /** Reads into a registered buffer (5.1). */
    public static final int READ_FIXED = 4;
    /** Writes from a registered buffer (5.1). */
    public static final int WRITE_FIXED = 5;
    /** Waits for a file to become readable or writable, as {@code poll(2)} (5.1). */
    public static final int POLL_ADD = 6;
    /** Cancels a pending {@link #POLL_ADD} (5.1). */
    public static final int POLL_REMOVE = 7;
    /** Flushes part of a file, as {@code sync_file_range(2)} (5.2). */
    public static final int SYNC_FILE_RANGE = 8;
    /** Sends a message on a socket, as {@code sendmsg(2)} (5.3). */
    public static final int SENDMSG = 9;
    /** Receives a message from a socket, as {@code recvmsg(2)} (5.3). */
    public static final int RECVMSG = 10;
    /** Completes after a time, or after a number of other completions (5.4). */
    public static final int TIMEOUT = 11;
    /** Cancels or updates a pending {@link #TIMEOUT} (5.5). */
    public static final int TIMEOUT_REMOVE = 12;
    /** Accepts a connection, as {@code accept4(2)} (5.5). */
    public static final int ACCEPT = 13;
    /** Cancels a pending request by its user data (5.5). */
    public static final int ASYNC_CANCEL = 14;
    /** Bounds the time of the request linked before it, cancelling it when it passes (5.5). */
    public static final int LINK_TIMEOUT = 15;
    /** Connects a socket, as {@code connect(2)} (5.5). */
    public static final int CONNECT = 16;
    /** Allocates file space, as {@code fallocate(2)} (5.6). */
    public static final int FALLOCATE = 17;
    /** Opens a file, as {@code openat(2)} (5.6). */
    public static final int OPENAT = 18;
    /** Closes a file descriptor, as {@code close(2)} (5.6). */
    public static final int CLOSE = 19;
    /** Updates the ring's registered files (5.6). */
    public static final int FILES_UPDATE = 20;
    /** Reads a file's status, as {@code statx(2)} (5.6). */
    public static final int STATX = 21;
    /** Reads into one buffer, as {@code pread(2)} (5.6). */
    public static final int READ = 22;
    /** Writes from one buffer, as {@code pwrite(2)} (5.6). */
    public static final int WRITE = 23;
    /** Declares a file access pattern, as {@code posix_fadvise(2)} (5.6). */
    public static final int FADVISE = 24;
    /** Declares a memory access pattern, as {@code madvise(2)} (5.6). */
    public static final int MADVISE = 25;
    /** Sends on a socket, as {@code send(2)} (5.6). */
    public static final int SEND = 26;
    /** Receives from a socket, as {@code recv(2)} (5.6). */
    public static final int RECV = 27;
    /** Opens a file, as {@code openat2(2)} (5.6). */
    public static final int OPENAT2 = 28;
    /** Changes an epoll set, as {@code epoll_ctl(2)} (5.6). */
    public static final int EPOLL_CTL = 29;
    /** Moves data between a pipe and a file, as {@code splice(2)} (5.7). */
    public static final int SPLICE = 30;
    /** Gives the kernel buffers to pick from for reads (5.7). */
    public static final int PROVIDE_BUFFERS = 31;
    /** Takes back buffers given with {@link #PROVIDE_BUFFERS} (5.7). */
    public static final int REMOVE_BUFFERS = 32;
    /** Duplicates pipe data, as {@code tee(2)} (5.8). */
    public static final int TEE = 33;
    /** Shuts down part of a connection, as {@code shutdown(2)} (5.11). */
    public static final int SHUTDOWN = 34;
    /** Renames a file, as {@code renameat2(2)} (5.11). */
    public static final int RENAMEAT = 35;
    /** Removes a file or directory, as {@code unlinkat(2)} (5.11). */
    public static final int UNLINKAT = 36;
    /** Makes a directory, as {@code mkdirat(2)} (5.15). */
    public static final int MKDIRAT = 37;
    /** Makes a symbolic link, as {@code symlinkat(2)} (5.15). */
    public static final int SYMLINKAT = 38;
    /** Makes a hard link, as {@code linkat(2)} (5.15). */
    public static final int LINKAT = 39;
    /** Post a completion on another ring (5.18). */
    public static final int MSG_RING = 40;
    /** Sets an extended attribute of an open file, as {@code fsetxattr(2)} (5.19). */
    public static final int FSETXATTR = 41;
    /** Sets an extended attribute by path, as {@code setxattr(2)} (5.19). */
    public static final int SETXATTR = 42;
    /** Reads an extended attribute of an open file, as {@code fgetxattr(2)} (5.19). */
    public static final int FGETXATTR = 43;
    /** Reads an extended attribute by path, as {@code getxattr(2)} (5.19). */
    public static final int GETXATTR = 44;
    /** Creates a socket, as {@code socket(2)} (5.19). */
    public static final int SOCKET = 45;
    /** A command for the file's driver, e.g. the socket commands of {@link SocketCommand} (5.19). */
    public static final int URING_CMD = 46;
    /** Sends without copying the buffer, which the kernel reports free in a second completion (6.0). */
    public static final int SEND_ZC = 47;
    /** {@link #SENDMSG} without copying the buffers (6.1). */
    public static final int SENDMSG_ZC = 48;
    /** Reads repeatedly into provided buffers, one completion per read (6.7). */
    public static final int READ_MULTISHOT = 49;
    /** Waits for a child process to change state, as {@code waitid(2)} (6.7). */
    public static final int WAITID = 50;
    /** Wait on a 32-bit futex word (6.7). */
    public static final int FUTEX_WAIT = 51;
    /** Wake waiters on a futex word (6.7). */
    public static final int FUTEX_WAKE = 52;
    /** Wait on up to 128 futex words at once (6.7). */
    public static final int FUTEX_WAITV = 53;
    /** Installs a registered file as a normal file descriptor (6.8). */
    public static final int FIXED_FD_INSTALL = 54;
    /** Sets a file's length, as {@code ftruncate(2)} (6.9). */
    public static final int FTRUNCATE = 55;
    /** Binds a socket to an address, as {@code bind(2)} (6.11). */
    public static final int BIND = 56;
    /** Listens for connections, as {@code listen(2)} (6.11). */
    public static final int LISTEN = 57;
    /** Receives network data into memory shared with the application, without copying (6.15). */
    public static final int RECV_ZC = 58;
    /** Waits for events of an epoll set, as {@code epoll_wait(2)} (6.15). */
    public static final int EPOLL_WAIT = 59;
    /** {@link #READV} into registered buffers (6.15). */
    public static final int READV_FIXED = 60;
    /** {@link #WRITEV} from registered buffers (6.15). */
    public static final int WRITEV_FIXED = 61;
    /** Creates a pipe, as {@code pipe2(2)}. */
    public static final int PIPE = 62;
    /** {@link #NOP} in a 128-byte submission entry. */
    public static final int NOP128 = 63;
    /** {@link #URING_CMD} in a 128-byte submission entry. */
    public static final int URING_CMD128 = 64;

    private static final String[] NAMES = {
        "NOP", "READV", "WRITEV", "FSYNC", "READ_FIXED", "WRITE_FIXED", "POLL_ADD", "POLL_REMOVE",
        "SYNC_FILE_RANGE", "SENDMSG", "RECVMSG", "TIMEOUT", "TIMEOUT_REMOVE", "ACCEPT", "ASYNC_CANCEL",
        "LINK_TIMEOUT", "CONNECT", "FALLOCATE", "OPENAT", "CLOSE", "FILES_UPDATE", "STATX", "READ", "WRITE",
        "FADVISE", "MADVISE", "SEND", "RECV", "OPENAT2", "EPOLL_CTL", "SPLICE", "PROVIDE_BUFFERS",
        "REMOVE_BUFFERS", "TEE", "SHUTDOWN", "RENAMEAT", "UNLINKAT", "MKDIRAT", "SYMLINKAT", "LINKAT",
        "MSG_RING", "FSETXATTR", "SETXATTR", "FGETXATTR", "GETXATTR", "SOCKET", "URING_CMD", "SEND_ZC",
        "SENDMSG_ZC", "READ_MULTISHOT", "WAITID", "FUTEX_WAIT", "FUTEX_WAKE", "FUTEX_WAITV",
        "FIXED_FD_INSTALL", "FTRUNCATE", "BIND", "LISTEN", "RECV_ZC", "EPOLL_WAIT", "READV_FIXED",
        "WRITEV_FIXED", "PIPE", "NOP128", "URING_CMD128",
    };

    /** The number of opcodes this class names; the kernel may know more. */
    public static final int KNOWN = NAMES.length;

    /**
     * An opcode's name, for reports such as {@code uipc uring probe}.
     *
     * @param opcode the operation code
     * @return such as "FUTEX_WAIT" for 51; "OP_99" for an opcode newer than this class
     */
    public static String name(int opcode) {
        return opcode >= 0 && opcode < NAMES.length ? NAMES[opcode] : "OP_" + opcode;
    }
}
