package dev.uipc.uring;

/**
 * A Linux version as major and minor, e.g. 6.18: the granularity io_uring features arrive in.
 *
 * @param major the major version, e.g. 6
 * @param minor the minor version, e.g. 18
 */
public record KernelVersion(int major, int minor) {
    /**
     * Checks that neither part is negative.
     *
     * @param major the major version, not negative
     * @param minor the minor version, not negative
     */
    public KernelVersion {
        if (major < 0 || minor < 0) {
            throw new IllegalArgumentException("a kernel version has no negative parts: " + major + "." + minor);
        }
    }

    /**
     * The version at the start of a release string as {@code uname -r} prints it
     * ({@code "6.18.44-fc-v657"} is 6.18), or 0.0 if it does not start with two numbers.
     *
     * @param release such as {@code uname -r} prints it
     * @return its major and minor version, or 0.0
     */
    public static KernelVersion parse(String release) {
        String[] parts = release.split("[.-]", 3);
        try {
            return new KernelVersion(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]));
        } catch (RuntimeException e) {
            return new KernelVersion(0, 0);
        }
    }

    /**
     * Whether this version is {@code other} or newer.
     *
     * @param other the version needed
     * @return true if this is {@code other} or newer
     */
    public boolean isAtLeast(KernelVersion other) {
        return major != other.major ? major > other.major : minor >= other.minor;
    }

    /** {@code "6.18"}. */
    @Override
    public String toString() {
        return major + "." + minor;
    }
}
