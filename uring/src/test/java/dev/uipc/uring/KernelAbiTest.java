package dev.uipc.uring;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Pins every kernel structure offset uipc uses to the value {@code offsetof} prints for the
 * C header (io_uring.h as of 6.18, linux/futex.h, glibc sys/utsname.h on x86-64), so that a
 * layout edit that drifts from the ABI fails here rather than corrupting a submission.
 */
class KernelAbiTest {
    @Test
    void sqeMatchesIoUringSqe() {
        assertEquals(0, KernelAbi.Sqe.OPCODE);
        assertEquals(1, KernelAbi.Sqe.FLAGS);
        assertEquals(2, KernelAbi.Sqe.IOPRIO);
        assertEquals(4, KernelAbi.Sqe.FD);
        assertEquals(8, KernelAbi.Sqe.OFF);
        assertEquals(16, KernelAbi.Sqe.ADDR);
        assertEquals(16, KernelAbi.Sqe.LEVEL);
        assertEquals(20, KernelAbi.Sqe.OPTNAME);
        assertEquals(24, KernelAbi.Sqe.LEN);
        assertEquals(28, KernelAbi.Sqe.OP_FLAGS);
        assertEquals(32, KernelAbi.Sqe.USER_DATA);
        assertEquals(40, KernelAbi.Sqe.BUF_INDEX);
        assertEquals(42, KernelAbi.Sqe.PERSONALITY);
        assertEquals(44, KernelAbi.Sqe.FILE_INDEX);
        assertEquals(44, KernelAbi.Sqe.OPTLEN);
        assertEquals(48, KernelAbi.Sqe.ADDR3);
        assertEquals(48, KernelAbi.Sqe.CMD);
        assertEquals(64, KernelAbi.Sqe.SIZE);
    }

    @Test
    void cqeMatchesIoUringCqe() {
        assertEquals(0, KernelAbi.Cqe.USER_DATA);
        assertEquals(8, KernelAbi.Cqe.RES);
        assertEquals(12, KernelAbi.Cqe.FLAGS);
        assertEquals(16, KernelAbi.Cqe.SIZE);
    }

    @Test
    void paramsAndRingOffsetsMatch() {
        assertEquals(0, KernelAbi.Params.SQ_ENTRIES);
        assertEquals(4, KernelAbi.Params.CQ_ENTRIES);
        assertEquals(8, KernelAbi.Params.FLAGS);
        assertEquals(12, KernelAbi.Params.SQ_THREAD_CPU);
        assertEquals(16, KernelAbi.Params.SQ_THREAD_IDLE);
        assertEquals(20, KernelAbi.Params.FEATURES);
        assertEquals(24, KernelAbi.Params.WQ_FD);
        assertEquals(40, KernelAbi.Params.SQ_OFF);
        assertEquals(80, KernelAbi.Params.CQ_OFF);
        assertEquals(120, KernelAbi.Params.SIZE);

        assertEquals(0, KernelAbi.SqRingOffsets.HEAD);
        assertEquals(4, KernelAbi.SqRingOffsets.TAIL);
        assertEquals(8, KernelAbi.SqRingOffsets.RING_MASK);
        assertEquals(12, KernelAbi.SqRingOffsets.RING_ENTRIES);
        assertEquals(16, KernelAbi.SqRingOffsets.FLAGS);
        assertEquals(20, KernelAbi.SqRingOffsets.DROPPED);
        assertEquals(24, KernelAbi.SqRingOffsets.ARRAY);
        assertEquals(32, KernelAbi.SqRingOffsets.USER_ADDR);
        assertEquals(40, KernelAbi.SqRingOffsets.LAYOUT.byteSize());

        assertEquals(0, KernelAbi.CqRingOffsets.HEAD);
        assertEquals(4, KernelAbi.CqRingOffsets.TAIL);
        assertEquals(8, KernelAbi.CqRingOffsets.RING_MASK);
        assertEquals(12, KernelAbi.CqRingOffsets.RING_ENTRIES);
        assertEquals(16, KernelAbi.CqRingOffsets.OVERFLOW);
        assertEquals(20, KernelAbi.CqRingOffsets.CQES);
        assertEquals(24, KernelAbi.CqRingOffsets.FLAGS);
        assertEquals(32, KernelAbi.CqRingOffsets.USER_ADDR);
        assertEquals(40, KernelAbi.CqRingOffsets.LAYOUT.byteSize());
    }

    @Test
    void waitAndRegistrationStructsMatch() {
        assertEquals(0, KernelAbi.GeteventsArg.SIGMASK);
        assertEquals(8, KernelAbi.GeteventsArg.SIGMASK_SZ);
        assertEquals(12, KernelAbi.GeteventsArg.MIN_WAIT_USEC);
        assertEquals(16, KernelAbi.GeteventsArg.TS);
        assertEquals(24, KernelAbi.GeteventsArg.SIZE);
        assertEquals(16, KernelAbi.Timespec.SIZE);

        assertEquals(0, KernelAbi.RsrcUpdate.OFFSET);
        assertEquals(8, KernelAbi.RsrcUpdate.DATA);
        assertEquals(16, KernelAbi.RsrcUpdate.SIZE);

        assertEquals(0, KernelAbi.Probe.LAST_OP);
        assertEquals(1, KernelAbi.Probe.OPS_LEN);
        assertEquals(16, KernelAbi.Probe.OPS);
        assertEquals(8, KernelAbi.Probe.OP_SIZE);
        assertEquals(2, KernelAbi.Probe.OP_FLAGS);

        assertEquals(0, KernelAbi.SyncCancelReg.ADDR);
        assertEquals(8, KernelAbi.SyncCancelReg.FD);
        assertEquals(12, KernelAbi.SyncCancelReg.FLAGS);
        assertEquals(16, KernelAbi.SyncCancelReg.TIMEOUT);
        assertEquals(32, KernelAbi.SyncCancelReg.OPCODE);
        assertEquals(64, KernelAbi.SyncCancelReg.SIZE);

        assertEquals(64, KernelAbi.RegWait.SIZE);
        assertEquals(20, KernelAbi.RegWait.FLAGS);
        assertEquals(64, KernelAbi.RegionDesc.SIZE);
        assertEquals(32, KernelAbi.MemRegionReg.SIZE);
    }

    @Test
    void futexWaitvMatches() {
        assertEquals(0, KernelAbi.FutexWaitv.VAL);
        assertEquals(8, KernelAbi.FutexWaitv.UADDR);
        assertEquals(16, KernelAbi.FutexWaitv.FLAGS);
        assertEquals(24, KernelAbi.FutexWaitv.SIZE);
    }

    @Test
    void utsnameMatchesGlibc() {
        assertEquals(130, KernelAbi.Utsname.RELEASE);
        assertEquals(260, KernelAbi.Utsname.MACHINE);
        assertEquals(390, KernelAbi.Utsname.SIZE);
    }

    @Test
    void opcodesMatchTheEnum() {
        assertEquals(40, Opcode.MSG_RING);
        assertEquals(46, Opcode.URING_CMD);
        assertEquals(51, Opcode.FUTEX_WAIT);
        assertEquals(52, Opcode.FUTEX_WAKE);
        assertEquals(53, Opcode.FUTEX_WAITV);
        assertEquals(65, Opcode.KNOWN, "IORING_OP_LAST in the 6.18 header");
        assertEquals("FUTEX_WAITV", Opcode.name(53));
        assertEquals("OP_99", Opcode.name(99));
    }

    @Test
    void setupFlagsRenderAsNames() {
        assertEquals(0x3000, SetupFlag.DEFAULT);
        assertEquals("SINGLE_ISSUER|DEFER_TASKRUN", SetupFlag.names(SetupFlag.DEFAULT));
        assertEquals("NO_SQARRAY|0x80000000", SetupFlag.names(SetupFlag.NO_SQARRAY | 0x80000000));
        assertEquals("0", SetupFlag.names(0));
    }
}
