package dev.uipc.uring.linux;

import dev.uipc.uring.Errno;
import dev.uipc.uring.ErrnoException;
import dev.uipc.uring.ffm.Native;

/**
 * The process's session: the group of processes a terminal hangs up together. A process that
 * must outlive the terminal it was started from, such as a broker started on demand by a
 * client, leaves it with {@link #create()}.
 */
public final class Session {
    private Session() {
    }

    /**
     * Makes this process the leader of a new session with no controlling terminal (setsid(2)),
     * so that closing the terminal that started it (SIGHUP to its session) no longer reaches it.
     *
     * @return the new session's id, which is this process's pid
     * @throws ErrnoException EPERM if this process already leads a process group, as a
     *                        shell's foreground or background job does
     */
    public static int create() {
        int sid = Native.setsid();
        if (sid < 0) {
            String hint = sid == -Errno.EPERM.number()
                    ? "this process leads a process group already (a shell makes each job one, and a session "
                      + "leader is one): start it from a program, such as a JVM through ProcessBuilder, whose "
                      + "children share its group"
                    : null;
            throw new ErrnoException(-sid, "setsid()", hint);
        }
        return sid;
    }
}
