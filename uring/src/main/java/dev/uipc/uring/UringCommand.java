package dev.uipc.uring;

import java.lang.foreign.MemoryLayout;

/**
 * A typed {@code IORING_OP_URING_CMD}: a command for the driver behind a file, such as a
 * socket or an NVMe device. The Java counterpart of the kernel's typed {@code io_uring_cmd}
 * abstraction (Rust {@code IoUringCmd::cmd_data<T>} in {@code rust/kernel/io_uring.rs}): where
 * the kernel side reads the SQE's command bytes as a typed struct, checking that the struct
 * fits, a command here declares its payload as a {@link MemoryLayout}, which
 * {@link Sqe#uringCmd} checks against the room in the entry, and writes it through
 * {@link CommandFields}, which bounds every store to the command area.
 *
 * <p>See {@link SocketCommand} for the socket commands (Linux 6.7+).
 */
public interface UringCommand {
    /** The driver's operation code, {@code sqe->cmd_op}. */
    int commandOp();

    /**
     * The layout of the bytes this command puts in {@code sqe->cmd}: at most 16 bytes, or 80
     * in a ring opened with {@link SetupFlag#SQE128}. Empty for commands that use only named
     * fields.
     */
    default MemoryLayout payloadLayout() {
        return MemoryLayout.structLayout();
    }

    /** Writes the command's fields into the entry being prepared. */
    void writePayload(CommandFields fields);
}
