package dev.uipc.uring;

import java.lang.foreign.MemorySegment;

/**
 * The socket commands of {@code IORING_OP_URING_CMD} ({@code enum io_uring_socket_op} in the
 * uapi header; Linux 6.7+ for getsockopt). Their results arrive as the completion's result:
 * <ul>
 *   <li>{@link #inputQueued()} (SIOCINQ): bytes waiting to be read;</li>
 *   <li>{@link #outputQueued()} (SIOCOUTQ): bytes written but not yet taken by the peer;</li>
 *   <li>{@link #getsockopt} (SOL_SOCKET options only): the option's length, with the value
 *       written into the caller's buffer.</li>
 * </ul>
 */
public final class SocketCommand implements DriverCommand {
    // DO NOT CHANGE: enum io_uring_socket_op.
    /** The command op of {@link #inputQueued()}. */
    public static final int SOCKET_URING_OP_SIOCINQ = 0;
    /** The command op of {@link #outputQueued()}. */
    public static final int SOCKET_URING_OP_SIOCOUTQ = 1;
    /** The command op of {@link #getsockopt}. */
    public static final int SOCKET_URING_OP_GETSOCKOPT = 2;
    /** The command op of setsockopt, which this class does not offer yet. */
    public static final int SOCKET_URING_OP_SETSOCKOPT = 3;

    /** {@code SOL_SOCKET}, the only level the io_uring socket commands accept. */
    public static final int SOL_SOCKET = 1;
    /** The socket option that reads the socket's type (SOCK_STREAM, SOCK_SEQPACKET ...). */
    public static final int SO_TYPE = 3;
    /** The socket option of the send buffer's size. */
    public static final int SO_SNDBUF = 7;
    /** The socket option of the receive buffer's size. */
    public static final int SO_RCVBUF = 8;

    private static final SocketCommand INPUT_QUEUED = new SocketCommand(SOCKET_URING_OP_SIOCINQ, 0, 0, null);
    private static final SocketCommand OUTPUT_QUEUED = new SocketCommand(SOCKET_URING_OP_SIOCOUTQ, 0, 0, null);

    private final int op;
    private final int level;
    private final int optname;
    private final MemorySegment value;

    private SocketCommand(int op, int level, int optname, MemorySegment value) {
        this.op = op;
        this.level = level;
        this.optname = optname;
        this.value = value;
    }

    /**
     * SIOCINQ: completes with the number of bytes queued for reading.
     *
     * @return the command, to pass to {@link Sqe#uringCmd}
     */
    public static SocketCommand inputQueued() {
        return INPUT_QUEUED;
    }

    /**
     * SIOCOUTQ: completes with the number of bytes in the send queue.
     *
     * @return the command, to pass to {@link Sqe#uringCmd}
     */
    public static SocketCommand outputQueued() {
        return OUTPUT_QUEUED;
    }

    /**
     * getsockopt(level, optname) into {@code value} (native memory, valid until completion);
     * completes with the option's length.
     *
     * @param level   the option level: {@link #SOL_SOCKET}
     * @param optname the option, such as {@link #SO_RCVBUF}
     * @param value   where the kernel writes the option
     * @return the command, to pass to {@link Sqe#uringCmd}
     */
    public static SocketCommand getsockopt(int level, int optname, MemorySegment value) {
        if (value.byteSize() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("a socket option buffer of " + value.byteSize() + " bytes is too large");
        }
        return new SocketCommand(SOCKET_URING_OP_GETSOCKOPT, level, optname, value);
    }

    @Override
    public int commandOp() {
        return op;
    }

    @Override
    public void writePayload(CommandFields fields) {
        if (op == SOCKET_URING_OP_GETSOCKOPT) {
            fields.level(level).optname(optname).optlen((int) value.byteSize()).optval(value);
        }
    }

    @Override
    public String toString() {
        return switch (op) {
            case SOCKET_URING_OP_SIOCINQ -> "SIOCINQ";
            case SOCKET_URING_OP_SIOCOUTQ -> "SIOCOUTQ";
            default -> "GETSOCKOPT(level=" + level + ", optname=" + optname + ")";
        };
    }
}
