package dev.uipc.uring;

import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * A flyweight over one submission queue entry, handed out by {@link Ring#prepare()} already
 * zeroed. Each operation method fills the fields its opcode reads, as the matching
 * {@code io_uring_prep_*} of liburing does; {@link #userData}, {@link #flags} and
 * {@link #link()} may be chained before or after. Nothing here allocates.
 *
 * <p>Memory handed to an operation (a read buffer, a futex word) must be native memory that
 * stays valid until the operation completes. The flyweight itself is reused: it is valid until
 * the next {@link Ring#prepare()}.
 */
public final class Sqe {
    /** {@code FUTEX2_SIZE_U32}: the only futex size io_uring implements (6.7). */
    public static final int FUTEX2_SIZE_U32 = 0x02;
    /** {@code FUTEX2_PRIVATE}: the word is private to this process (faster, but not across processes). */
    public static final int FUTEX2_PRIVATE = 128;
    /** {@code FUTEX_BITSET_MATCH_ANY}: wake or wait regardless of bitset. */
    public static final int FUTEX_BITSET_MATCH_ANY = 0xffffffff;

    /** TIMEOUT flag: the time is absolute (CLOCK_MONOTONIC unless BOOTTIME/REALTIME). */
    public static final int TIMEOUT_ABS = 1;
    /** TIMEOUT flag: complete with 0 instead of -ETIME when the time passes. */
    public static final int TIMEOUT_ETIME_SUCCESS = 1 << 5;

    /** ASYNC_CANCEL flag: cancel every match, not only the first. */
    public static final int CANCEL_ALL = 1;
    /** ASYNC_CANCEL flag: match any request. */
    public static final int CANCEL_ANY = 1 << 2;

    /** MSG_RING command: post a completion with the given result and user data. */
    static final long IORING_MSG_DATA = 0;
    /** MSG_RING flag: pass {@code cqeFlags} through as the target completion's flags. */
    public static final int MSG_RING_FLAGS_PASS = 1 << 1;

    /** poll(2) event for {@link #pollAdd}: there is data to read. */
    public static final int POLLIN = 0x001;
    /** poll(2) event: writing will not block. */
    public static final int POLLOUT = 0x004;
    /** poll(2) event: an error condition (always reported). */
    public static final int POLLERR = 0x008;
    /** poll(2) event: the peer hung up (always reported). */
    public static final int POLLHUP = 0x010;

    private final Ring ring;
    private final MemorySegment sqes;
    private final CommandFields commandFields;
    private long base;
    private int index;

    Sqe(Ring ring, MemorySegment sqes) {
        this.ring = ring;
        this.sqes = sqes;
        this.commandFields = new CommandFields(sqes, (ring.setupFlags() & SetupFlag.SQE128) != 0);
    }

    Sqe at(long base, int index) {
        this.base = base;
        this.index = index;
        return this;
    }

    private Sqe prep(int opcode, int fd, long addr, int len, long off) {
        sqes.set(JAVA_BYTE, base + KernelAbi.Sqe.OPCODE, (byte) opcode);
        sqes.set(JAVA_INT, base + KernelAbi.Sqe.FD, fd);
        sqes.set(JAVA_LONG, base + KernelAbi.Sqe.ADDR, addr);
        sqes.set(JAVA_INT, base + KernelAbi.Sqe.LEN, len);
        sqes.set(JAVA_LONG, base + KernelAbi.Sqe.OFF, off);
        return this;
    }

    private void opFlags(int flags) {
        sqes.set(JAVA_INT, base + KernelAbi.Sqe.OP_FLAGS, flags);
    }

    // --- common fields ------------------------------------------------------------------------

    /**
     * The 64-bit value the completion carries back.
     *
     * @param userData any value; the completion carries it back
     * @return this entry
     */
    public Sqe userData(long userData) {
        sqes.set(JAVA_LONG, base + KernelAbi.Sqe.USER_DATA, userData);
        return this;
    }

    /**
     * Sets the {@link SqeFlag} bits, replacing any set before.
     *
     * @param sqeFlags {@link SqeFlag} bits
     * @return this entry
     */
    public Sqe flags(int sqeFlags) {
        sqes.set(JAVA_BYTE, base + KernelAbi.Sqe.FLAGS, (byte) sqeFlags);
        return this;
    }

    private Sqe addFlags(int sqeFlags) {
        byte current = sqes.get(JAVA_BYTE, base + KernelAbi.Sqe.FLAGS);
        sqes.set(JAVA_BYTE, base + KernelAbi.Sqe.FLAGS, (byte) (current | sqeFlags));
        return this;
    }

    /**
     * Links the next prepared entry to this one ({@link SqeFlag#IO_LINK}).
     *
     * @return this entry
     */
    public Sqe link() {
        return addFlags(SqeFlag.IO_LINK);
    }

    /**
     * Posts no completion when this succeeds ({@link SqeFlag#CQE_SKIP_SUCCESS}).
     *
     * @return this entry
     */
    public Sqe skipSuccess() {
        return addFlags(SqeFlag.CQE_SKIP_SUCCESS);
    }

    // --- operations ------------------------------------------------------------------------------

    /**
     * An operation that does nothing and completes with 0.
     *
     * @return this entry, to set its user data and flags
     */
    public Sqe nop() {
        return prep(Opcode.NOP, -1, 0, 0, 0);
    }

    /**
     * Reads into {@code buffer} from {@code fd} at {@code fileOffset} (-1: the current position).
     *
     * @param fd         the file
     * @param buffer     native memory, valid until the completion
     * @param fileOffset where in the file
     * @return this entry, to set its user data and flags
     */
    public Sqe read(int fd, MemorySegment buffer, long fileOffset) {
        return prep(Opcode.READ, fd, nativeAddress(buffer, "read buffer"), lengthOf(buffer), fileOffset);
    }

    /**
     * Writes {@code buffer} to {@code fd} at {@code fileOffset} (-1: the current position).
     *
     * @param fd         the file
     * @param buffer     native memory, valid until the completion
     * @param fileOffset where in the file
     * @return this entry, to set its user data and flags
     */
    public Sqe write(int fd, MemorySegment buffer, long fileOffset) {
        return prep(Opcode.WRITE, fd, nativeAddress(buffer, "write buffer"), lengthOf(buffer), fileOffset);
    }

    /**
     * Completes once {@code fd} has one of the poll {@code events}; the result is the events seen.
     *
     * @param fd     the file
     * @param events such as {@link #POLLIN}
     * @return this entry, to set its user data and flags
     */
    public Sqe pollAdd(int fd, int events) {
        prep(Opcode.POLL_ADD, fd, 0, 0, 0);
        opFlags(events);
        return this;
    }

    /**
     * Completes after {@code nanos} with {@code -ETIME}, or with 0 once {@code count} other
     * completions have been posted (0: time only).
     *
     * @param nanos        how long, in nanoseconds
     * @param count        completions to wait for instead, 0 for time only
     * @param timeoutFlags such as {@link #TIMEOUT_ABS}, or 0
     * @return this entry, to set its user data and flags
     */
    public Sqe timeout(long nanos, int count, int timeoutFlags) {
        prep(Opcode.TIMEOUT, -1, ring.timespecFor(index, nanos), 1, count);
        opFlags(timeoutFlags);
        return this;
    }

    /**
     * Bounds the entry linked before this one (which must have {@link #link()}): if it has not
     * completed within {@code nanos}, it is cancelled (completing with {@code -ECANCELED}) and
     * this completes with {@code -ETIME} (or, when it cancelled a futex wait, with the count of
     * requests cancelled, 1: the kernel passes the futex cancel count through); otherwise this
     * completes with {@code -ECANCELED}.
     *
     * @param nanos        how long the linked entry may take, in nanoseconds
     * @param timeoutFlags such as {@link #TIMEOUT_ABS}, or 0
     * @return this entry, to set its user data and flags
     */
    public Sqe linkTimeout(long nanos, int timeoutFlags) {
        prep(Opcode.LINK_TIMEOUT, -1, ring.timespecFor(index, nanos), 1, 0);
        opFlags(timeoutFlags);
        return this;
    }

    /**
     * Cancels the pending operation whose user data is {@code targetUserData}. Completes with
     * {@code >= 0} if it was cancelled (0, or for futex waits the number cancelled: the kernel's
     * futex cancel path reports a count), {@code -ENOENT} if none matched, {@code -EALREADY} if
     * it was already running.
     *
     * @param targetUserData the user data of the operation to cancel
     * @param cancelFlags    such as {@link #CANCEL_ALL}, or 0
     * @return this entry, to set its user data and flags
     */
    public Sqe cancel(long targetUserData, int cancelFlags) {
        prep(Opcode.ASYNC_CANCEL, -1, targetUserData, 0, 0);
        opFlags(cancelFlags);
        return this;
    }

    /**
     * Waits until the 32-bit word at {@code offset} in {@code memory} is woken, if it still holds
     * {@code expected}; completes with 0 when woken, {@code -EAGAIN} if the value had already
     * changed. The word is shared (not FUTEX2_PRIVATE): a wake from any process that maps the
     * same file wakes it. There is no timeout field: link a {@link #linkTimeout}.
     *
     * @param memory   shared memory holding the word
     * @param offset   where the 4-byte-aligned word is in {@code memory}
     * @param expected the value to sleep on
     * @return this entry, to set its user data and flags
     */
    public Sqe futexWait(MemorySegment memory, long offset, int expected) {
        return futexWait(memory, offset, expected, FUTEX_BITSET_MATCH_ANY, FUTEX2_SIZE_U32);
    }

    /**
     * {@link #futexWait(MemorySegment, long, int)} with an explicit bitset mask and futex2 flags.
     *
     * @param memory      shared memory holding the word
     * @param offset      where the word is in {@code memory}
     * @param expected    the value to sleep on
     * @param mask        which wakes count, {@link #FUTEX_BITSET_MATCH_ANY} for all
     * @param futex2Flags {@link #FUTEX2_SIZE_U32}, with {@link #FUTEX2_PRIVATE} for a word of this process alone
     * @return this entry, to set its user data and flags
     */
    public Sqe futexWait(MemorySegment memory, long offset, int expected, int mask, int futex2Flags) {
        prep(Opcode.FUTEX_WAIT, futex2Flags, futexAddress(memory, offset), 0, Integer.toUnsignedLong(expected));
        sqes.set(JAVA_LONG, base + KernelAbi.Sqe.ADDR3, Integer.toUnsignedLong(mask));
        return this;
    }

    /**
     * Wakes up to {@code count} waiters on the shared word; completes with the number woken.
     *
     * @param memory shared memory holding the word
     * @param offset where the word is in {@code memory}
     * @param count  how many waiters to wake at most
     * @return this entry, to set its user data and flags
     */
    public Sqe futexWake(MemorySegment memory, long offset, int count) {
        return futexWake(memory, offset, count, FUTEX_BITSET_MATCH_ANY, FUTEX2_SIZE_U32);
    }

    /**
     * {@link #futexWake(MemorySegment, long, int)} with an explicit bitset mask and futex2 flags.
     *
     * @param memory      shared memory holding the word
     * @param offset      where the word is in {@code memory}
     * @param count       how many waiters to wake at most
     * @param mask        which waiters, {@link #FUTEX_BITSET_MATCH_ANY} for all
     * @param futex2Flags {@link #FUTEX2_SIZE_U32}, with {@link #FUTEX2_PRIVATE} for a word of this process alone
     * @return this entry, to set its user data and flags
     */
    public Sqe futexWake(MemorySegment memory, long offset, int count, int mask, int futex2Flags) {
        prep(Opcode.FUTEX_WAKE, futex2Flags, futexAddress(memory, offset), 0, Integer.toUnsignedLong(count));
        sqes.set(JAVA_LONG, base + KernelAbi.Sqe.ADDR3, Integer.toUnsignedLong(mask));
        return this;
    }

    /**
     * Waits on every word of {@code waiters} at once; completes with the index of the word that
     * was woken. The kernel copies the vector at submission.
     *
     * @param waiters the words and their expected values, at least one
     * @return this entry, to set its user data and flags
     */
    public Sqe futexWaitv(FutexVector waiters) {
        if (waiters.size() == 0) {
            throw new IllegalArgumentException("a FUTEX_WAITV needs at least one word to wait on");
        }
        return prep(Opcode.FUTEX_WAITV, 0, waiters.address(), waiters.size(), 0);
    }

    /**
     * Posts a completion on another ring: it arrives there with result {@code result} and user
     * data {@code userData}. This entry completes with 0, or {@code -EBADFD} if
     * {@code targetRingFd} is no (enabled) ring. Add {@link #skipSuccess()} for fire-and-forget.
     *
     * @param targetRingFd the other ring's {@link Ring#fd()}
     * @param result       the result the completion there carries
     * @param userData     the user data it carries
     * @return this entry, to set its user data and flags
     */
    public Sqe msgRing(int targetRingFd, int result, long userData) {
        return prep(Opcode.MSG_RING, targetRingFd, IORING_MSG_DATA, result, userData);
    }

    /**
     * {@link #msgRing(int, int, long)} that also sets the target completion's flags.
     *
     * @param targetRingFd the other ring's {@link Ring#fd()}
     * @param result       the result the completion there carries
     * @param userData     the user data it carries
     * @param cqeFlags     its {@link CqeFlag} bits
     * @return this entry, to set its user data and flags
     */
    public Sqe msgRing(int targetRingFd, int result, long userData, int cqeFlags) {
        prep(Opcode.MSG_RING, targetRingFd, IORING_MSG_DATA, result, userData);
        opFlags(MSG_RING_FLAGS_PASS);
        sqes.set(JAVA_INT, base + KernelAbi.Sqe.FILE_INDEX, cqeFlags);
        return this;
    }

    /**
     * accept4(2) on a listening socket, without the peer's address; completes with the new
     * connection's descriptor, which the caller then owns.
     *
     * @param listenerFd a listening socket
     * @param flags      SOCK_CLOEXEC, SOCK_NONBLOCK, or 0
     * @return this entry, to set its user data and flags
     */
    public Sqe accept(int listenerFd, int flags) {
        prep(Opcode.ACCEPT, listenerFd, 0, 0, 0);
        opFlags(flags);
        return this;
    }

    /**
     * send(2) on a socket; completes with the bytes sent.
     *
     * @param socketFd the socket
     * @param buffer   native memory, valid until the completion
     * @param msgFlags such as MSG_NOSIGNAL, or 0
     * @return this entry, to set its user data and flags
     */
    public Sqe send(int socketFd, MemorySegment buffer, int msgFlags) {
        prep(Opcode.SEND, socketFd, nativeAddress(buffer, "send buffer"), lengthOf(buffer), 0);
        opFlags(msgFlags);
        return this;
    }

    /**
     * recv(2) on a socket; completes with the bytes received (0 at end of stream).
     *
     * @param socketFd the socket
     * @param buffer   native memory, valid until the completion
     * @param msgFlags such as MSG_DONTWAIT, or 0
     * @return this entry, to set its user data and flags
     */
    public Sqe recv(int socketFd, MemorySegment buffer, int msgFlags) {
        prep(Opcode.RECV, socketFd, nativeAddress(buffer, "receive buffer"), lengthOf(buffer), 0);
        opFlags(msgFlags);
        return this;
    }

    /**
     * A command for the driver behind {@code fd}: the command writes its operation code and
     * typed payload into this entry (see {@link DriverCommand}).
     *
     * @param fd      the file whose driver runs the command
     * @param command such as {@link SocketCommand#inputQueued()}
     * @return this entry, to set its user data and flags
     * @throws IllegalArgumentException if the command's payload does not fit in the entry
     */
    public Sqe uringCmd(int fd, DriverCommand command) {
        prep(Opcode.URING_CMD, fd, 0, 0, 0);
        sqes.set(JAVA_INT, base + KernelAbi.Sqe.OFF, command.commandOp());
        long payloadBytes = command.payloadLayout().byteSize();
        if (payloadBytes > commandFields.commandAreaSize()) {
            throw new IllegalArgumentException("command 0x" + Integer.toHexString(command.commandOp()) + " carries "
                    + payloadBytes + " payload bytes, but an SQE has room for " + commandFields.commandAreaSize()
                    + (commandFields.commandAreaSize() < 80 ? "; open the ring with SQE128 for 80" : ""));
        }
        command.writePayload(commandFields.at(base));
        return this;
    }

    /**
     * Any operation, for opcodes this class has no method for: sets opcode, fd, addr, len and
     * off as {@code io_uring_prep_rw} does.
     *
     * @param opcode an {@link Opcode}
     * @param fd     the entry's fd field
     * @param addr   its addr field
     * @param len    its len field
     * @param off    its off field
     * @return this entry, to set its user data and flags
     */
    public Sqe raw(int opcode, int fd, long addr, int len, long off) {
        return prep(opcode, fd, addr, len, off);
    }

    // --- checks --------------------------------------------------------------------------------

    private static long nativeAddress(MemorySegment segment, String what) {
        if (!segment.isNative()) {
            throw new IllegalArgumentException("the " + what + " must be native memory (Arena.allocate or a "
                    + "mapped file): the kernel reads it after this call returns, and heap memory can move");
        }
        return segment.address();
    }

    private static int lengthOf(MemorySegment segment) {
        if (segment.byteSize() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("one io_uring read or write moves at most 2 GiB; this buffer has "
                    + segment.byteSize() + " bytes");
        }
        return (int) segment.byteSize();
    }

    static long futexAddress(MemorySegment memory, long offset) {
        long address = nativeAddress(memory, "futex word's memory") + offset;
        if (offset < 0 || offset + Integer.BYTES > memory.byteSize()) {
            throw new IndexOutOfBoundsException("futex word at offset " + offset + " lies outside a segment of "
                    + memory.byteSize() + " bytes");
        }
        if ((address & 3) != 0) {
            throw new IllegalArgumentException("a futex word must be 4-byte aligned; address 0x"
                    + Long.toHexString(address) + " is not");
        }
        return address;
    }

    /** The opcode written so far, for tests and diagnostics. */
    int opcode() {
        return sqes.get(JAVA_BYTE, base + KernelAbi.Sqe.OPCODE) & 0xff;
    }
}
