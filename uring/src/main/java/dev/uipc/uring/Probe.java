package dev.uipc.uring;

import dev.uipc.uring.ffm.Native;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/** Which io_uring operations this kernel supports (IORING_REGISTER_PROBE). */
public final class Probe {
    private static final int PROBE_OPS = 256;

    private final int lastOp;
    private final boolean[] supported;

    private Probe(int lastOp, boolean[] supported) {
        this.lastOp = lastOp;
        this.supported = supported;
    }

    static Probe of(int ringFd) {
        try (Arena local = Arena.ofConfined()) {
            MemorySegment probe = local.allocate(KernelAbi.Probe.OPS + KernelAbi.Probe.OP_SIZE * PROBE_OPS, 8);
            long r = Native.ioUringRegister(ringFd, KernelAbi.IORING_REGISTER_PROBE, probe.address(), PROBE_OPS);
            ErrnoException.check(r, "io_uring_register(fd " + ringFd + ", PROBE)");
            int last = probe.get(JAVA_BYTE, KernelAbi.Probe.LAST_OP) & 0xff;
            int length = probe.get(JAVA_BYTE, KernelAbi.Probe.OPS_LEN) & 0xff;
            boolean[] supported = new boolean[Math.max(length, last + 1)];
            for (int i = 0; i < length; i++) {
                short flags = probe.get(JAVA_SHORT, KernelAbi.Probe.OPS + i * KernelAbi.Probe.OP_SIZE
                        + KernelAbi.Probe.OP_FLAGS);
                supported[i] = (flags & KernelAbi.Probe.IO_URING_OP_SUPPORTED) != 0;
            }
            return new Probe(last, supported);
        }
    }

    /**
     * The highest opcode this kernel knows.
     *
     * @return the last opcode of {@code enum io_uring_op} this kernel has
     */
    public int lastOp() {
        return lastOp;
    }

    /**
     * Whether this kernel supports an operation: one it does not know, or knows but has compiled
     * out, fails with EINVAL.
     *
     * @param opcode an {@link Opcode} value
     * @return true if this kernel accepts it
     */
    public boolean supports(int opcode) {
        return opcode >= 0 && opcode < supported.length && opcode <= lastOp && supported[opcode];
    }

    /**
     * The opcodes this kernel supports, ascending.
     *
     * @return every supported {@link Opcode} value
     */
    public List<Integer> supportedOpcodes() {
        List<Integer> ops = new ArrayList<>();
        for (int op = 0; op <= lastOp; op++) {
            if (supports(op)) {
                ops.add(op);
            }
        }
        return ops;
    }
}
