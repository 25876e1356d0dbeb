package dev.uipc.uring;

import dev.uipc.uring.ffm.Native;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * One io_uring instance: a submission queue and a completion queue shared with the kernel.
 *
 * <p><b>Ownership.</b> A ring belongs to one platform thread: the thread that opened it, or,
 * for a ring created with {@link SetupFlag#R_DISABLED}, the thread that calls
 * {@link #enable()}. Every method except {@link #fd()}, {@link #close()} and the accessors of
 * fixed properties checks this and throws {@link IllegalStateException} when called from
 * another thread, rather than letting a {@link SetupFlag#SINGLE_ISSUER} ring fail with the
 * kernel's bare {@code EEXIST}. A virtual thread cannot own a ring: it may move between OS
 * threads, and SINGLE_ISSUER binds the ring to one.
 *
 * <p><b>Submitting.</b> {@link #prepare()} returns the {@link Sqe} flyweight positioned on the
 * next free entry; fill it, then {@link #submit()} (or {@link #submitAndWait}). Nothing is
 * allocated per operation.
 *
 * <p><b>Completing.</b> {@link #drain(CompletionHandler)} hands each ready completion to a
 * handler as primitives (result, flags, user data); {@link #next(Completion)} copies one into
 * a holder the caller owns. With {@link SetupFlag#DEFER_TASKRUN}, completions posted from other
 * threads or processes appear only after the owner enters the kernel; both methods do that
 * when the kernel flags pending work, so callers need not know.
 *
 * <p><b>Memory ordering</b>, as liburing does it, in the two queues the kernel shares (the
 * package-private {@code SubmissionQueue} and {@code CompletionQueue}): the SQ tail is published with
 * {@code setRelease} after the entries are written; the kernel's SQ head and CQ tail are read
 * with {@code getAcquire}; the CQ head is released with {@code setRelease} after the entries
 * are read; the SQ flags need only {@code getOpaque}, except under SQPOLL where a full fence
 * orders our tail store before the NEED_WAKEUP check.
 */
public final class Ring implements AutoCloseable {
    private static final int ETIME = Errno.ETIME.number();
    private static final int EINTR = Errno.EINTR.number();
    private static final int EBUSY = Errno.EBUSY.number();
    private static final int EAGAIN = Errno.EAGAIN.number();

    private final int fd;
    private final int setupFlags;
    private final int features;
    private final Arena arena;
    private final SubmissionQueue sq;
    private final CompletionQueue cq;
    private final boolean sqPoll;
    /** DEFER_TASKRUN without TASKRUN_FLAG: no way to tell pending work, so always enter when empty. */
    private final boolean blindDeferred;

    private final MemorySegment errnoSlot;
    private final MemorySegment waitArg;
    private final MemorySegment waitTimespec;
    /** One timespec per SQE slot, for TIMEOUT and LINK_TIMEOUT, which the kernel reads at submit. */
    private final MemorySegment timeouts;
    private final Sqe sqe;

    private int enterFd;
    private int enterFlags;
    private Thread owner;
    private boolean closed;

    private Ring(int fd, MemorySegment params, Arena arena, boolean registerRingFd) {
        this.fd = fd;
        this.arena = arena;
        this.setupFlags = params.get(JAVA_INT, KernelAbi.Params.FLAGS);
        this.features = params.get(JAVA_INT, KernelAbi.Params.FEATURES);
        int sqeShift = (setupFlags & SetupFlag.SQE128) != 0 ? 7 : 6;
        int cqeShift = (setupFlags & SetupFlag.CQE32) != 0 ? 5 : 4;

        // Sizes as liburing computes them (setup.c io_uring_mmap); with SINGLE_MMAP one mapping
        // of the larger size serves both rings.
        long sqRingSize = SubmissionQueue.ringBytes(params);
        long cqRingSize = CompletionQueue.ringBytes(params, cqeShift);
        boolean singleMmap = (features & Feature.SINGLE_MMAP) != 0;
        if (singleMmap) {
            sqRingSize = Math.max(sqRingSize, cqRingSize);
            cqRingSize = sqRingSize;
        }
        int prot = Native.PROT_READ | Native.PROT_WRITE;
        MemorySegment sqRing = Native.mapShared(fd, KernelAbi.IORING_OFF_SQ_RING, sqRingSize, prot,
                Native.MAP_POPULATE, arena, "io_uring SQ ring");
        MemorySegment cqRing = singleMmap ? sqRing : Native.mapShared(fd, KernelAbi.IORING_OFF_CQ_RING, cqRingSize,
                prot, Native.MAP_POPULATE, arena, "io_uring CQ ring");
        int sqEntries = params.get(JAVA_INT, KernelAbi.Params.SQ_ENTRIES);
        MemorySegment sqes = Native.mapShared(fd, KernelAbi.IORING_OFF_SQES, (long) sqEntries << sqeShift, prot,
                Native.MAP_POPULATE, arena, "io_uring SQEs");
        this.sq = new SubmissionQueue(sqRing, sqes, params, sqeShift);
        this.cq = new CompletionQueue(cqRing, params, cqeShift);
        this.sqPoll = (setupFlags & SetupFlag.SQPOLL) != 0;
        this.blindDeferred = (setupFlags & SetupFlag.DEFER_TASKRUN) != 0
                && (setupFlags & SetupFlag.TASKRUN_FLAG) == 0;

        this.errnoSlot = Native.newErrnoSlot(arena);
        this.waitArg = arena.allocate(KernelAbi.GeteventsArg.LAYOUT);
        this.waitTimespec = arena.allocate(KernelAbi.Timespec.LAYOUT);
        this.timeouts = arena.allocate(KernelAbi.Timespec.SIZE * sqEntries, 8);
        this.sqe = new Sqe(this, sq.entries());
        this.enterFd = fd;
        if ((setupFlags & SetupFlag.R_DISABLED) == 0) {
            this.owner = Thread.currentThread();
            if (registerRingFd) {
                registerRingFd();
            }
        }
    }

    /**
     * Opens a ring with {@link RingOptions#defaults()} and {@code entries} submission entries.
     *
     * @param entries the submission queue size
     * @return the ring, owned by the calling thread
     * @throws ErrnoException if the kernel refuses, with what to do about it
     */
    public static Ring open(int entries) {
        return open(RingOptions.defaults().withEntries(entries));
    }

    /**
     * Creates a ring. The calling thread owns it, unless {@code options} has
     * {@link SetupFlag#R_DISABLED}, in which case the thread that calls {@link #enable()} will.
     *
     * @param options size and setup flags
     * @return the ring
     * @throws ErrnoException         if the kernel refuses, with what to do about it
     * @throws IllegalStateException  if a SINGLE_ISSUER ring would be owned by a virtual thread
     */
    public static Ring open(RingOptions options) {
        boolean disabled = (options.flags() & SetupFlag.R_DISABLED) != 0;
        if (!disabled) {
            requirePlatformThread(options.flags());
        }
        Arena arena = Arena.ofShared();
        try {
            MemorySegment params = arena.allocate(KernelAbi.Params.LAYOUT);
            int flags = options.flags();
            boolean tryNoSqArray = options.noSqArray() && (flags & SetupFlag.NO_SQARRAY) == 0;
            long fd = setup(params, options, tryNoSqArray ? flags | SetupFlag.NO_SQARRAY : flags);
            if (fd == -Errno.EINVAL.number() && tryNoSqArray) {
                fd = setup(params, options, flags);          // pre-6.6 kernel: no NO_SQARRAY
            }
            if (fd < 0) {
                throw new ErrnoException((int) -fd, "io_uring_setup(entries=" + options.entries() + ", flags="
                        + SetupFlag.names(flags) + ")", setupHint((int) -fd));
            }
            try {
                return new Ring((int) fd, params, arena, options.registerRingFd());
            } catch (RuntimeException | Error e) {
                Native.close((int) fd);
                throw e;
            }
        } catch (RuntimeException | Error e) {
            arena.close();
            throw e;
        }
    }

    private static long setup(MemorySegment params, RingOptions options, int flags) {
        params.fill((byte) 0);
        params.set(JAVA_INT, KernelAbi.Params.FLAGS, flags);
        params.set(JAVA_INT, KernelAbi.Params.CQ_ENTRIES, options.cqEntries());
        params.set(JAVA_INT, KernelAbi.Params.SQ_THREAD_IDLE, options.sqThreadIdleMillis());
        return Native.ioUringSetup(options.entries(), params);
    }

    static String setupHint(int errno) {
        if (errno == Errno.EPERM.number()) {
            return "io_uring is disabled here: see sysctl kernel.io_uring_disabled, or a seccomp filter "
                    + "(containers often block it)";
        }
        if (errno == Errno.ENOSYS.number()) {
            return "this kernel was built without io_uring (CONFIG_IO_URING)";
        }
        if (errno == Errno.EINVAL.number()) {
            return "the kernel rejects this combination of entries and flags; uipc needs Linux 6.7 or newer";
        }
        if (errno == Errno.ENOMEM.number() || errno == Errno.EMFILE.number() || errno == Errno.ENFILE.number()) {
            return "out of memory or file descriptors for another ring; close rings you no longer use";
        }
        return null;
    }

    private static void requirePlatformThread(int flags) {
        if ((flags & SetupFlag.SINGLE_ISSUER) != 0 && Thread.currentThread().isVirtual()) {
            throw new IllegalStateException("a SINGLE_ISSUER ring belongs to one OS thread, and virtual thread "
                    + Thread.currentThread() + " may move between OS threads; open or enable the ring on a "
                    + "platform thread");
        }
    }

    // --- ownership -----------------------------------------------------------------------------

    private void checkOwner() {
        if (Thread.currentThread() != owner) {
            throw notOwner();
        }
    }

    private IllegalStateException notOwner() {
        if (closed) {
            return new IllegalStateException("ring fd " + fd + " is closed");
        }
        if (owner == null) {
            return new IllegalStateException("ring fd " + fd + " was created disabled (R_DISABLED); call enable() "
                    + "on the thread that will use it");
        }
        String kind = (setupFlags & SetupFlag.SINGLE_ISSUER) != 0
                ? "is SINGLE_ISSUER and belongs to thread '" + owner.getName() + "': only that thread may submit"
                : "belongs to thread '" + owner.getName() + "' and is not thread-safe";
        return new IllegalStateException("ring fd " + fd + " " + kind + ", but '" + Thread.currentThread().getName()
                + "' used it; give each thread its own ring, or pass work to the owner (MSG_RING does that)");
    }

    /**
     * Enables a ring created with {@link SetupFlag#R_DISABLED}; the calling thread becomes its
     * owner, which for SINGLE_ISSUER is the thread the kernel will accept submissions from.
     */
    public void enable() {
        if (owner != null) {
            throw new IllegalStateException("ring fd " + fd + " is already enabled and owned by '" + owner.getName() + "'");
        }
        if (closed) {
            throw notOwner();
        }
        requirePlatformThread(setupFlags);
        long r = Native.ioUringRegister(fd, KernelAbi.IORING_REGISTER_ENABLE_RINGS, 0, 0);
        ErrnoException.check(r, "io_uring_register(fd " + fd + ", ENABLE_RINGS)");
        owner = Thread.currentThread();
    }

    /**
     * Registers the ring fd with the kernel so that io_uring_enter skips the file-table lookup,
     * which costs most in a multi-threaded process such as a JVM. Registration is per thread,
     * so it is done by the owner.
     */
    public void registerRingFd() {
        checkOwner();
        if ((enterFlags & KernelAbi.IORING_ENTER_REGISTERED_RING) != 0) {
            return;
        }
        try (Arena local = Arena.ofConfined()) {
            MemorySegment update = local.allocate(KernelAbi.RsrcUpdate.LAYOUT);
            update.set(JAVA_INT, KernelAbi.RsrcUpdate.OFFSET, -1);      // -1: any free slot
            update.set(JAVA_LONG, KernelAbi.RsrcUpdate.DATA, fd);
            long r = Native.ioUringRegister(fd, KernelAbi.IORING_REGISTER_RING_FDS, update.address(), 1);
            ErrnoException.check(r, "io_uring_register(fd " + fd + ", RING_FDS)");
            enterFd = update.get(JAVA_INT, KernelAbi.RsrcUpdate.OFFSET);
            enterFlags |= KernelAbi.IORING_ENTER_REGISTERED_RING;
        }
    }

    /**
     * Whether io_uring_enter goes through a registered ring fd.
     *
     * @return true once {@link #registerRingFd()} succeeded
     */
    public boolean ringFdRegistered() {
        return (enterFlags & KernelAbi.IORING_ENTER_REGISTERED_RING) != 0;
    }

    // --- submission -----------------------------------------------------------------------------

    /**
     * The next free submission entry, zeroed, as the ring's one {@link Sqe} flyweight. If the
     * queue is full, the pending entries are submitted first to make room.
     *
     * @return the entry to fill, valid until the next {@code prepare}
     * @throws IllegalStateException if the queue stays full (an SQPOLL thread that is not
     *                               consuming), or the caller does not own the ring
     */
    public Sqe prepare() {
        checkOwner();
        if (sq.isFull()) {
            submit();
            if (sq.isFull()) {
                throw new IllegalStateException("submission queue of ring fd " + fd + " is full (" + sq.capacity()
                        + " entries) and the kernel has taken none of them");
            }
        }
        int index = sq.claim();
        return sqe.at(sq.offsetOf(index), index);
    }

    /**
     * Entries prepared but not yet submitted.
     *
     * @return how many {@link #submit()} would hand to the kernel
     */
    public int pendingSubmissions() {
        return sq.pending();
    }

    /**
     * Submits every prepared entry.
     *
     * @return how many the kernel accepted
     * @throws ErrnoException if io_uring_enter fails
     */
    public int submit() {
        checkOwner();
        int pending = sq.publish();
        if (sqPoll) {
            return wakeSqPollIfNeeded(pending);
        }
        if (pending == 0) {
            return 0;
        }
        return enterOrThrow(pending, 0, 0, 0, 0, "submit");
    }

    private int wakeSqPollIfNeeded(int pending) {
        // The tail store must be visible before we read NEED_WAKEUP, or the poller could sleep
        // having missed our entries while we skip waking it: a store-load pair, so a full fence.
        VarHandle.fullFence();
        if ((sq.kernelFlags() & KernelAbi.IORING_SQ_NEED_WAKEUP) != 0) {
            enterOrThrow(0, 0, KernelAbi.IORING_ENTER_SQ_WAKEUP, 0, 0, "wake SQPOLL thread");
        }
        return pending;
    }

    /**
     * Submits every prepared entry and waits until at least {@code minComplete} completions are
     * ready.
     *
     * @param minComplete how many completions to wait for
     * @return the number of completions ready
     */
    public int submitAndWait(int minComplete) {
        checkOwner();
        int pending = sq.publish();
        if (sqPoll) {
            wakeSqPollIfNeeded(pending);
            pending = 0;
        }
        if (pending == 0 && cq.ready() >= minComplete && !kernelHoldsCompletions()) {
            return cq.ready();
        }
        enterOrThrow(pending, minComplete, KernelAbi.IORING_ENTER_GETEVENTS, 0, 0, "submit and wait");
        return cq.ready();
    }

    /**
     * Submits every prepared entry and waits at most {@code timeoutNanos} for at least
     * {@code minComplete} completions. A timeout is an expected outcome, not an exception.
     *
     * @param minComplete  how many completions to wait for
     * @param timeoutNanos the longest wait, in nanoseconds
     * @return the number of completions ready, which is below {@code minComplete} if the wait
     *         timed out
     */
    public int submitAndWait(int minComplete, long timeoutNanos) {
        checkOwner();
        if ((features & Feature.EXT_ARG) == 0) {
            throw new UnsupportedOperationException("this kernel's io_uring_enter takes no timeout (no EXT_ARG, "
                    + "Linux 5.11); uipc needs Linux 6.7 or newer");
        }
        int pending = sq.publish();
        if (sqPoll) {
            wakeSqPollIfNeeded(pending);
            pending = 0;
        }
        long nanos = Math.max(0, timeoutNanos);
        waitTimespec.set(JAVA_LONG, KernelAbi.Timespec.TV_SEC, nanos / 1_000_000_000L);
        waitTimespec.set(JAVA_LONG, KernelAbi.Timespec.TV_NSEC, nanos % 1_000_000_000L);
        waitArg.set(JAVA_LONG, KernelAbi.GeteventsArg.SIGMASK, 0L);
        waitArg.set(JAVA_INT, KernelAbi.GeteventsArg.SIGMASK_SZ, KernelAbi.SIGSET_SIZE);
        waitArg.set(JAVA_INT, KernelAbi.GeteventsArg.MIN_WAIT_USEC, 0);
        waitArg.set(JAVA_LONG, KernelAbi.GeteventsArg.TS, waitTimespec.address());
        long r = enter(pending, minComplete, KernelAbi.IORING_ENTER_GETEVENTS | KernelAbi.IORING_ENTER_EXT_ARG,
                waitArg.address(), KernelAbi.GeteventsArg.SIZE);
        if (r < 0 && r != -ETIME && r != -EBUSY) {
            throw enterFailed(r, pending, "submit and wait with timeout");
        }
        return cq.ready();
    }

    /** io_uring_enter, retried across signals; returns the raw result ({@code -errno} on failure). */
    private long enter(int toSubmit, int minComplete, int flags, long arg, long argSize) {
        long r;
        do {
            r = Native.ioUringEnter(errnoSlot, enterFd, toSubmit, minComplete, flags | enterFlags, arg, argSize);
        } while (r == -EINTR);
        return r;
    }

    private int enterOrThrow(int toSubmit, int minComplete, int flags, long arg, long argSize, String what) {
        long r = enter(toSubmit, minComplete, flags, arg, argSize);
        if (r < 0 && !(r == -EBUSY || r == -EAGAIN) ) {
            throw enterFailed(r, toSubmit, what);
        }
        return (int) Math.max(r, 0);
    }

    private ErrnoException enterFailed(long r, int toSubmit, String what) {
        String hint = null;
        if (r == -Errno.EEXIST.number()) {
            hint = "the ring is SINGLE_ISSUER and the kernel saw another task submit; a ring belongs to one thread";
        } else if (r == -Errno.EBADFD.number()) {
            hint = "the ring is disabled (R_DISABLED) until enable() is called";
        }
        return new ErrnoException((int) -r, "io_uring_enter(fd " + fd + ", " + what + ", to_submit=" + toSubmit
                + ")", hint);
    }

    // --- completion -----------------------------------------------------------------------------

    /** Whether completions exist that the kernel will only post when we enter it. */
    private boolean kernelHoldsCompletions() {
        return blindDeferred
                || (sq.kernelFlags() & (KernelAbi.IORING_SQ_TASKRUN | KernelAbi.IORING_SQ_CQ_OVERFLOW)) != 0;
    }

    /**
     * Completions ready in the completion queue now, without entering the kernel.
     *
     * @return how many completions {@link #drain} would hand over now
     */
    public int readyCompletions() {
        return cq.ready();
    }

    /** Lets the kernel post completions it holds back (DEFER_TASKRUN work, CQ overflow). */
    private void flushKernelCompletions() {
        if (kernelHoldsCompletions()) {
            long r = enter(0, 0, KernelAbi.IORING_ENTER_GETEVENTS, 0, 0);
            if (r < 0 && r != -EBUSY && r != -EAGAIN) {
                throw enterFailed(r, 0, "flush completions");
            }
        }
    }

    /**
     * Hands every ready completion to {@code handler}, in order; never blocks.
     *
     * @param handler sees each completion
     * @return how many completions were handled
     */
    public int drain(CompletionHandler handler) {
        return drain(handler, Integer.MAX_VALUE);
    }

    /**
     * Hands up to {@code max} ready completions to {@code handler}, in order; never blocks.
     * Each completion is consumed before its handler runs, so a handler that throws loses
     * nothing else: the rest stay queued.
     *
     * @param handler sees each completion
     * @param max     the most to hand over
     * @return how many completions were handled
     */
    public int drain(CompletionHandler handler, int max) {
        checkOwner();
        if (cq.isEmpty()) {
            flushKernelCompletions();
        }
        return cq.drain(handler, max);
    }

    /**
     * Copies the oldest ready completion into {@code into} and consumes it; never blocks.
     *
     * @param into the holder to fill
     * @return false if no completion is ready
     */
    public boolean next(Completion into) {
        checkOwner();
        if (cq.isEmpty()) {
            flushKernelCompletions();
        }
        return cq.next(into);
    }

    // --- registration ---------------------------------------------------------------------------

    /**
     * Asks the kernel which operations it supports (IORING_REGISTER_PROBE).
     *
     * @return the kernel's answer: which opcodes it supports
     */
    public Probe probe() {
        checkOwner();
        return Probe.of(fd);
    }

    /**
     * Cancels, synchronously, every pending operation whose user data is {@code userData}
     * (IORING_REGISTER_SYNC_CANCEL), and returns once they are cancelled.
     *
     * @param userData the user data of the operations to cancel
     * @return true if something was cancelled, false if nothing matched
     */
    public boolean cancelNow(long userData) {
        checkOwner();
        try (Arena local = Arena.ofConfined()) {
            MemorySegment reg = local.allocate(KernelAbi.SyncCancelReg.LAYOUT);
            reg.set(JAVA_LONG, KernelAbi.SyncCancelReg.ADDR, userData);      // match by user data (flags 0)
            reg.set(JAVA_INT, KernelAbi.SyncCancelReg.FD, -1);
            // A timeout of {-1, -1} means wait as long as cancellation takes.
            reg.set(JAVA_LONG, KernelAbi.SyncCancelReg.TIMEOUT + KernelAbi.Timespec.TV_SEC, -1L);
            reg.set(JAVA_LONG, KernelAbi.SyncCancelReg.TIMEOUT + KernelAbi.Timespec.TV_NSEC, -1L);
            long r = Native.ioUringRegister(fd, KernelAbi.IORING_REGISTER_SYNC_CANCEL, reg.address(), 1);
            if (r == -Errno.ENOENT.number()) {
                return false;
            }
            ErrnoException.check(r, "io_uring_register(fd " + fd + ", SYNC_CANCEL user_data=0x"
                    + Long.toHexString(userData) + ")");
            return true;
        }
    }

    // --- properties -----------------------------------------------------------------------------

    /**
     * The ring's file descriptor: what another ring's MSG_RING names to post a completion here.
     *
     * @return the file descriptor, valid until {@link #close()}
     */
    public int fd() {
        return fd;
    }

    /**
     * The setup flags the kernel accepted (NO_SQARRAY may have been dropped).
     *
     * @return {@link SetupFlag} bits
     */
    public int setupFlags() {
        return setupFlags;
    }

    /**
     * The {@link Feature} bits the kernel reported.
     *
     * @return {@link Feature} bits
     */
    public int features() {
        return features;
    }

    /**
     * How many entries can be prepared before a submit, as the kernel sized the queue.
     *
     * @return the submission queue's capacity
     */
    public int submissionEntries() {
        return sq.capacity();
    }

    /**
     * How many completions can wait to be drained, as the kernel sized the queue.
     *
     * @return the completion queue's capacity
     */
    public int completionEntries() {
        return cq.capacity();
    }

    /**
     * Completions the kernel dropped because the CQ was full (should stay 0 with NODROP).
     *
     * @return the kernel's overflow counter
     */
    public int overflowCount() {
        return cq.overflow();
    }

    /**
     * Submissions the kernel dropped as invalid.
     *
     * @return the kernel's dropped counter
     */
    public int droppedSubmissions() {
        return sq.dropped();
    }

    /**
     * The thread that owns the ring, or null while it is disabled.
     *
     * @return the owner thread, the only one that may prepare and submit
     */
    public Thread owner() {
        return owner;
    }

    /** Address of the timespec slot for SQE {@code index}; the kernel reads it at submission. */
    long timespecFor(int index, long nanos) {
        long at = (long) index * KernelAbi.Timespec.SIZE;
        long clamped = Math.max(0, nanos);
        timeouts.set(JAVA_LONG, at + KernelAbi.Timespec.TV_SEC, clamped / 1_000_000_000L);
        timeouts.set(JAVA_LONG, at + KernelAbi.Timespec.TV_NSEC, clamped % 1_000_000_000L);
        return timeouts.address() + at;
    }

    /**
     * Closes the ring: pending operations are cancelled by the kernel, the mappings are
     * unmapped. Idempotent; callable from any thread once the owner no longer uses it.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        Thread previous = owner;
        owner = null;
        if (previous == Thread.currentThread() && ringFdRegistered()) {
            try (Arena local = Arena.ofConfined()) {
                MemorySegment update = local.allocate(KernelAbi.RsrcUpdate.LAYOUT);
                update.set(JAVA_INT, KernelAbi.RsrcUpdate.OFFSET, enterFd);
                Native.ioUringRegister(fd, KernelAbi.IORING_UNREGISTER_RING_FDS, update.address(), 1);
            }
        }
        arena.close();
        Native.close(fd);
    }

    @Override
    public String toString() {
        return "Ring[fd=" + fd + ", sq=" + sq.capacity() + ", cq=" + cq.capacity() + ", flags=" + SetupFlag.names(setupFlags)
                + (owner != null ? ", owner=" + owner.getName() : closed ? ", closed" : ", disabled") + "]";
    }
}
