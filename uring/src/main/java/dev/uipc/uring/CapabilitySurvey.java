package dev.uipc.uring;

import dev.uipc.uring.ffm.Native;
import dev.uipc.uring.linux.OwnedFd;
import dev.uipc.uring.linux.PidFd;
import dev.uipc.uring.linux.Sockets;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The self-checks behind {@code uipc uring probe} and {@link Capabilities#survey()}: tries every
 * opcode, every setup flag, and end to end what uipc relies on (futex waits and wakes,
 * FUTEX_WAITV, linked timeouts, MSG_RING within and across processes, registered ring fds
 * and waits), and reports each as a {@link Capabilities.Support}.
 */
final class CapabilitySurvey {
    private CapabilitySurvey() {
    }

    /**
     * Memory the probes hand to the kernel as ring storage: two pages for a NO_MMAP ring's
     * rings and SQEs, one for a registered wait region. The kernel pins such pages and tears a
     * ring down asynchronously after close, so it may still write to them after we are done:
     * memory from a closeable arena would be reused by malloc (for the JVM's own structures)
     * while the kernel writes into it. This block is never freed; surveys take turns using it.
     */
    private static final MemorySegment KERNEL_PAGES = Arena.global().allocate(3 * 4096, 4096);
    private static final Object KERNEL_PAGES_LOCK = new Object();

    /** See {@link Capabilities#survey()}. */
    static Capabilities run() {
        synchronized (KERNEL_PAGES_LOCK) {
            return surveyEverything();
        }
    }

    private static Capabilities surveyEverything() {
        String release = safe(ProcessIdentity::kernelRelease);
        String machine = safe(ProcessIdentity::machine);
        String why = IoUring.unavailabilityCause();
        if (why != null) {
            return new Capabilities(release, machine, false, why, 0, -1, List.of(), List.of(), List.of());
        }
        int features;
        Probe probe;
        try (Ring ring = Ring.open(RingOptions.defaults().withEntries(2).withFlags(0))) {
            features = ring.features();
            probe = ring.probe();
        }
        List<Capabilities.Support> opcodes = new ArrayList<>();
        for (int op = 0; op < Math.max(Opcode.KNOWN, probe.lastOp() + 1); op++) {
            boolean yes = probe.supports(op);
            opcodes.add(new Capabilities.Support(Opcode.name(op), yes ? Capabilities.Status.YES : Capabilities.Status.NO,
                    yes ? "IORING_REGISTER_PROBE lists it" : "not supported by this kernel"));
        }
        return new Capabilities(release, machine, true, null, features, probe.lastOp(), opcodes, probeSetupFlags(),
                probeChecks(probe));
    }

    private static String safe(Supplier<String> s) {
        try {
            return s.get();
        } catch (RuntimeException e) {
            return "?";
        }
    }

    private static List<Capabilities.Support> probeSetupFlags() {
        List<Capabilities.Support> flags = new ArrayList<>();
        for (int bit = 0; bit < SetupFlag.NAMES.length; bit++) {
            int flag = 1 << bit;
            flags.add(probeSetupFlag(SetupFlag.NAMES[bit], flag));
        }
        return flags;
    }

    /** Creates a 4-entry ring with {@code flag} and whatever that flag needs beside it. */
    private static Capabilities.Support probeSetupFlag(String name, int flag) {
        int companions = switch (flag) {
            case SetupFlag.SQ_AFF -> SetupFlag.SQPOLL;
            case SetupFlag.TASKRUN_FLAG -> SetupFlag.COOP_TASKRUN;
            case SetupFlag.DEFER_TASKRUN -> SetupFlag.SINGLE_ISSUER;
            case SetupFlag.HYBRID_IOPOLL -> SetupFlag.IOPOLL;
            case SetupFlag.REGISTERED_FD_ONLY -> SetupFlag.NO_MMAP;
            default -> 0;
        };
        String with = companions == 0 ? "" : " (with " + SetupFlag.names(companions) + ")";
        if (flag == SetupFlag.REGISTERED_FD_ONLY) {
            // The result is a registered index, not an fd; it lives until its thread exits, so
            // try it on a thread of its own.
            AtomicInteger result = new AtomicInteger(Integer.MIN_VALUE);
            Thread probe = Thread.ofPlatform().name("uipc-probe-registered-fd-only").start(
                    () -> result.set(trySetup(flag | companions)));
            try {
                probe.join(TimeUnit.SECONDS.toMillis(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return setupSupport(name, result.get(), with);
        }
        return setupSupport(name, trySetup(flag | companions), with);
    }

    private static Capabilities.Support setupSupport(String name, int errno, String with) {
        if (errno == 0) {
            return new Capabilities.Support(name, Capabilities.Status.YES, "io_uring_setup accepted it" + with);
        }
        if (errno == Integer.MIN_VALUE) {
            return new Capabilities.Support(name, Capabilities.Status.UNKNOWN, "the probe did not finish");
        }
        return new Capabilities.Support(name, Capabilities.Status.NO,
                "io_uring_setup: " + Errno.nameOf(errno) + with);
    }

    /** io_uring_setup with {@code flags}; returns 0 or the errno. Closes what it creates. */
    private static int trySetup(int flags) {
        try (Arena local = Arena.ofConfined()) {
            MemorySegment params = local.allocate(KernelAbi.Params.LAYOUT);
            params.set(JAVA_INT, KernelAbi.Params.FLAGS, flags);
            params.set(JAVA_INT, KernelAbi.Params.CQ_ENTRIES, 8);
            params.set(JAVA_INT, KernelAbi.Params.SQ_THREAD_IDLE, 1);
            OwnedFd attachTo = null;
            if ((flags & SetupFlag.ATTACH_WQ) != 0) {
                long base = Native.ioUringSetup(4, local.allocate(KernelAbi.Params.LAYOUT));
                if (base < 0) {
                    return (int) -base;
                }
                attachTo = OwnedFd.adopt((int) base, "io_uring");
                params.set(JAVA_INT, KernelAbi.Params.WQ_FD, (int) base);
            }
            if ((flags & SetupFlag.NO_MMAP) != 0) {
                // The application provides the ring memory: one page each suffices for 4 entries.
                // It must outlive the ring's asynchronous teardown: see KERNEL_PAGES.
                params.set(JAVA_LONG, KernelAbi.Params.SQ_OFF + KernelAbi.SqRingOffsets.USER_ADDR, KERNEL_PAGES.address());
                params.set(JAVA_LONG, KernelAbi.Params.CQ_OFF + KernelAbi.CqRingOffsets.USER_ADDR,
                        KERNEL_PAGES.address() + 4096);
            }
            long fd = Native.ioUringSetup(4, params);
            if (attachTo != null) {
                attachTo.close();
            }
            if (fd < 0) {
                return (int) -fd;
            }
            if ((flags & SetupFlag.REGISTERED_FD_ONLY) == 0) {
                Native.close((int) fd);
            }
            return 0;
        }
    }

    private interface Check {
        String run() throws Exception;
    }

    private static Capabilities.Support check(String name, Check check) {
        try {
            return new Capabilities.Support(name, Capabilities.Status.YES, check.run());
        } catch (ErrnoException e) {
            return new Capabilities.Support(name, Capabilities.Status.NO, e.getMessage());
        } catch (Exception | AssertionError e) {
            return new Capabilities.Support(name, Capabilities.Status.NO, String.valueOf(e.getMessage()));
        }
    }

    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    private static List<Capabilities.Support> probeChecks(Probe probe) {
        List<Capabilities.Support> checks = new ArrayList<>();
        KernelVersion running = ProcessIdentity.kernelVersion();
        KernelVersion needed = IoUring.MINIMUM_KERNEL;
        checks.add(new Capabilities.Support("kernel-" + needed + "-or-newer",
                running.isAtLeast(needed) ? Capabilities.Status.YES : Capabilities.Status.NO,
                "running " + running + "; io_uring futex operations arrived in " + needed));
        checks.add(check("default-ring", () -> {
            try (Ring ring = Ring.open(RingOptions.defaults())) {
                return "SINGLE_ISSUER|DEFER_TASKRUN ring created with " + SetupFlag.names(ring.setupFlags());
            }
        }));
        checks.add(check("futex-wait-woken-by-syscall", () -> futexWaitCheck(probe)));
        checks.add(check("futex-waitv", () -> futexWaitvCheck(probe)));
        checks.add(check("futex_waitv-syscall", CapabilitySurvey::futexWaitvSyscallCheck));
        checks.add(check("linked-timeout-cancels-futex-wait", () -> linkedTimeoutCheck(probe)));
        checks.add(check("msg-ring-between-rings", CapabilitySurvey::msgRingCheck));
        checks.add(check("msg-ring-without-source-ring", CapabilitySurvey::ringlessMsgRingCheck));
        checks.add(check("msg-ring-across-processes", CapabilitySurvey::pidfdGetfdCheck));
        checks.add(ringFdOverSocketCheck());
        checks.add(check("registered-ring-fd", CapabilitySurvey::registeredRingFdCheck));
        checks.add(check("registered-waits", CapabilitySurvey::registeredWaitCheck));
        return checks;
    }

    private static void require(boolean condition, String otherwise) {
        if (!condition) {
            throw new AssertionError(otherwise);
        }
    }

    private static void requireOps(Probe probe, int... ops) {
        for (int op : ops) {
            require(probe.supports(op), Opcode.name(op) + " is not supported by this kernel (needs Linux 6.7)");
        }
    }

    private static Completion await(Ring ring, long userData) {
        Completion c = new Completion();
        long deadline = System.nanoTime() + SECOND;
        while (System.nanoTime() < deadline) {
            if (ring.next(c)) {
                if (c.userData() == userData) {
                    return c;
                }
                continue;
            }
            ring.submitAndWait(1, deadline - System.nanoTime());
        }
        throw new AssertionError("no completion for user data 0x" + Long.toHexString(userData) + " within 1 s");
    }

    private static String futexWaitCheck(Probe probe) {
        requireOps(probe, Opcode.FUTEX_WAIT, Opcode.FUTEX_WAKE);
        try (Arena arena = Arena.ofConfined(); Ring ring = Ring.open(RingOptions.defaults())) {
            MemorySegment word = arena.allocate(JAVA_INT);
            ring.prepare().futexWait(word, 0, 0).userData(1);
            ring.submit();
            int woken = 0;
            for (int i = 0; i < 1000 && woken == 0; i++) {
                woken = Futex.wake(word, 0, 1);
                if (woken == 0) {
                    Thread.onSpinWait();
                }
            }
            Completion c = await(ring, 1);
            require(woken == 1 && c.result() == 0, "woken=" + woken + ", completion " + c);
            return "an armed FUTEX_WAIT completed with 0 after futex(FUTEX_WAKE) woke " + woken;
        }
    }

    private static String futexWaitvCheck(Probe probe) {
        requireOps(probe, Opcode.FUTEX_WAITV);
        try (Arena arena = Arena.ofConfined(); Ring ring = Ring.open(RingOptions.defaults())) {
            MemorySegment words = arena.allocate(JAVA_INT, 2);
            FutexVector vector = new FutexVector(arena, 2);
            vector.add(words, 0, 0);
            vector.add(words, 4, 0);
            ring.prepare().futexWaitv(vector).userData(2);
            ring.submit();
            ring.prepare().futexWake(words, 4, 1).userData(3);
            ring.submit();
            Completion c = await(ring, 2);
            require(c.result() == 1, "FUTEX_WAITV completed with " + c.result() + ", expected index 1");
            return "FUTEX_WAITV on 2 words reported index 1 when a FUTEX_WAKE submission woke the second";
        }
    }

    private static String futexWaitvSyscallCheck() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment word = arena.allocate(JAVA_INT);
            word.set(JAVA_INT, 0, 7);
            FutexVector vector = new FutexVector(arena, 1);
            vector.add(word, 0, 6);
            int r = Futex.awaitAny(vector, 1_000_000);
            require(r == Futex.VALUE_CHANGED, "futex_waitv returned " + r);
            return "futex_waitv(2) returned EAGAIN for a changed word, as it should";
        }
    }

    private static String linkedTimeoutCheck(Probe probe) {
        requireOps(probe, Opcode.FUTEX_WAIT, Opcode.LINK_TIMEOUT);
        try (Arena arena = Arena.ofConfined(); Ring ring = Ring.open(RingOptions.defaults())) {
            MemorySegment word = arena.allocate(JAVA_INT);
            ring.prepare().futexWait(word, 0, 0).userData(4).link();
            ring.prepare().linkTimeout(TimeUnit.MILLISECONDS.toNanos(1), 0).userData(5);
            ring.submit();
            Completion wait = await(ring, 4);
            require(wait.result() == -Errno.ECANCELED.number(), "the futex wait completed " + wait);
            return "FUTEX_WAIT linked to a 1 ms LINK_TIMEOUT completed with ECANCELED";
        }
    }

    private static String msgRingCheck() {
        try (Ring target = Ring.open(RingOptions.defaults()); Ring source = Ring.open(RingOptions.defaults().withFlags(0))) {
            source.prepare().msgRing(target.fd(), 42, 0xabcL).userData(6);
            source.submit();
            require(await(source, 6).result() == 0, "the sender's MSG_RING failed");
            Completion c = await(target, 0xabcL);
            require(c.result() == 42, "target got " + c);
            return "a DEFER_TASKRUN ring received {user_data=0xabc, res=42} from another ring";
        }
    }

    private static String ringlessMsgRingCheck() {
        try (Arena arena = Arena.ofConfined(); Ring target = Ring.open(RingOptions.defaults())) {
            MemorySegment sqe = arena.allocate(KernelAbi.Sqe.SIZE, 8);
            sqe.set(JAVA_BYTE, KernelAbi.Sqe.OPCODE, (byte) Opcode.MSG_RING);
            sqe.set(JAVA_INT, KernelAbi.Sqe.FD, target.fd());
            sqe.set(JAVA_INT, KernelAbi.Sqe.LEN, 5);
            sqe.set(JAVA_LONG, KernelAbi.Sqe.OFF, 0x5555L);
            long r = Native.ioUringRegister(-1, KernelAbi.IORING_REGISTER_SEND_MSG_RING, sqe.address(), 1);
            ErrnoException.check(r, "io_uring_register(-1, SEND_MSG_RING)");
            Completion c = await(target, 0x5555L);
            require(c.result() == 5, "target got " + c);
            return "IORING_REGISTER_SEND_MSG_RING posted to a ring without a source ring (6.13)";
        }
    }

    private static String pidfdGetfdCheck() throws IOException {
        String scope;
        try {
            scope = Files.readString(Path.of("/proc/sys/kernel/yama/ptrace_scope")).trim();
        } catch (IOException e) {
            scope = "absent (no Yama)";
        }
        String stat = Files.readString(Path.of("/proc/self/stat"));
        int parent = Integer.parseInt(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[1]);
        try (OwnedFd pidfd = PidFd.open(parent)) {
            PidFd.getFd(pidfd.value(), 0).close();
            return "pidfd_getfd took a descriptor of the parent process (pid " + parent + "), so a peer of this user "
                    + "can take a ring fd for MSG_RING; ptrace_scope=" + scope + ", uid=" + ProcessIdentity.uid();
        } catch (ErrnoException e) {
            throw new ErrnoException(e.errno(), e.operation() + " on the parent process (ptrace_scope=" + scope + ")",
                    "peers cannot take each other's ring fds here; uipc falls back to futex words in shared memory");
        }
    }

    private static Capabilities.Support ringFdOverSocketCheck() {
        String name = "ring-fd-over-scm-rights";
        try (Ring ring = Ring.open(RingOptions.defaults().withFlags(0));
             Sockets.Pair pair = Sockets.unixPair(Sockets.SOCK_STREAM)) {
            Sockets.sendFds(pair.first().value(), new byte[] {1}, ring.fd());
            return new Capabilities.Support(name, Capabilities.Status.YES,
                    "this kernel still passes ring fds over SCM_RIGHTS (older than the 2023 change)");
        } catch (ErrnoException e) {
            return new Capabilities.Support(name, Capabilities.Status.NO, Errno.nameOf(e.errno())
                    + ": refused, as every kernel since 2023 does; peers use pidfd_getfd or shared futex words");
        }
    }

    private static String registeredRingFdCheck() {
        try (Ring ring = Ring.open(RingOptions.defaults().withRegisteredRingFd(true))) {
            require(ring.ringFdRegistered(), "registration did not take");
            ring.prepare().nop().userData(7);
            ring.submit();
            require(await(ring, 7).result() == 0, "NOP through the registered fd failed");
            return "IORING_REGISTER_RING_FDS, then a NOP entered through the registered index";
        }
    }

    private static String registeredWaitCheck() {
        try (Arena arena = Arena.ofConfined();
             Ring ring = Ring.open(RingOptions.defaults().withFlags(SetupFlag.DEFAULT | SetupFlag.R_DISABLED))) {
            MemorySegment region = KERNEL_PAGES.asSlice(2 * 4096, 4096);     // outlives the ring: see KERNEL_PAGES
            region.fill((byte) 0);
            MemorySegment desc = arena.allocate(KernelAbi.RegionDesc.LAYOUT);
            desc.set(JAVA_LONG, KernelAbi.RegionDesc.USER_ADDR, region.address());
            desc.set(JAVA_LONG, KernelAbi.RegionDesc.SIZE_FIELD, region.byteSize());
            desc.set(JAVA_INT, KernelAbi.RegionDesc.FLAGS, KernelAbi.RegionDesc.IORING_MEM_REGION_TYPE_USER);
            MemorySegment reg = arena.allocate(KernelAbi.MemRegionReg.LAYOUT);
            reg.set(JAVA_LONG, KernelAbi.MemRegionReg.REGION_UPTR, desc.address());
            reg.set(JAVA_LONG, KernelAbi.MemRegionReg.FLAGS, KernelAbi.MemRegionReg.IORING_MEM_REGION_REG_WAIT_ARG);
            ErrnoException.check(Native.ioUringRegister(ring.fd(), KernelAbi.IORING_REGISTER_MEM_REGION, reg.address(), 1),
                    "io_uring_register(MEM_REGION)");
            ring.enable();
            region.set(JAVA_LONG, KernelAbi.RegWait.TS + KernelAbi.Timespec.TV_NSEC, 1_000_000L);
            region.set(JAVA_INT, KernelAbi.RegWait.FLAGS, KernelAbi.RegWait.IORING_REG_WAIT_TS);
            long start = System.nanoTime();
            long r = Native.ioUringEnter(Native.newErrnoSlot(arena), ring.fd(), 0, 1,
                    KernelAbi.IORING_ENTER_GETEVENTS | KernelAbi.IORING_ENTER_EXT_ARG | KernelAbi.IORING_ENTER_EXT_ARG_REG,
                    0, KernelAbi.RegWait.SIZE);
            require(r == -Errno.ETIME.number(), "a registered 1 ms wait returned " + r);
            return "a wait with its timeout in a registered region timed out after "
                    + (System.nanoTime() - start) / 1000 + " us (6.13)";
        }
    }
}
