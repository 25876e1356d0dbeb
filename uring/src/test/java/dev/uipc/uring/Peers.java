package dev.uipc.uring;

import dev.uipc.uring.linux.MemFd;
import dev.uipc.uring.linux.OwnedFd;
import dev.uipc.uring.linux.PidFd;
import dev.uipc.uring.linux.Sockets;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/**
 * The child processes of the cross-process tests, one {@code main} each. They print a line to
 * say where they are ("waiting", "armed") and exit 0 on success; any failure exits non-zero
 * with the reason on stderr.
 */
final class Peers {
    private Peers() {
    }

    private static final long TEN_SECONDS = TimeUnit.SECONDS.toNanos(10);

    /** Sleeps on word 0 of the shared file with the futex syscall until woken; args: path. */
    static final class SyscallWaiter {
        public static void main(String[] args) {
            try (SharedFile file = SharedFile.open(args[0])) {
                System.out.println("waiting");
                int outcome = Futex.await(file.memory, 0, 0, TEN_SECONDS);
                System.out.println("woken " + outcome);
                System.exit(outcome == Futex.WOKEN ? 0 : 1);
            }
        }
    }

    /** Waits on word 0 with an io_uring FUTEX_WAIT until woken; args: path. */
    static final class RingWaiter {
        public static void main(String[] args) {
            try (SharedFile file = SharedFile.open(args[0]); Ring ring = Ring.open(8)) {
                ring.prepare().futexWait(file.memory, 0, 0).userData(1);
                ring.submit();
                System.out.println("armed");
                Completion c = new Completion();
                long deadline = System.nanoTime() + TEN_SECONDS;
                while (!ring.next(c) && System.nanoTime() < deadline) {
                    ring.submitAndWait(1, deadline - System.nanoTime());
                }
                System.out.println("completed " + c.result() + " user_data " + c.userData());
                System.exit(c.userData() == 1 && c.result() == 0 ? 0 : 1);
            }
        }
    }

    /**
     * Takes the parent's ring fd with pidfd_getfd and posts a MSG_RING to it from its own ring;
     * args: parent pid, parent ring fd.
     */
    static final class MsgRingSender {
        public static void main(String[] args) {
            int parent = Integer.parseInt(args[0]);
            int ringFd = Integer.parseInt(args[1]);
            try (OwnedFd pidfd = PidFd.open(parent);
                 OwnedFd target = PidFd.getFd(pidfd.value(), ringFd);
                 Ring ring = Ring.open(8)) {
                ring.prepare().msgRing(target.value(), 42, 0xc0ffeeL).userData(9);
                ring.submitAndWait(1, TEN_SECONDS);
                Completion c = new Completion();
                if (!ring.next(c) || c.result() != 0) {
                    System.err.println("MSG_RING failed: " + c);
                    System.exit(1);
                }
                System.out.println("sent");
            }
        }
    }

    /**
     * Takes the parent's Unix socket with pidfd_getfd, receives a memfd over it with
     * SCM_RIGHTS, checks the memfd holds "hello", writes "world" into it; args: parent pid,
     * socket fd.
     */
    static final class FdReceiver {
        public static void main(String[] args) {
            int parent = Integer.parseInt(args[0]);
            int socketFd = Integer.parseInt(args[1]);
            try (OwnedFd pidfd = PidFd.open(parent);
                 OwnedFd socket = PidFd.getFd(pidfd.value(), socketFd);
                 Arena arena = Arena.ofConfined()) {
                Sockets.Received received = Sockets.receiveFds(socket.value(), 16, 4);
                if (received.fds().length != 1) {
                    System.err.println("expected one fd, got " + received);
                    System.exit(1);
                }
                try (OwnedFd memfd = received.fds()[0]) {
                    MemorySegment memory = MemFd.mapReadWrite(memfd.value(), 4096, arena);
                    String seen = memory.getString(0, StandardCharsets.UTF_8);
                    MemorySegment.copy("world".getBytes(StandardCharsets.UTF_8), 0, memory, JAVA_BYTE, 0, 5);
                    System.out.println("got " + new String(received.data(), StandardCharsets.UTF_8) + " " + seen);
                    System.exit(seen.equals("hello") ? 0 : 1);
                }
            }
        }
    }

    /**
     * Runs the full capability probe many times under allocation and GC pressure. Memory handed
     * to the kernel as ring storage must outlive the ring's asynchronous teardown; when it was
     * freed early, the kernel's writes corrupted the JVM's malloc'ed structures and this
     * crashed the JVM in two runs of three. args: iterations
     */
    static final class ProbeLoop {
        public static void main(String[] args) {
            java.util.List<Object> junk = new java.util.ArrayList<>();
            for (int i = 0; i < Integer.parseInt(args[0]); i++) {
                Capabilities.survey();
                for (int k = 0; k < 2000; k++) {
                    junk.add(new java.lang.ref.WeakReference<>(new byte[64]));
                }
                if (junk.size() > 100_000) {
                    junk.clear();
                }
                if (i % 20 == 0) {
                    System.gc();
                }
            }
            System.out.println("survived");
        }
    }

    /** Prints what IoUring says about availability; run without native access. */
    static final class AvailabilityReporter {
        public static void main(String[] args) {
            System.out.println("available=" + IoUring.isAvailable());
            System.out.println("cause=" + IoUring.unavailabilityCause());
            try {
                Futex.wake(Arena.ofAuto().allocate(4, 4), 0, 1);
            } catch (Throwable t) {
                Throwable root = t;
                while (root.getCause() != null) {
                    root = root.getCause();
                }
                System.out.println("direct-use=" + root.getClass().getSimpleName() + ": " + root.getMessage());
            }
        }
    }
}
