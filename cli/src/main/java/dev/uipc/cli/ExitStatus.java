package dev.uipc.cli;

import dev.uipc.uring.Errno;

/**
 * The exit statuses of {@code uipc}, documented in the README:
 * <ul>
 *   <li>0: success;</li>
 *   <li>an errno number (1..133) when the command failed with that errno, which its message on
 *       stderr names first: ENOENT 2, EAGAIN 11, EACCES 13, EEXIST 17, EINVAL 22, EMSGSIZE 90,
 *       ENOBUFS 105, ETIMEDOUT 110, ...;</li>
 *   <li>{@link #USAGE} (64, as sysexits' EX_USAGE) for a command line that does not parse;</li>
 *   <li>{@link #SOFTWARE} (70, EX_SOFTWARE) for a bug in uipc.</li>
 * </ul>
 */
final class ExitStatus {
    private ExitStatus() {
    }

    static final int OK = 0;
    static final int USAGE = 64;
    static final int SOFTWARE = 70;

    static int of(Errno errno) {
        return errno.number();
    }
}
