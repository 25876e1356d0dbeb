package dev.uipc.uring;

/**
 * Whether this module may make restricted calls, asked without making one, so that
 * {@link IoUring} can explain the missing flag instead of failing inside {@link Native}.
 */
final class NativeAccess {
    private NativeAccess() {
    }

    static boolean enabled() {
        return NativeAccess.class.getModule().isNativeAccessEnabled();
    }

    /** The flag that grants it, as the user must type it. */
    static String flag() {
        Module module = NativeAccess.class.getModule();
        return "--enable-native-access=" + (module.isNamed() ? module.getName() : "ALL-UNNAMED");
    }
}
