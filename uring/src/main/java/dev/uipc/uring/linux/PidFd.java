package dev.uipc.uring.linux;

import dev.uipc.uring.Errno;
import dev.uipc.uring.ErrnoException;
import dev.uipc.uring.ffm.Native;

/**
 * Process file descriptors: pidfd_open(2) refers to one process without the PID-reuse race,
 * and pidfd_getfd(2) duplicates one of its descriptors into this process.
 *
 * <p>pidfd_getfd is how a peer obtains another process's ring fd for MSG_RING, since a ring fd
 * may not travel over SCM_RIGHTS (kernel rule since 2023). It needs ptrace-attach rights over
 * the target: the same uid and a Yama {@code ptrace_scope} that allows it (0, or 1 for
 * descendants), or CAP_SYS_PTRACE.
 */
public final class PidFd {
    private PidFd() {
    }

    /**
     * A descriptor for process {@code pid} (pidfd_open(2), Linux 5.3), close-on-exec. It keeps
     * naming that process after it exits, even once its pid is reused.
     *
     * @param pid a process id, in this process's pid namespace
     * @return the pidfd, which the caller owns
     * @throws ErrnoException ESRCH if no process {@code pid} exists
     */
    public static OwnedFd open(int pid) {
        long fd = Native.pidfdOpen(pid, 0);
        if (fd < 0) {
            String hint = fd == -Errno.ESRCH.number() ? "no process " + pid + " exists" : null;
            throw new ErrnoException((int) -fd, "pidfd_open(" + pid + ")", hint);
        }
        return OwnedFd.adopt((int) fd, "pidfd " + pid);
    }

    /**
     * Duplicates descriptor {@code targetFd} of the process behind {@code pidfd} into this one
     * (pidfd_getfd(2), Linux 5.6), close-on-exec: the file is shared, as after dup(2).
     *
     * @param pidfd    a pidfd of the other process, from {@link #open}
     * @param targetFd the descriptor's number in that process
     * @return the copy in this process, which the caller owns
     * @throws ErrnoException EPERM without ptrace rights over that process; EBADF if it has no
     *                        descriptor {@code targetFd}
     */
    public static OwnedFd getFd(int pidfd, int targetFd) {
        long fd = Native.pidfdGetfd(pidfd, targetFd, 0);
        if (fd < 0) {
            String hint = fd == -Errno.EPERM.number()
                    ? "taking another process's descriptor needs ptrace rights over it: the same user and "
                      + "kernel.yama.ptrace_scope=0 (or 1 if it is our descendant), or CAP_SYS_PTRACE"
                    : fd == -Errno.EBADF.number() ? "that process has no descriptor " + targetFd : null;
            throw new ErrnoException((int) -fd, "pidfd_getfd(pidfd " + pidfd + ", fd " + targetFd + ")", hint);
        }
        return OwnedFd.adopt((int) fd, "fd " + targetFd + " of another process");
    }
}
