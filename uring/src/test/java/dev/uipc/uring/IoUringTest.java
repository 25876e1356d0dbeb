package dev.uipc.uring;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The facade on this machine: io_uring is available and everything uipc relies on works.
 * Nothing here may skip on Linux 6.18: a skip would hide a broken binding.
 */
class IoUringTest {
    @Test
    void ioUringIsAvailable() {
        assertNull(IoUring.unavailabilityCause());
        assertTrue(IoUring.isAvailable());
        IoUring.ensureAvailable();
        assertTrue(IoUring.futexOperationsAvailable());
    }

    @Test
    void everyCheckUipcReliesOnPasses() {
        Capabilities caps = Capabilities.survey();
        assertTrue(caps.available(), caps.unavailableReason());
        for (Capabilities.Support check : caps.checks()) {
            if (check.name().equals("ring-fd-over-scm-rights")) {
                assertEquals(Capabilities.Status.NO, check.status(), "kernels since 2023 refuse it: " + check.detail());
            } else {
                assertEquals(Capabilities.Status.YES, check.status(), check.name() + ": " + check.detail());
            }
        }
        for (String flag : new String[] {"SINGLE_ISSUER", "DEFER_TASKRUN", "NO_SQARRAY", "R_DISABLED", "SQPOLL",
                "CQSIZE", "CLAMP", "COOP_TASKRUN", "TASKRUN_FLAG"}) {
            assertTrue(caps.find(flag).works(), flag + ": " + caps.find(flag).detail());
        }
        assertTrue(caps.find("FUTEX_WAITV").works());
        assertTrue(caps.lastOp() >= Opcode.FUTEX_WAITV);
    }

    @Test
    void processIdentityKnowsWhoWeAre() {
        assertEquals(ProcessHandle.current().pid(), ProcessIdentity.pid());
        assertTrue(ProcessIdentity.isAlive(ProcessIdentity.pid(), ProcessIdentity.startTime()));
        assertTrue(ProcessIdentity.startTime() > 0);
        assertTrue(!ProcessIdentity.isAlive(ProcessIdentity.pid(), ProcessIdentity.startTime() + 1),
                "same PID, other start time: another process");
        assertTrue(ProcessIdentity.kernelRelease().matches("\\d+\\.\\d+.*"), ProcessIdentity.kernelRelease());
        assertTrue(ProcessIdentity.tid() > 0);
    }

    @Test
    void kernelVersionsParseAndCompare() {
        assertEquals(new KernelVersion(6, 18), KernelVersion.parse("6.18.44-fc-v657"));
        assertEquals(new KernelVersion(5, 15), KernelVersion.parse("5.15.0-1019-azure"));
        assertEquals(new KernelVersion(0, 0), KernelVersion.parse("not a release"));
        assertEquals("6.7", IoUring.MINIMUM_KERNEL.toString());
        assertTrue(new KernelVersion(6, 7).isAtLeast(IoUring.MINIMUM_KERNEL));
        assertTrue(new KernelVersion(7, 0).isAtLeast(IoUring.MINIMUM_KERNEL));
        assertFalse(new KernelVersion(6, 6).isAtLeast(IoUring.MINIMUM_KERNEL));
        assertFalse(new KernelVersion(5, 19).isAtLeast(IoUring.MINIMUM_KERNEL));
        assertTrue(ProcessIdentity.kernelVersion().isAtLeast(IoUring.MINIMUM_KERNEL), ProcessIdentity.kernelRelease());
    }

    @Test
    void theNativeAccessFlagIsTheOneThisJvmNeeds() {
        assertEquals("--enable-native-access=ALL-UNNAMED", IoUring.nativeAccessFlag(), "tests run on the class path");
    }
}
