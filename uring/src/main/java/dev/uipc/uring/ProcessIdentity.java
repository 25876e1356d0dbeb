package dev.uipc.uring;

import dev.uipc.uring.ffm.Native;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * Who this process is, and whether another one is still alive.
 *
 * <p>A process is identified by its PID and its start time (field 22 of
 * {@code /proc/PID/stat}, in clock ticks since boot): a PID alone may be reused by a new
 * process after the old one dies, the pair may not. A zombie counts as dead.
 */
public final class ProcessIdentity {
    private ProcessIdentity() {
    }

    private static final int PID = Native.getpid();
    private static final long START_TIME = startTime(PID);

    /**
     * This process's pid, as the kernel knows it (not cached by the JVM).
     *
     * @return the pid, in this process's pid namespace
     */
    public static int pid() {
        return PID;
    }

    /**
     * This process's start time, in clock ticks since boot: with the pid, it tells this process
     * from a later one given the same pid.
     *
     * @return field 22 of {@code /proc/self/stat}
     */
    public static long startTime() {
        return START_TIME;
    }

    /**
     * The effective user id: the one the kernel checks file permissions against.
     *
     * @return the effective uid
     */
    public static int uid() {
        return Native.geteuid();
    }

    /**
     * The real user id: who started the process, whatever it runs as.
     *
     * @return the real uid
     */
    public static int realUid() {
        return Native.getuid();
    }

    /**
     * The effective group id: the one the group bits of a permission are checked against.
     *
     * @return the effective gid
     */
    public static int gid() {
        return Native.getegid();
    }

    /**
     * The supplementary group ids, in a new array on each call.
     *
     * @return the supplementary group ids, which also count for group permissions
     */
    public static int[] groups() {
        int count = ErrnoException.check(Native.getgroups(0, MemorySegment.NULL), "getgroups()");
        if (count == 0) {
            return new int[0];
        }
        try (Arena local = Arena.ofConfined()) {
            MemorySegment list = local.allocate(JAVA_INT, count);
            int got = ErrnoException.check(Native.getgroups(count, list), "getgroups(" + count + ")");
            return list.asSlice(0, (long) got * Integer.BYTES).toArray(JAVA_INT);
        }
    }

    /**
     * The thread id of the calling thread (what SINGLE_ISSUER binds a ring to).
     *
     * @return the kernel thread id
     */
    public static int tid() {
        return Native.gettid();
    }

    /**
     * The start time of process {@code pid}, or -1 if there is no such process or it is a
     * zombie.
     *
     * @param pid the process
     * @return its start time in clock ticks since boot, -1 if it is gone, or {@code Long.MAX_VALUE} if /proc does not say (alive, as far as anyone can tell)
     */
    public static long startTime(int pid) {
        String stat;
        try {
            stat = Files.readString(Path.of("/proc", Integer.toString(pid), "stat"), StandardCharsets.US_ASCII);
        } catch (NoSuchFileException gone) {
            return -1;
        } catch (IOException e) {
            // /proc hidden (hidepid) or unreadable: we cannot tell, so we must not declare it dead.
            return Native.kill(pid, 0) == -Errno.ESRCH.number() ? -1 : Long.MAX_VALUE;
        }
        // "pid (comm) state ppid ... starttime ...": comm may hold spaces and ')', so parse after the last ')'.
        int close = stat.lastIndexOf(')');
        if (close < 0) {
            return -1;
        }
        String[] fields = stat.substring(close + 2).trim().split(" ");
        char state = fields[0].isEmpty() ? '?' : fields[0].charAt(0);
        if (state == 'Z' || state == 'X' || fields.length < 20) {
            return -1;
        }
        return Long.parseLong(fields[19]);        // field 22; fields[0] is field 3
    }

    /**
     * Whether the process that had PID {@code pid} and start time {@code startTime} still
     * runs. {@code Long.MAX_VALUE} as start time means "unknown": alive while the PID exists.
     *
     * @param pid       the process id it had
     * @param startTime its start time, as {@link #startTime(int)} gave it then
     * @return true while that process runs
     */
    public static boolean isAlive(int pid, long startTime) {
        if (pid <= 0) {
            return false;
        }
        long now = startTime(pid);
        if (now < 0) {
            return false;
        }
        return now == startTime || now == Long.MAX_VALUE || startTime == Long.MAX_VALUE;
    }

    /**
     * The kernel release, as {@code uname -r} prints it.
     *
     * @return such as {@code "6.18.44-fc-v657"}
     */
    public static String kernelRelease() {
        return uname(KernelAbi.Utsname.RELEASE);
    }

    /**
     * The machine architecture, as {@code uname -m} prints it.
     *
     * @return such as {@code "x86_64"} or {@code "aarch64"}
     */
    public static String machine() {
        return uname(KernelAbi.Utsname.MACHINE);
    }

    private static String uname(long field) {
        try (Arena local = Arena.ofConfined()) {
            MemorySegment buf = local.allocate(KernelAbi.Utsname.SIZE);
            ErrnoException.check(Native.uname(buf), "uname()");
            return buf.getString(field, StandardCharsets.US_ASCII);
        }
    }

    /**
     * The running kernel's version, for feature checks that give a clear message ("needs Linux
     * 6.7").
     *
     * @return major and minor, such as 6.18
     */
    public static KernelVersion kernelVersion() {
        return KernelVersion.parse(kernelRelease());
    }
}
