package dev.uipc.uring;

import java.util.List;

/**
 * What io_uring can do on this machine, found by trying: the report behind
 * {@code uipc uring probe}.
 *
 * @param kernelRelease     {@code uname -r}
 * @param machine           {@code uname -m}
 * @param available         whether a ring can be created at all
 * @param unavailableReason why not, or {@code null}
 * @param features          the {@link Feature} bits a default ring reported
 * @param lastOp            the highest opcode the kernel knows
 * @param opcodes           every opcode {@link Opcode} names, and whether the kernel supports it
 * @param setupFlags        every {@link SetupFlag}, and whether a ring can be created with it
 * @param checks            end-to-end checks of what uipc relies on (futex ops, MSG_RING, ...)
 */
public record Capabilities(String kernelRelease, String machine, boolean available, String unavailableReason,
                           int features, int lastOp, List<Support> opcodes, List<Support> setupFlags,
                           List<Support> checks) {

    /** The lists are copied: the report cannot change once made. */
    public Capabilities {
        opcodes = List.copyOf(opcodes);
        setupFlags = List.copyOf(setupFlags);
        checks = List.copyOf(checks);
    }

    /**
     * One capability.
     *
     * @param name   e.g. "FUTEX_WAIT", "SINGLE_ISSUER", "msg-ring-across-processes"
     * @param status whether it works
     * @param detail how it was found out, or why it fails (an errno name and what to do)
     */
    public record Support(String name, Status status, String detail) {
        /**
         * Whether it was tried and works.
         *
         * @return true if the status is YES
         */
        public boolean works() {
            return status == Status.YES;
        }
    }

    /** The outcome of one probe. */
    public enum Status {
        /** Tried, and it works. */
        YES,
        /** Tried, and the kernel refused. */
        NO,
        /** Could not be tried here; the detail says why. */
        UNKNOWN
    }

    /**
     * Tries everything uipc relies on and reports what works: kernel, features, every opcode,
     * every setup flag, and end-to-end checks of futex operations, linked timeouts, MSG_RING
     * within and across processes, registered ring fds and registered waits. Creates and
     * closes a few dozen short-lived rings, and duplicates one descriptor of the parent process
     * (pidfd_getfd) to see whether peers can reach each other's rings; takes a few
     * milliseconds. What the kernel refuses is the report's content, not an exception.
     *
     * @return the report
     */
    public static Capabilities survey() {
        return CapabilitySurvey.run();
    }

    /**
     * The check or flag named {@code name}, from any of the three lists.
     *
     * @param name such as {@code "FUTEX_WAIT"} or {@code "futex-waitv"}
     * @return what the survey found
     * @throws IllegalArgumentException if no check, flag or opcode has that name
     */
    public Support find(String name) {
        for (List<Support> list : List.of(checks, setupFlags, opcodes)) {
            for (Support s : list) {
                if (s.name().equals(name)) {
                    return s;
                }
            }
        }
        throw new IllegalArgumentException("no capability named " + name);
    }
}
