package dev.uipc.uring;

/**
 * io_uring operation codes ({@code enum io_uring_op} in {@code include/uapi/linux/io_uring.h}).
 * DO NOT CHANGE: the values are the enum's ordinals, which the kernel only ever appends to.
 * Whether this kernel supports one is {@link Probe#supports(int)}.
 */
public final class Opcode {
    private Opcode() {
    }

    public static final int NOP = 0;
    public static final int READV = 1;
    public static final int WRITEV = 2;
    public static final int FSYNC = 3;
    public static final int READ_FIXED = 4;
    public static final int WRITE_FIXED = 5;
    public static final int POLL_ADD = 6;
    public static final int POLL_REMOVE = 7;
    public static final int SYNC_FILE_RANGE = 8;
    public static final int SENDMSG = 9;
    public static final int RECVMSG = 10;
    public static final int TIMEOUT = 11;
    public static final int TIMEOUT_REMOVE = 12;
    public static final int ACCEPT = 13;
    public static final int ASYNC_CANCEL = 14;
    public static final int LINK_TIMEOUT = 15;
    public static final int CONNECT = 16;
    public static final int FALLOCATE = 17;
    public static final int OPENAT = 18;
    public static final int CLOSE = 19;
    public static final int FILES_UPDATE = 20;
    public static final int STATX = 21;
    public static final int READ = 22;
    public static final int WRITE = 23;
    public static final int FADVISE = 24;
    public static final int MADVISE = 25;
    public static final int SEND = 26;
    public static final int RECV = 27;
    public static final int OPENAT2 = 28;
    public static final int EPOLL_CTL = 29;
    public static final int SPLICE = 30;
    public static final int PROVIDE_BUFFERS = 31;
    public static final int REMOVE_BUFFERS = 32;
    public static final int TEE = 33;
    public static final int SHUTDOWN = 34;
    public static final int RENAMEAT = 35;
    public static final int UNLINKAT = 36;
    public static final int MKDIRAT = 37;
    public static final int SYMLINKAT = 38;
    public static final int LINKAT = 39;
    /** Post a completion on another ring (5.18). */
    public static final int MSG_RING = 40;
    public static final int FSETXATTR = 41;
    public static final int SETXATTR = 42;
    public static final int FGETXATTR = 43;
    public static final int GETXATTR = 44;
    public static final int SOCKET = 45;
    /** A command for the file's driver, e.g. the socket commands of {@link SocketCommand} (5.19). */
    public static final int URING_CMD = 46;
    public static final int SEND_ZC = 47;
    public static final int SENDMSG_ZC = 48;
    public static final int READ_MULTISHOT = 49;
    public static final int WAITID = 50;
    /** Wait on a 32-bit futex word (6.7). */
    public static final int FUTEX_WAIT = 51;
    /** Wake waiters on a futex word (6.7). */
    public static final int FUTEX_WAKE = 52;
    /** Wait on up to 128 futex words at once (6.7). */
    public static final int FUTEX_WAITV = 53;
    public static final int FIXED_FD_INSTALL = 54;
    public static final int FTRUNCATE = 55;
    public static final int BIND = 56;
    public static final int LISTEN = 57;
    public static final int RECV_ZC = 58;
    public static final int EPOLL_WAIT = 59;
    public static final int READV_FIXED = 60;
    public static final int WRITEV_FIXED = 61;
    public static final int PIPE = 62;
    public static final int NOP128 = 63;
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

    /** "FUTEX_WAIT" for 51; "OP_99" for an opcode newer than this class. */
    public static String name(int opcode) {
        return opcode >= 0 && opcode < NAMES.length ? NAMES[opcode] : "OP_" + opcode;
    }
}
