package dev.uipc.uring;

import dev.uipc.uring.ffm.Native;
import dev.uipc.uring.ffm.NativeAccess;

import java.util.Locale;

/**
 * Whether io_uring is usable here, and if not, why, with what to do about it.
 *
 * <p>{@link #isAvailable()} is cheap after its first call and safe to call anywhere: it never
 * throws, and it explains a missing {@code --enable-native-access} flag rather than tripping
 * over it. The full report of what this kernel can do is {@link Capabilities#survey()}.
 */
public final class IoUring {
    private IoUring() {
    }

    /** The oldest kernel with io_uring futex operations, which uipc's waiting relies on. */
    public static final KernelVersion MINIMUM_KERNEL = new KernelVersion(6, 7);

    private static volatile String cause;

    /**
     * Whether a ring can be created in this JVM on this kernel: Linux, native access granted,
     * io_uring not disabled.
     *
     * @return true if io_uring works here; if not, {@link #unavailabilityCause()} says why
     */
    public static boolean isAvailable() {
        return unavailabilityCause() == null;
    }

    /**
     * Why io_uring cannot be used here, as a sentence with what to do (the JVM flag to add, the
     * sysctl to change).
     *
     * @return the reason and the remedy, or {@code null} if io_uring can be used
     */
    public static String unavailabilityCause() {
        String known = cause;
        if (known == null) {
            known = findCause();
            cause = known;
        }
        return known.isEmpty() ? null : known;
    }

    /**
     * Checks, before the first ring is needed, that io_uring can be used here.
     *
     * @throws UnsupportedOperationException with the reason, if io_uring cannot be used here
     */
    public static void ensureAvailable() {
        String why = unavailabilityCause();
        if (why != null) {
            throw new UnsupportedOperationException(why);
        }
    }

    /**
     * The JVM option that grants this module native access, exactly as it must be typed:
     * {@code --enable-native-access=dev.uipc.uring} on the module path,
     * {@code --enable-native-access=ALL-UNNAMED} on the class path.
     *
     * @return the flag for the way this module was loaded
     */
    public static String nativeAccessFlag() {
        return NativeAccess.flag();
    }

    private static String findCause() {
        String os = System.getProperty("os.name", "?");
        if (!os.toLowerCase(Locale.ROOT).contains("linux")) {
            return "io_uring is a Linux interface, and this is " + os;
        }
        if (!NativeAccess.enabled()) {
            return "uipc reaches the kernel through the Foreign Function & Memory API, which this JVM has not "
                    + "allowed for " + NativeAccess.class.getModule() + ": run java with " + NativeAccess.flag();
        }
        try {
            Native.SyscallNumbers.forArch(System.getProperty("os.arch"));
        } catch (UnsupportedOperationException e) {
            return e.getMessage();
        }
        try {
            Ring.open(RingOptions.defaults().withEntries(2).withFlags(0)).close();
            return "";
        } catch (ErrnoException e) {
            return e.getMessage();
        }
    }

    /**
     * Whether this kernel has the io_uring futex operations (Linux 6.7), which waiting through
     * io_uring needs.
     *
     * @return true if FUTEX_WAIT, FUTEX_WAKE and FUTEX_WAITV are all supported
     */
    public static boolean futexOperationsAvailable() {
        if (!isAvailable()) {
            return false;
        }
        try (Ring ring = Ring.open(RingOptions.defaults().withEntries(2).withFlags(0))) {
            Probe probe = ring.probe();
            return probe.supports(Opcode.FUTEX_WAIT) && probe.supports(Opcode.FUTEX_WAKE)
                    && probe.supports(Opcode.FUTEX_WAITV);
        }
    }
}
