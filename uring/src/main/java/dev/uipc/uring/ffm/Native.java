package dev.uipc.uring.ffm;

import dev.uipc.uring.ErrnoException;
import dev.uipc.uring.IoUring;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.util.Locale;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Every restricted operation in uipc: this is the one class that creates downcall handles and
 * turns native addresses into memory segments.
 *
 * <p>Conventions, each taken from code that got it right (Lucene's {@code PosixNativeAccess},
 * Netty's io_uring transport) or learned from code that got it wrong:
 * <ul>
 *   <li>Every handle is {@code static final} and called with {@code invokeExact} with exact
 *       types, so the JIT can inline it.</li>
 *   <li>Functions that set {@code errno} are linked with {@code captureCallState("errno")}; errno
 *       is captured by the downcall itself, never read afterwards. The wrappers here return
 *       {@code -errno} on failure, the kernel's own convention, so every caller sees one error
 *       convention whether the call went through a glibc wrapper or {@code syscall(2)}. One
 *       helper, {@code call}, does that for every call off the hot path; io_uring_enter and the
 *       futex calls are written out by hand, for the reason given above them.</li>
 *   <li>{@code syscall(2)} is variadic, so it is linked with {@code firstVariadicArg(1)} and
 *       every argument is a 64-bit {@code long}.</li>
 *   <li>{@code critical} only for calls that never block (a futex wake, {@code getpid}): a
 *       critical call holds off safepoints for its whole duration. Never for
 *       {@code io_uring_enter} with a wait, nor for a futex wait.</li>
 *   <li>Functions that glibc wraps are called through glibc, whose symbols are the same on
 *       every architecture; only calls without a wrapper go through {@code syscall(2)} with a
 *       number from {@link #SYSCALL_NUMBERS}.</li>
 * </ul>
 *
 * <p>Public only so that both of the module's other packages can use it: the module does not
 * export this package. If the module lacks native access, initialising this class fails with a message naming
 * the exact {@code --enable-native-access} flag; {@link IoUring#unavailabilityCause()} reports
 * the same without initialising it.
 */
@SuppressWarnings("restricted")
public final class Native {
    private Native() {
    }

    static {
        if (!NativeAccess.enabled()) {
            throw new IllegalCallerException("uipc's io_uring binding calls the kernel through the Foreign "
                    + "Function & Memory API, which this JVM has not allowed: run java with " + NativeAccess.flag());
        }
    }

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();
    private static final StructLayout CAPTURE_LAYOUT = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO =
            CAPTURE_LAYOUT.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");
    private static final Linker.Option CRITICAL = Linker.Option.critical(false);

    // --- syscall numbers ---------------------------------------------------------------------

    /**
     * Numbers of the calls glibc does not wrap. 425..449 are the unified numbers every
     * architecture shares since 5.1; futex and gettid differ.
     * x86-64: arch/x86/entry/syscalls/syscall_64.tbl; aarch64: include/uapi/asm-generic/unistd.h.
     */
    public static final SyscallNumbers SYSCALL_NUMBERS = SyscallNumbers.forArch(System.getProperty("os.arch"));

    public record SyscallNumbers(long ioUringSetup, long ioUringEnter, long ioUringRegister, long futex,
                          long futexWaitv, long pidfdOpen, long pidfdGetfd, long gettid) {
        public static SyscallNumbers forArch(String arch) {
            return switch (arch.toLowerCase(Locale.ROOT)) {
                case "amd64", "x86_64" -> new SyscallNumbers(425, 426, 427, 202, 449, 434, 438, 186);
                case "aarch64", "arm64" -> new SyscallNumbers(425, 426, 427, 98, 449, 434, 438, 178);
                default -> throw new UnsupportedOperationException("uipc supports Linux on x86-64 and aarch64; "
                        + "this JVM reports os.arch=" + arch);
            };
        }
    }

    // --- handles ---------------------------------------------------------------------------------

    private static final FunctionDescriptor SYSCALL6 = FunctionDescriptor.of(JAVA_LONG,
            JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG);

    /** {@code long syscall(long number, ...)}: may block (io_uring_enter with a wait, futex wait). */
    private static final MethodHandle SYSCALL =
            link("syscall", SYSCALL6, Linker.Option.firstVariadicArg(1), CAPTURE_ERRNO);
    /** The same symbol for calls that never block (futex wake). */
    private static final MethodHandle SYSCALL_CRITICAL =
            link("syscall", SYSCALL6, Linker.Option.firstVariadicArg(1), CAPTURE_ERRNO, CRITICAL);

    private static final MethodHandle CLOSE = link("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT), CAPTURE_ERRNO);
    private static final MethodHandle READ =
            link("read", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG), CAPTURE_ERRNO);
    private static final MethodHandle WRITE =
            link("write", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG), CAPTURE_ERRNO);
    private static final MethodHandle MMAP = link("mmap",
            FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG), CAPTURE_ERRNO);
    private static final MethodHandle MUNMAP =
            link("munmap", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG), CAPTURE_ERRNO);
    private static final MethodHandle PIPE2 =
            link("pipe2", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT), CAPTURE_ERRNO);
    private static final MethodHandle EVENTFD =
            link("eventfd", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT), CAPTURE_ERRNO);
    private static final MethodHandle SOCKETPAIR = link("socketpair",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS), CAPTURE_ERRNO);
    private static final MethodHandle SENDMSG =
            link("sendmsg", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT), CAPTURE_ERRNO);
    private static final MethodHandle RECVMSG =
            link("recvmsg", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT), CAPTURE_ERRNO);
    private static final MethodHandle MEMFD_CREATE =
            link("memfd_create", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT), CAPTURE_ERRNO);
    private static final MethodHandle FTRUNCATE =
            link("ftruncate", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG), CAPTURE_ERRNO);
    private static final MethodHandle SOCKET =
            link("socket", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT), CAPTURE_ERRNO);
    private static final MethodHandle BIND =
            link("bind", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT), CAPTURE_ERRNO);
    private static final MethodHandle LISTEN =
            link("listen", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT), CAPTURE_ERRNO);
    private static final MethodHandle CONNECT =
            link("connect", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT), CAPTURE_ERRNO);
    private static final MethodHandle ACCEPT4 = link("accept4",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT), CAPTURE_ERRNO);
    private static final MethodHandle GETSOCKNAME =
            link("getsockname", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS), CAPTURE_ERRNO);
    private static final MethodHandle SETSOCKOPT = link("setsockopt",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT), CAPTURE_ERRNO);
    private static final MethodHandle GETSOCKOPT = link("getsockopt",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS), CAPTURE_ERRNO);
    private static final MethodHandle IOCTL = link("ioctl",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS), Linker.Option.firstVariadicArg(2), CAPTURE_ERRNO);
    private static final MethodHandle SHUTDOWN =
            link("shutdown", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT), CAPTURE_ERRNO);
    private static final MethodHandle FALLOCATE = link("fallocate",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG), CAPTURE_ERRNO);
    /** {@code int fcntl(int fd, int cmd, ...)}: only commands whose argument is an int are used. */
    private static final MethodHandle FCNTL = link("fcntl",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT), Linker.Option.firstVariadicArg(2), CAPTURE_ERRNO);
    private static final MethodHandle FCHMOD =
            link("fchmod", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT), CAPTURE_ERRNO);
    /** statx rather than fstat: its struct is the same on every architecture, fstat's is not. */
    private static final MethodHandle STATX = link("statx",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, ADDRESS), CAPTURE_ERRNO);
    /** {@code int open(const char *path, int flags, ...)}: the mode is variadic. */
    private static final MethodHandle OPEN = link("open",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT), Linker.Option.firstVariadicArg(2), CAPTURE_ERRNO);
    private static final MethodHandle SETSID = link("setsid", FunctionDescriptor.of(JAVA_INT), CAPTURE_ERRNO);
    private static final MethodHandle UNAME = link("uname", FunctionDescriptor.of(JAVA_INT, ADDRESS), CAPTURE_ERRNO);
    private static final MethodHandle KILL =
            link("kill", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT), CAPTURE_ERRNO, CRITICAL);
    private static final MethodHandle GETGROUPS =
            link("getgroups", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS), CAPTURE_ERRNO);
    // These four cannot fail and never block.
    private static final MethodHandle GETPID = link("getpid", FunctionDescriptor.of(JAVA_INT), CRITICAL);
    private static final MethodHandle GETEUID = link("geteuid", FunctionDescriptor.of(JAVA_INT), CRITICAL);
    private static final MethodHandle GETEGID = link("getegid", FunctionDescriptor.of(JAVA_INT), CRITICAL);
    private static final MethodHandle GETUID = link("getuid", FunctionDescriptor.of(JAVA_INT), CRITICAL);

    private static MethodHandle link(String name, FunctionDescriptor descriptor, Linker.Option... options) {
        MemorySegment symbol = LIBC.find(name).orElseThrow(() -> new UnsupportedOperationException(
                "the C library of this system has no '" + name + "'; uipc needs glibc 2.28 or newer"));
        return LINKER.downcallHandle(symbol, descriptor, options);
    }

    // --- errno -----------------------------------------------------------------------------------

    /** One capture slot per thread, allocated on first use: a downcall writes errno into it. */
    private static final ThreadLocal<MemorySegment> ERRNO_SLOT =
            ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(CAPTURE_LAYOUT));

    /** A capture slot for a caller that makes many calls from one thread (a ring's owner). */
    public static MemorySegment newErrnoSlot(Arena arena) {
        return arena.allocate(CAPTURE_LAYOUT);
    }

    /** This thread's errno capture slot, for callers that pass one to the hot wrappers below. */
    public static MemorySegment threadErrnoSlot() {
        return ERRNO_SLOT.get();
    }

    private static int errno(MemorySegment slot) {
        return (int) ERRNO.get(slot, 0L);
    }

    /** {@code -errno} for glibc's failure return (-1), the result otherwise. */
    private static long result(long r, MemorySegment errnoSlot) {
        return r == -1 ? -errno(errnoSlot) : r;
    }

    /** A downcall declares Throwable; it can only throw unchecked ones, which pass through. */
    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException runtime) {
            return runtime;
        }
        if (t instanceof Error error) {
            throw error;
        }
        return new IllegalStateException("a downcall threw a checked exception", t);
    }

    /** One downcall, given the slot its errno is captured into. */
    @FunctionalInterface
    private interface Downcall {
        long invoke(MemorySegment errnoSlot) throws Throwable;
    }

    /**
     * Makes {@code downcall} with this thread's capture slot and returns its result, or
     * {@code -errno} if the function returned -1: the one wrapper every call off the hot path
     * shares. Its capturing lambda may cost an allocation per call, which is why the hot calls
     * below do not use it.
     */
    private static long call(Downcall downcall) {
        MemorySegment slot = ERRNO_SLOT.get();
        try {
            return result(downcall.invoke(slot), slot);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    // --- syscall(2) ------------------------------------------------------------------------------

    /** {@code syscall(nr, a0..a5)}; returns the result, or {@code -errno}. */
    public static long syscall(long nr, long a0, long a1, long a2, long a3, long a4, long a5) {
        return call(slot -> (long) SYSCALL.invokeExact(slot, nr, a0, a1, a2, a3, a4, a5));
    }

    // The syscall numbers as constants, so that the hot wrappers below fold them.
    private static final long NR_IO_URING_SETUP = SYSCALL_NUMBERS.ioUringSetup();
    private static final long NR_IO_URING_ENTER = SYSCALL_NUMBERS.ioUringEnter();
    private static final long NR_IO_URING_REGISTER = SYSCALL_NUMBERS.ioUringRegister();
    private static final long NR_FUTEX = SYSCALL_NUMBERS.futex();
    private static final long NR_FUTEX_WAITV = SYSCALL_NUMBERS.futexWaitv();

    public static long ioUringSetup(int entries, MemorySegment params) {
        return syscall(NR_IO_URING_SETUP, entries, params.address(), 0, 0, 0, 0);
    }

    public static long ioUringRegister(int fd, int opcode, long arg, int nrArgs) {
        return syscall(NR_IO_URING_REGISTER, fd, opcode, arg, nrArgs, 0, 0);
    }

    /*
     * The hot calls (io_uring_enter, futex wait and wake) are written out by hand rather than
     * through call(...): the JDK slices the errno capture segment on every downcall
     * (SharedUtils.checkCaptureSegment), and only escape analysis removes that 40-byte object,
     * which it can do only when the whole chain from caller to handle is inlined. A lambda and
     * a shared helper would lengthen that chain, and the lambda itself would be one more object
     * for escape analysis to remove; the caller also passes its own slot, saving the
     * ThreadLocal lookup. Each is kept under HotSpot's trivial-inline size (35 bytes of
     * bytecode: every argument already a long, the errno conversion in result()), so that it
     * is inlined however cold its call site looks. AllocationTest holds us to it.
     */

    /** io_uring_enter(2). */
    public static long ioUringEnter(MemorySegment errnoSlot, long fd, long toSubmit, long minComplete, long flags,
                             long arg, long argSize) {
        try {
            return result((long) SYSCALL.invokeExact(errnoSlot, NR_IO_URING_ENTER, fd, toSubmit, minComplete, flags,
                    arg, argSize), errnoSlot);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** futex(2) for waits and other operations that may block; arguments as in futex(2). */
    public static long futex(MemorySegment errnoSlot, long address, long op, long value, long timeoutAddress) {
        try {
            return result((long) SYSCALL.invokeExact(errnoSlot, NR_FUTEX, address, op, value, timeoutAddress, 0L, 0L),
                    errnoSlot);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** futex(2) FUTEX_WAKE, which never blocks, so it may be critical. */
    public static long futexWake(MemorySegment errnoSlot, long address, long op, long count) {
        try {
            return result((long) SYSCALL_CRITICAL.invokeExact(errnoSlot, NR_FUTEX, address, op, count, 0L, 0L, 0L),
                    errnoSlot);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static long futexWaitv(MemorySegment errnoSlot, long waiters, long count, long absoluteTimeout, long clockId) {
        try {
            return result((long) SYSCALL.invokeExact(errnoSlot, NR_FUTEX_WAITV, waiters, count, 0L, absoluteTimeout,
                    clockId, 0L), errnoSlot);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static long pidfdOpen(int pid, int flags) {
        return syscall(SYSCALL_NUMBERS.pidfdOpen(), pid, flags, 0, 0, 0, 0);
    }

    public static long pidfdGetfd(int pidfd, int targetFd, int flags) {
        return syscall(SYSCALL_NUMBERS.pidfdGetfd(), pidfd, targetFd, flags, 0, 0, 0);
    }

    public static int gettid() {
        return (int) syscall(SYSCALL_NUMBERS.gettid(), 0, 0, 0, 0, 0, 0);
    }

    // --- glibc wrappers: each returns the result, or -errno ----------------------------------------

    public static int close(int fd) {
        return (int) call(slot -> (int) CLOSE.invokeExact(slot, fd));
    }

    public static long read(int fd, MemorySegment buffer, long length) {
        return call(slot -> (long) READ.invokeExact(slot, fd, buffer, length));
    }

    public static long write(int fd, MemorySegment buffer, long length) {
        return call(slot -> (long) WRITE.invokeExact(slot, fd, buffer, length));
    }

    public static int eventfd(int initialValue, int flags) {
        return (int) call(slot -> (int) EVENTFD.invokeExact(slot, initialValue, flags));
    }

    public static final int PROT_READ = 0x1;
    public static final int PROT_WRITE = 0x2;
    public static final int MAP_SHARED = 0x01;
    public static final int MAP_POPULATE = 0x8000;

    /**
     * Maps {@code length} bytes of {@code fd} at {@code offset}, shared, and returns the mapping
     * as a segment of that length that {@code arena} unmaps when it closes.
     *
     * @throws ErrnoException if mmap fails
     */
    public static MemorySegment mapShared(int fd, long offset, long length, int prot, int extraFlags, Arena arena,
                                   String what) {
        // A mapping's address is never negative, so MAP_FAILED ((void *) -1) reads as -errno.
        long address = call(slot -> ((MemorySegment) MMAP.invokeExact(slot, MemorySegment.NULL, length, prot,
                MAP_SHARED | extraFlags, fd, offset)).address());
        if (address < 0) {
            throw new ErrnoException((int) -address, "mmap(" + what + ", fd " + fd + ", offset 0x"
                    + Long.toHexString(offset) + ", " + length + " bytes)");
        }
        return MemorySegment.ofAddress(address).reinterpret(length, arena, Native::unmap);
    }

    private static void unmap(MemorySegment mapping) {
        call(slot -> (int) MUNMAP.invokeExact(slot, mapping, mapping.byteSize()));
    }

    public static int pipe2(MemorySegment twoInts, int flags) {
        return (int) call(slot -> (int) PIPE2.invokeExact(slot, twoInts, flags));
    }

    public static int socketpair(int domain, int type, int protocol, MemorySegment twoInts) {
        return (int) call(slot -> (int) SOCKETPAIR.invokeExact(slot, domain, type, protocol, twoInts));
    }

    public static long sendmsg(int fd, MemorySegment msghdr, int flags) {
        return call(slot -> (long) SENDMSG.invokeExact(slot, fd, msghdr, flags));
    }

    public static long recvmsg(int fd, MemorySegment msghdr, int flags) {
        return call(slot -> (long) RECVMSG.invokeExact(slot, fd, msghdr, flags));
    }

    public static int memfdCreate(MemorySegment name, int flags) {
        return (int) call(slot -> (int) MEMFD_CREATE.invokeExact(slot, name, flags));
    }

    public static int ftruncate(int fd, long length) {
        return (int) call(slot -> (int) FTRUNCATE.invokeExact(slot, fd, length));
    }

    public static int socket(int domain, int type, int protocol) {
        return (int) call(slot -> (int) SOCKET.invokeExact(slot, domain, type, protocol));
    }

    public static int bind(int fd, MemorySegment address, int length) {
        return (int) call(slot -> (int) BIND.invokeExact(slot, fd, address, length));
    }

    public static int listen(int fd, int backlog) {
        return (int) call(slot -> (int) LISTEN.invokeExact(slot, fd, backlog));
    }

    public static int connect(int fd, MemorySegment address, int length) {
        return (int) call(slot -> (int) CONNECT.invokeExact(slot, fd, address, length));
    }

    public static int accept4(int fd, MemorySegment address, MemorySegment length, int flags) {
        return (int) call(slot -> (int) ACCEPT4.invokeExact(slot, fd, address, length, flags));
    }

    public static int getsockname(int fd, MemorySegment address, MemorySegment length) {
        return (int) call(slot -> (int) GETSOCKNAME.invokeExact(slot, fd, address, length));
    }

    public static int setsockopt(int fd, int level, int name, MemorySegment value, int length) {
        return (int) call(slot -> (int) SETSOCKOPT.invokeExact(slot, fd, level, name, value, length));
    }

    public static int getsockopt(int fd, int level, int name, MemorySegment value, MemorySegment length) {
        return (int) call(slot -> (int) GETSOCKOPT.invokeExact(slot, fd, level, name, value, length));
    }

    public static int ioctl(int fd, long request, MemorySegment argument) {
        return (int) call(slot -> (int) IOCTL.invokeExact(slot, fd, request, argument));
    }

    public static int shutdown(int fd, int how) {
        return (int) call(slot -> (int) SHUTDOWN.invokeExact(slot, fd, how));
    }

    public static int fallocate(int fd, int mode, long offset, long length) {
        return (int) call(slot -> (int) FALLOCATE.invokeExact(slot, fd, mode, offset, length));
    }

    /** fcntl(2) with an int argument (F_ADD_SEALS, F_GET_SEALS, ...). */
    public static int fcntl(int fd, int command, int argument) {
        return (int) call(slot -> (int) FCNTL.invokeExact(slot, fd, command, argument));
    }

    public static int fchmod(int fd, int mode) {
        return (int) call(slot -> (int) FCHMOD.invokeExact(slot, fd, mode));
    }

    public static int statx(int dirfd, MemorySegment path, int flags, int mask, MemorySegment statx) {
        return (int) call(slot -> (int) STATX.invokeExact(slot, dirfd, path, flags, mask, statx));
    }

    public static int open(MemorySegment path, int flags, int mode) {
        return (int) call(slot -> (int) OPEN.invokeExact(slot, path, flags, mode));
    }

    public static int setsid() {
        return (int) call(slot -> (int) SETSID.invokeExact(slot));
    }

    public static int uname(MemorySegment utsname) {
        return (int) call(slot -> (int) UNAME.invokeExact(slot, utsname));
    }

    public static int kill(int pid, int signal) {
        return (int) call(slot -> (int) KILL.invokeExact(slot, pid, signal));
    }

    public static int getgroups(int size, MemorySegment list) {
        return (int) call(slot -> (int) GETGROUPS.invokeExact(slot, size, list));
    }

    // These four cannot fail, and no id they return is -1, so call(...) passes the result through.

    public static int getpid() {
        return (int) call(slot -> (int) GETPID.invokeExact());
    }

    public static int geteuid() {
        return (int) call(slot -> (int) GETEUID.invokeExact());
    }

    public static int getuid() {
        return (int) call(slot -> (int) GETUID.invokeExact());
    }

    public static int getegid() {
        return (int) call(slot -> (int) GETEGID.invokeExact());
    }
}
