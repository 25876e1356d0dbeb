package dev.uipc.uring;

import java.lang.foreign.MemoryLayout;

/**
 * A command for the driver behind a file, such as a socket or an NVMe device, submitted as an
 * {@code IORING_OP_URING_CMD}. The driver reads the entry's command bytes as a struct of its
 * own; a command here declares that struct as a {@link MemoryLayout}, which
 * {@link Sqe#uringCmd} checks against the room in the entry, and writes it through
 * {@link CommandFields}, which bounds every store to the command area.
 *
 * <p>See {@link SocketCommand} for the socket commands (Linux 6.7+).
 */
public interface DriverCommand {
    /**
     * The driver's operation code, {@code sqe->cmd_op}.
     *
     * @return the operation code the driver defines, such as {@link SocketCommand#SOCKET_URING_OP_SIOCINQ}
     */
    int commandOp();

    /**
     * The layout of the bytes this command puts in {@code sqe->cmd}: at most 16 bytes, or 80
     * in a ring opened with {@link SetupFlag#SQE128}. Empty for commands that use only named
     * fields.
     *
     * @return the struct the driver reads
     */
    default MemoryLayout payloadLayout() {
        return MemoryLayout.structLayout();
    }

    /**
     * Writes the command's fields into the entry being prepared.
     *
     * @param fields the entry's command fields, bounded to its command area
     */
    void writePayload(CommandFields fields);
}
