package dev.uipc.uring.linux;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * The structures of the Linux system calls in this package, one nested descriptor per C
 * struct, as {@code KernelAbi} does for io_uring's: the {@link StructLayout} written field by
 * field from the uapi and glibc headers for x86-64 and aarch64 (which agree on every struct
 * here: that is why {@code statx} stands in for {@code fstat}, whose struct differs), and
 * the byte offsets the code uses, derived from it. {@code LinuxAbiTest} pins every offset to
 * the value {@code offsetof} prints for the C header.
 */
final class LinuxAbi {
    private LinuxAbi() {
    }

    private static long offset(StructLayout layout, String field) {
        return layout.byteOffset(groupElement(field));
    }

    /** {@code struct iovec}, 16 bytes on LP64. */
    static final class Iovec {
        static final StructLayout LAYOUT = MemoryLayout.structLayout(
                JAVA_LONG.withName("iov_base"),
                JAVA_LONG.withName("iov_len"));
        static final long BASE = offset(LAYOUT, "iov_base");
        static final long LEN = offset(LAYOUT, "iov_len");
        static final long SIZE = LAYOUT.byteSize();
    }

    /** {@code struct msghdr} (glibc, LP64), 56 bytes. */
    static final class Msghdr {
        static final StructLayout LAYOUT = MemoryLayout.structLayout(
                JAVA_LONG.withName("msg_name"),
                JAVA_INT.withName("msg_namelen"),
                MemoryLayout.paddingLayout(4),
                JAVA_LONG.withName("msg_iov"),
                JAVA_LONG.withName("msg_iovlen"),
                JAVA_LONG.withName("msg_control"),
                JAVA_LONG.withName("msg_controllen"),
                JAVA_INT.withName("msg_flags"),
                MemoryLayout.paddingLayout(4));
        static final long NAME = offset(LAYOUT, "msg_name");
        static final long NAMELEN = offset(LAYOUT, "msg_namelen");
        static final long IOV = offset(LAYOUT, "msg_iov");
        static final long IOVLEN = offset(LAYOUT, "msg_iovlen");
        static final long CONTROL = offset(LAYOUT, "msg_control");
        static final long CONTROLLEN = offset(LAYOUT, "msg_controllen");
        static final long FLAGS = offset(LAYOUT, "msg_flags");
        static final long SIZE = LAYOUT.byteSize();
    }

    /** {@code struct cmsghdr} (glibc, LP64) header, 16 bytes; data follows, 8-byte aligned. */
    static final class Cmsghdr {
        static final StructLayout LAYOUT = MemoryLayout.structLayout(
                JAVA_LONG.withName("cmsg_len"),
                JAVA_INT.withName("cmsg_level"),
                JAVA_INT.withName("cmsg_type"));
        static final long LEN = offset(LAYOUT, "cmsg_len");
        static final long LEVEL = offset(LAYOUT, "cmsg_level");
        static final long TYPE = offset(LAYOUT, "cmsg_type");
        static final long DATA = LAYOUT.byteSize();

        /** {@code CMSG_LEN(n)}. */
        static long len(long dataBytes) {
            return DATA + dataBytes;
        }

        /** {@code CMSG_SPACE(n)}: data padded to the 8-byte alignment of {@code size_t}. */
        static long space(long dataBytes) {
            return DATA + ((dataBytes + 7) & ~7L);
        }
    }

    /** {@code struct sockaddr_un}: a Unix socket's filesystem address, 110 bytes. */
    static final class SockaddrUn {
        static final StructLayout LAYOUT = MemoryLayout.structLayout(
                JAVA_SHORT.withName("sun_family"),
                MemoryLayout.sequenceLayout(108, JAVA_BYTE).withName("sun_path"));
        static final long FAMILY = offset(LAYOUT, "sun_family");
        static final long PATH = offset(LAYOUT, "sun_path");
        /** Room for the path, its terminating NUL included. */
        static final int PATH_CAPACITY = 108;
        static final long SIZE = LAYOUT.byteSize();
    }

    /** {@code struct sockaddr_in}: an IPv4 address and port, both in network byte order, 16 bytes. */
    static final class SockaddrIn {
        static final StructLayout LAYOUT = MemoryLayout.structLayout(
                JAVA_SHORT.withName("sin_family"),
                JAVA_SHORT.withName("sin_port"),
                MemoryLayout.sequenceLayout(4, JAVA_BYTE).withName("sin_addr"),
                MemoryLayout.sequenceLayout(8, JAVA_BYTE).withName("sin_zero"));
        static final long FAMILY = offset(LAYOUT, "sin_family");
        static final long PORT = offset(LAYOUT, "sin_port");
        static final long ADDR = offset(LAYOUT, "sin_addr");
        static final long SIZE = LAYOUT.byteSize();
    }

    /** {@code struct sockaddr_in6}: an IPv6 address, port and scope, 28 bytes. */
    static final class SockaddrIn6 {
        static final StructLayout LAYOUT = MemoryLayout.structLayout(
                JAVA_SHORT.withName("sin6_family"),
                JAVA_SHORT.withName("sin6_port"),
                JAVA_INT.withName("sin6_flowinfo"),
                MemoryLayout.sequenceLayout(16, JAVA_BYTE).withName("sin6_addr"),
                JAVA_INT.withName("sin6_scope_id"));
        static final long FAMILY = offset(LAYOUT, "sin6_family");
        static final long PORT = offset(LAYOUT, "sin6_port");
        static final long ADDR = offset(LAYOUT, "sin6_addr");
        static final long SCOPE_ID = offset(LAYOUT, "sin6_scope_id");
        static final long SIZE = LAYOUT.byteSize();
    }

    /** {@code struct ucred}: a peer's credentials (SO_PEERCRED), 12 bytes. */
    static final class Ucred {
        static final StructLayout LAYOUT = MemoryLayout.structLayout(
                JAVA_INT.withName("pid"),
                JAVA_INT.withName("uid"),
                JAVA_INT.withName("gid"));
        static final long PID = offset(LAYOUT, "pid");
        static final long UID = offset(LAYOUT, "uid");
        static final long GID = offset(LAYOUT, "gid");
        static final long SIZE = LAYOUT.byteSize();
    }

    /** {@code struct timeval} (64-bit {@code time_t}): SO_RCVTIMEO's argument, 16 bytes. */
    static final class Timeval {
        static final StructLayout LAYOUT = MemoryLayout.structLayout(
                JAVA_LONG.withName("tv_sec"),
                JAVA_LONG.withName("tv_usec"));
        static final long SEC = offset(LAYOUT, "tv_sec");
        static final long USEC = offset(LAYOUT, "tv_usec");
        static final long SIZE = LAYOUT.byteSize();
    }

    /**
     * {@code struct statx} ({@code linux/stat.h}), 256 bytes; the timestamps and the fields
     * after them are kept as padding, unread.
     */
    static final class Statx {
        static final StructLayout LAYOUT = MemoryLayout.structLayout(
                JAVA_INT.withName("stx_mask"),
                JAVA_INT.withName("stx_blksize"),
                JAVA_LONG.withName("stx_attributes"),
                JAVA_INT.withName("stx_nlink"),
                JAVA_INT.withName("stx_uid"),
                JAVA_INT.withName("stx_gid"),
                JAVA_SHORT.withName("stx_mode"),
                JAVA_SHORT.withName("spare0"),
                JAVA_LONG.withName("stx_ino"),
                JAVA_LONG.withName("stx_size"),
                JAVA_LONG.withName("stx_blocks"),
                JAVA_LONG.withName("stx_attributes_mask"),
                MemoryLayout.sequenceLayout(192, JAVA_BYTE).withName("rest"));
        static final long MASK = offset(LAYOUT, "stx_mask");
        static final long UID = offset(LAYOUT, "stx_uid");
        static final long GID = offset(LAYOUT, "stx_gid");
        static final long MODE = offset(LAYOUT, "stx_mode");
        static final long SIZE_FIELD = offset(LAYOUT, "stx_size");
        static final long BLOCKS = offset(LAYOUT, "stx_blocks");
        static final long SIZE = LAYOUT.byteSize();

        /** {@code STATX_MODE | STATX_UID | STATX_GID | STATX_SIZE | STATX_BLOCKS}. */
        static final int WANTED = 0x2 | 0x8 | 0x10 | 0x200 | 0x400;
        /** {@code AT_EMPTY_PATH}: with an empty path, statx describes the descriptor itself. */
        static final int AT_EMPTY_PATH = 0x1000;
    }
}
