package dev.uipc.uring;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * The kernel structures uipc exchanges with Linux, one nested descriptor per C struct.
 *
 * <p>Each descriptor holds the struct's {@link StructLayout}, written field by field from the
 * uapi header ({@code include/uapi/linux/io_uring.h} as of Linux 6.18; {@code linux/futex.h};
 * glibc's {@code sys/utsname.h}), and the byte offsets the code uses, derived from that
 * layout so that the two cannot drift. {@code KernelAbiTest} pins every offset to the value
 * {@code offsetof} prints for the C header. Unions are named after the member uipc uses.
 */
final class KernelAbi {
    private KernelAbi() {
    }

    private static long offset(StructLayout layout, String field) {
        return layout.byteOffset(groupElement(field));
    }

    /** {@code struct io_uring_sqe}: one submission, 64 bytes (128 with SQE128). */
    static final class Sqe {
        /**
         * {@snippet lang = c:
         * struct io_uring_sqe {
         *   __u8 opcode; __u8 flags; __u16 ioprio; __s32 fd;
         *   union { __u64 off; __u64 addr2; struct { __u32 cmd_op; __u32 __pad1; }; };
         *   union { __u64 addr; __u64 splice_off_in; struct { __u32 level; __u32 optname; }; };
         *   __u32 len;
         *   union { __kernel_rwf_t rw_flags; __u32 poll32_events; __u32 timeout_flags;
         *           __u32 cancel_flags; __u32 msg_ring_flags; __u32 futex_flags; __u32 msg_flags; ... };
         *   __u64 user_data;
         *   union { __u16 buf_index; __u16 buf_group; } __attribute__((packed));
         *   __u16 personality;
         *   union { __s32 splice_fd_in; __u32 file_index; __u32 optlen; ... };
         *   union { struct { __u64 addr3; __u64 __pad2[1]; }; __u64 optval; __u8 cmd[0]; };
         * };
         * }
         */
        static final StructLayout LAYOUT = MemoryLayout.structLayout(
                JAVA_BYTE.withName("opcode"),
                JAVA_BYTE.withName("flags"),
                JAVA_SHORT.withName("ioprio"),
                JAVA_INT.withName("fd"),
                JAVA_LONG.withName("off"),
                JAVA_LONG.withName("addr"),
                JAVA_INT.withName("len"),
                JAVA_INT.withName("op_flags"),
                JAVA_LONG.withName("user_data"),
                JAVA_SHORT.withName("buf_index"),
                JAVA_SHORT.withName("personality"),
                JAVA_INT.withName("file_index"),
                JAVA_LONG.withName("addr3"),
                JAVA_LONG.withName("pad2"));

        static final long OPCODE = offset(LAYOUT, "opcode");
        static final long FLAGS = offset(LAYOUT, "flags");
        static final long IOPRIO = offset(LAYOUT, "ioprio");
        static final long FD = offset(LAYOUT, "fd");
        /** Also {@code addr2}, and {@code cmd_op} (low 32 bits) for URING_CMD. */
        static final long OFF = offset(LAYOUT, "off");
        /** Also {@code level} (low 32 bits) and {@code optname} (high 32 bits) for socket commands. */
        static final long ADDR = offset(LAYOUT, "addr");
        static final long LEVEL = ADDR;
        static final long OPTNAME = ADDR + 4;
        static final long LEN = offset(LAYOUT, "len");
        /** The per-opcode flags union: rw_flags, poll32_events, timeout_flags, futex_flags, ... */
        static final long OP_FLAGS = offset(LAYOUT, "op_flags");
        static final long USER_DATA = offset(LAYOUT, "user_data");
        static final long BUF_INDEX = offset(LAYOUT, "buf_index");
        static final long PERSONALITY = offset(LAYOUT, "personality");
        /** Also {@code splice_fd_in} and {@code optlen}. */
        static final long FILE_INDEX = offset(LAYOUT, "file_index");
        static final long OPTLEN = FILE_INDEX;
        /** Also {@code optval}, and the start of the 16 (or 80, with SQE128) command bytes. */
        static final long ADDR3 = offset(LAYOUT, "addr3");
        static final long CMD = ADDR3;
        static final long SIZE = LAYOUT.byteSize();
    }

    /** {@code struct io_uring_cqe}: one completion, 16 bytes (32 with CQE32). */
    static final class Cqe {
        static final StructLayout LAYOUT = MemoryLayout.structLayout(
                JAVA_LONG.withName("user_data"),
                JAVA_INT.withName("res"),
                JAVA_INT.withName("flags"));
        static final long USER_DATA = offset(LAYOUT, "user_data");
        static final long RES = offset(LAYOUT, "res");
        static final long FLAGS = offset(LAYOUT, "flags");
        static final long SIZE = LAYOUT.byteSize();
    }

    /** {@code struct io_sqring_offsets}: where the kernel put the SQ ring's fields, 40 bytes. */
    static final class SqRingOffsets {
        static final StructLayout LAYOUT = MemoryLayout.structLayout(
                JAVA_INT.withName("head"),
                JAVA_INT.withName("tail"),
                JAVA_INT.withName("ring_mask"),
                JAVA_INT.withName("ring_entries"),
                JAVA_INT.withName("flags"),
                JAVA_INT.withName("dropped"),
                JAVA_INT.withName("array"),
                JAVA_INT.withName("resv1"),
                JAVA_LONG.withName("user_addr"));
        static final long HEAD = offset(LAYOUT, "head");
        static final long TAIL = offset(LAYOUT, "tail");
        static final long RING_MASK = offset(LAYOUT, "ring_mask");
        static final long RING_ENTRIES = offset(LAYOUT, "ring_entries");
        static final long FLAGS = offset(LAYOUT, "flags");
        static final long DROPPED = offset(LAYOUT, "dropped");
        static final long ARRAY = offset(LAYOUT, "array");
        /** With NO_MMAP: where the application put the SQ and CQ rings. */
        static final long USER_ADDR = offset(LAYOUT, "user_addr");
    }

    /** {@code struct io_cqring_offsets}: where the kernel put the CQ ring's fields, 40 bytes. */
    static final class CqRingOffsets {
        static final StructLayout LAYOUT = MemoryLayout.structLayout(
                JAVA_INT.withName("head"),
                JAVA_INT.withName("tail"),
                JAVA_INT.withName("ring_mask"),
                JAVA_INT.withName("ring_entries"),
                JAVA_INT.withName("overflow"),
                JAVA_INT.withName("cqes"),
                JAVA_INT.withName("flags"),
                JAVA_INT.withName("resv1"),
                JAVA_LONG.withName("user_addr"));
        static final long HEAD = offset(LAYOUT, "head");
        static final long TAIL = offset(LAYOUT, "tail");
        static final long RING_MASK = offset(LAYOUT, "ring_mask");
        static final long RING_ENTRIES = offset(LAYOUT, "ring_entries");
        static final long OVERFLOW = offset(LAYOUT, "overflow");
        static final long CQES = offset(LAYOUT, "cqes");
        static final long FLAGS = offset(LAYOUT, "flags");
        /** With NO_MMAP: where the application put the SQE array. */
        static final long USER_ADDR = offset(LAYOUT, "user_addr");
    }

    /** {@code struct io_uring_params}: io_uring_setup's argument and answer, 120 bytes. */
    static final class Params {
        static final StructLayout LAYOUT = MemoryLayout.structLayout(
                JAVA_INT.withName("sq_entries"),
                JAVA_INT.withName("cq_entries"),
                JAVA_INT.withName("flags"),
                JAVA_INT.withName("sq_thread_cpu"),
                JAVA_INT.withName("sq_thread_idle"),
                JAVA_INT.withName("features"),
                JAVA_INT.withName("wq_fd"),
                MemoryLayout.sequenceLayout(3, JAVA_INT).withName("resv"),
                SqRingOffsets.LAYOUT.withName("sq_off"),
                CqRingOffsets.LAYOUT.withName("cq_off"));
        static final long SQ_ENTRIES = offset(LAYOUT, "sq_entries");
        static final long CQ_ENTRIES = offset(LAYOUT, "cq_entries");
        static final long FLAGS = offset(LAYOUT, "flags");
        static final long SQ_THREAD_CPU = offset(LAYOUT, "sq_thread_cpu");
        static final long SQ_THREAD_IDLE = offset(LAYOUT, "sq_thread_idle");
        static final long FEATURES = offset(LAYOUT, "features");
        static final long WQ_FD = offset(LAYOUT, "wq_fd");
        static final long SQ_OFF = offset(LAYOUT, "sq_off");
        static final long CQ_OFF = offset(LAYOUT, "cq_off");
        static final long SIZE = LAYOUT.byteSize();
    }

    /** {@code struct __kernel_timespec}, 16 bytes. */
    static final class Timespec {
        static final StructLayout LAYOUT = MemoryLayout.structLayout(
                JAVA_LONG.withName("tv_sec"),
                JAVA_LONG.withName("tv_nsec"));
        static final long TV_SEC = offset(LAYOUT, "tv_sec");
        static final long TV_NSEC = offset(LAYOUT, "tv_nsec");
        static final long SIZE = LAYOUT.byteSize();
    }

    /** {@code struct io_uring_getevents_arg}: io_uring_enter's EXT_ARG, 24 bytes. */
    static final class GeteventsArg {
        static final StructLayout LAYOUT = MemoryLayout.structLayout(
                JAVA_LONG.withName("sigmask"),
                JAVA_INT.withName("sigmask_sz"),
                JAVA_INT.withName("min_wait_usec"),
                JAVA_LONG.withName("ts"));
        static final long SIGMASK = offset(LAYOUT, "sigmask");
        static final long SIGMASK_SZ = offset(LAYOUT, "sigmask_sz");
        static final long MIN_WAIT_USEC = offset(LAYOUT, "min_wait_usec");
        static final long TS = offset(LAYOUT, "ts");
        static final long SIZE = LAYOUT.byteSize();
    }

    /** {@code struct io_uring_rsrc_update}: one registered ring fd, 16 bytes. */
    static final class RsrcUpdate {
        static final StructLayout LAYOUT = MemoryLayout.structLayout(
                JAVA_INT.withName("offset"),
                JAVA_INT.withName("resv"),
                JAVA_LONG.withName("data"));
        static final long OFFSET = offset(LAYOUT, "offset");
        static final long DATA = offset(LAYOUT, "data");
        static final long SIZE = LAYOUT.byteSize();
    }

    /** {@code struct io_uring_probe} (16-byte header) followed by {@code struct io_uring_probe_op[]}. */
    static final class Probe {
        static final StructLayout LAYOUT = MemoryLayout.structLayout(
                JAVA_BYTE.withName("last_op"),
                JAVA_BYTE.withName("ops_len"),
                JAVA_SHORT.withName("resv"),
                MemoryLayout.sequenceLayout(3, JAVA_INT).withName("resv2"));
        static final StructLayout OP_LAYOUT = MemoryLayout.structLayout(
                JAVA_BYTE.withName("op"),
                JAVA_BYTE.withName("resv"),
                JAVA_SHORT.withName("flags"),
                JAVA_INT.withName("resv2"));
        static final long LAST_OP = offset(LAYOUT, "last_op");
        static final long OPS_LEN = offset(LAYOUT, "ops_len");
        static final long OPS = LAYOUT.byteSize();
        static final long OP_SIZE = OP_LAYOUT.byteSize();
        static final long OP_FLAGS = OP_LAYOUT.byteOffset(groupElement("flags"));
        static final int IO_URING_OP_SUPPORTED = 1;
    }

    /** {@code struct io_uring_reg_wait}: one registered wait argument, 64 bytes (6.13). */
    static final class RegWait {
        static final StructLayout LAYOUT = MemoryLayout.structLayout(
                Timespec.LAYOUT.withName("ts"),
                JAVA_INT.withName("min_wait_usec"),
                JAVA_INT.withName("flags"),
                JAVA_LONG.withName("sigmask"),
                JAVA_INT.withName("sigmask_sz"),
                MemoryLayout.sequenceLayout(3, JAVA_INT).withName("pad"),
                MemoryLayout.sequenceLayout(2, JAVA_LONG).withName("pad2"));
        static final long TS = offset(LAYOUT, "ts");
        static final long FLAGS = offset(LAYOUT, "flags");
        static final long SIZE = LAYOUT.byteSize();
        static final int IORING_REG_WAIT_TS = 1;
    }

    /** {@code struct io_uring_region_desc}, 64 bytes. */
    static final class RegionDesc {
        static final StructLayout LAYOUT = MemoryLayout.structLayout(
                JAVA_LONG.withName("user_addr"),
                JAVA_LONG.withName("size"),
                JAVA_INT.withName("flags"),
                JAVA_INT.withName("id"),
                JAVA_LONG.withName("mmap_offset"),
                MemoryLayout.sequenceLayout(4, JAVA_LONG).withName("resv"));
        static final long USER_ADDR = offset(LAYOUT, "user_addr");
        static final long SIZE_FIELD = offset(LAYOUT, "size");
        static final long FLAGS = offset(LAYOUT, "flags");
        static final long SIZE = LAYOUT.byteSize();
        static final int IORING_MEM_REGION_TYPE_USER = 1;
    }

    /** {@code struct io_uring_mem_region_reg}, 32 bytes. */
    static final class MemRegionReg {
        static final StructLayout LAYOUT = MemoryLayout.structLayout(
                JAVA_LONG.withName("region_uptr"),
                JAVA_LONG.withName("flags"),
                MemoryLayout.sequenceLayout(2, JAVA_LONG).withName("resv"));
        static final long REGION_UPTR = offset(LAYOUT, "region_uptr");
        static final long FLAGS = offset(LAYOUT, "flags");
        static final long SIZE = LAYOUT.byteSize();
        static final int IORING_MEM_REGION_REG_WAIT_ARG = 1;
    }

    /** {@code struct io_uring_sync_cancel_reg}: IORING_REGISTER_SYNC_CANCEL's argument, 64 bytes. */
    static final class SyncCancelReg {
        static final StructLayout LAYOUT = MemoryLayout.structLayout(
                JAVA_LONG.withName("addr"),
                JAVA_INT.withName("fd"),
                JAVA_INT.withName("flags"),
                Timespec.LAYOUT.withName("timeout"),
                JAVA_BYTE.withName("opcode"),
                MemoryLayout.sequenceLayout(7, JAVA_BYTE).withName("pad"),
                MemoryLayout.sequenceLayout(3, JAVA_LONG).withName("pad2"));
        static final long ADDR = offset(LAYOUT, "addr");
        static final long FD = offset(LAYOUT, "fd");
        static final long FLAGS = offset(LAYOUT, "flags");
        static final long TIMEOUT = offset(LAYOUT, "timeout");
        static final long OPCODE = offset(LAYOUT, "opcode");
        static final long SIZE = LAYOUT.byteSize();
    }

    /** {@code struct futex_waitv} ({@code linux/futex.h}), 24 bytes. */
    static final class FutexWaitv {
        static final StructLayout LAYOUT = MemoryLayout.structLayout(
                JAVA_LONG.withName("val"),
                JAVA_LONG.withName("uaddr"),
                JAVA_INT.withName("flags"),
                JAVA_INT.withName("__reserved"));
        static final long VAL = offset(LAYOUT, "val");
        static final long UADDR = offset(LAYOUT, "uaddr");
        static final long FLAGS = offset(LAYOUT, "flags");
        static final long SIZE = LAYOUT.byteSize();
    }

    /**
     * {@code struct utsname}: six NUL-terminated strings of 65 bytes (sysname, nodename,
     * release, version, machine, domainname), of which uipc reads two.
     */
    static final class Utsname {
        private static final int FIELD_LENGTH = 65;
        static final long RELEASE = 2L * FIELD_LENGTH;
        static final long MACHINE = 4L * FIELD_LENGTH;
        static final long SIZE = 6L * FIELD_LENGTH;
    }

    // --- constants used only inside this module; DO NOT CHANGE: the kernel defines them ----------

    /** {@code enum io_uring_register_op}. */
    static final int IORING_REGISTER_PROBE = 8;
    static final int IORING_REGISTER_ENABLE_RINGS = 12;
    static final int IORING_REGISTER_RING_FDS = 20;
    static final int IORING_UNREGISTER_RING_FDS = 21;
    static final int IORING_REGISTER_SYNC_CANCEL = 24;
    static final int IORING_REGISTER_SEND_MSG_RING = 31;
    static final int IORING_REGISTER_MEM_REGION = 34;

    /** {@code io_uring_enter} flags. */
    static final int IORING_ENTER_GETEVENTS = 1;
    static final int IORING_ENTER_SQ_WAKEUP = 2;
    static final int IORING_ENTER_EXT_ARG = 8;
    static final int IORING_ENTER_REGISTERED_RING = 16;
    static final int IORING_ENTER_EXT_ARG_REG = 64;

    /** {@code *sq.kflags}. */
    static final int IORING_SQ_NEED_WAKEUP = 1;
    static final int IORING_SQ_CQ_OVERFLOW = 2;
    static final int IORING_SQ_TASKRUN = 4;

    /** mmap offsets of the rings. */
    static final long IORING_OFF_SQ_RING = 0L;
    static final long IORING_OFF_CQ_RING = 0x8000000L;
    static final long IORING_OFF_SQES = 0x10000000L;

    /** {@code _NSIG / 8}: the signal-mask size io_uring_enter expects with EXT_ARG. */
    static final int SIGSET_SIZE = 8;
}
