package dev.uipc.uring.ffm;

import dev.uipc.uring.IoUring;

/**
 * Whether this module may make restricted calls, asked without making one, so that
 * {@link IoUring} can explain the missing flag instead of failing inside {@link Native}.
 */
public final class NativeAccess {
    private NativeAccess() {
    }

    public static boolean enabled() {
        return NativeAccess.class.getModule().isNativeAccessEnabled();
    }

    /** The flag that grants it, as the user must type it. */
    public static String flag() {
        Module module = NativeAccess.class.getModule();
        return "--enable-native-access=" + (module.isNamed() ? module.getName() : "ALL-UNNAMED");
    }
}
