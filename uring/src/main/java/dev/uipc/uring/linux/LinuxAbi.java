package dev.uipc.uring.linux;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The structures of the Linux system calls in this package, one nested descriptor per C
 * struct, as {@code KernelAbi} does for io_uring's: the {@link StructLayout} written field by
 * field from glibc's headers for x86-64 and aarch64 (which agree on every struct here), and
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
}
