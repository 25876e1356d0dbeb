package dev.uipc.uring;

import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The fields of an SQE that a {@link DriverCommand} may write: the socket-option fields the
 * kernel's {@code io_uring_sqe} names for URING_CMD ({@code level}, {@code optname},
 * {@code optlen}, {@code optval}) and the raw command bytes ({@code sqe->cmd}), each store
 * bounds-checked against the command area. A flyweight: valid only inside
 * {@link DriverCommand#writePayload}.
 */
public final class CommandFields {
    private final MemorySegment sqes;
    private final long areaSize;
    private long base;

    CommandFields(MemorySegment sqes, boolean sqe128) {
        this.sqes = sqes;
        // cmd[] starts at addr3 (offset 48): 16 bytes to the end of a 64-byte SQE, 80 with SQE128.
        this.areaSize = (sqe128 ? 128 : 64) - KernelAbi.Sqe.CMD;
    }

    CommandFields at(long base) {
        this.base = base;
        return this;
    }

    /**
     * Bytes available in {@code sqe->cmd}.
     *
     * @return 16, or 80 in a ring of 128-byte entries
     */
    public long commandAreaSize() {
        return areaSize;
    }

    /**
     * {@code sqe->level}: the socket option level (e.g. SOL_SOCKET = 1).
     *
     * @param level the level
     * @return these fields, for the next
     */
    public CommandFields level(int level) {
        sqes.set(JAVA_INT, base + KernelAbi.Sqe.LEVEL, level);
        return this;
    }

    /**
     * {@code sqe->optname}: the socket option.
     *
     * @param optname the option
     * @return these fields, for the next
     */
    public CommandFields optname(int optname) {
        sqes.set(JAVA_INT, base + KernelAbi.Sqe.OPTNAME, optname);
        return this;
    }

    /**
     * {@code sqe->optlen}: the length of the option buffer.
     *
     * @param optlen the length in bytes
     * @return these fields, for the next
     */
    public CommandFields optlen(int optlen) {
        sqes.set(JAVA_INT, base + KernelAbi.Sqe.OPTLEN, optlen);
        return this;
    }

    /**
     * {@code sqe->optval}: the option buffer, native memory valid until completion.
     *
     * @param buffer the option buffer
     * @return these fields, for the next
     */
    public CommandFields optval(MemorySegment buffer) {
        if (!buffer.isNative()) {
            throw new IllegalArgumentException("optval must be native memory: the kernel writes it after submission");
        }
        sqes.set(JAVA_LONG, base + KernelAbi.Sqe.CMD, buffer.address());
        return this;
    }

    /**
     * Writes one byte of the command area.
     *
     * @param offset where in the command area
     * @param value  the byte
     * @return these fields, for the next
     * @throws IndexOutOfBoundsException if it does not fit in the command area
     */
    public CommandFields commandByte(long offset, byte value) {
        check(offset, 1);
        sqes.set(JAVA_BYTE, base + KernelAbi.Sqe.CMD + offset, value);
        return this;
    }

    /**
     * Writes a 32-bit value into the command area.
     *
     * @param offset where in the command area, a multiple of 4
     * @param value  the value
     * @return these fields, for the next
     * @throws IndexOutOfBoundsException if it does not fit, aligned, in the command area
     */
    public CommandFields commandInt(long offset, int value) {
        check(offset, Integer.BYTES);
        sqes.set(JAVA_INT, base + KernelAbi.Sqe.CMD + offset, value);
        return this;
    }

    /**
     * Writes a 64-bit value into the command area.
     *
     * @param offset where in the command area, a multiple of 8
     * @param value  the value
     * @return these fields, for the next
     * @throws IndexOutOfBoundsException if it does not fit, aligned, in the command area
     */
    public CommandFields commandLong(long offset, long value) {
        check(offset, Long.BYTES);
        sqes.set(JAVA_LONG, base + KernelAbi.Sqe.CMD + offset, value);
        return this;
    }

    private void check(long offset, int size) {
        if (offset < 0 || offset + size > areaSize || offset % size != 0) {
            throw new IndexOutOfBoundsException("a " + size + "-byte command field at offset " + offset
                    + " does not fit, aligned, in the " + areaSize + "-byte command area");
        }
    }
}
