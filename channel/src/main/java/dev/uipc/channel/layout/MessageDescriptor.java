package dev.uipc.channel.layout;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

import static dev.uipc.channel.layout.Layouts.bytes;
import static dev.uipc.channel.layout.Layouts.offset;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * One message's descriptor in the ring file: 64 bytes, one cache line, so that producers
 * writing neighbouring slots do not share a line. {@code docs/LAYOUT.md} section 2.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |   sequence (8): position+1 committed, -(position+1) claimed   |  0
 *  +-------------------------------+-------------------------------+
 *  |             length            |             flags             |  8
 *  |                             tag (8)                           | 16
 *  |            senderId           |             target            | 24
 *  |           senderPid           |           senderUid           | 32
 *  |                          reserved (24)                        | 40
 *  +---------------------------------------------------------------+
 * </pre>
 */
public final class MessageDescriptor {
    private MessageDescriptor() {
    }

    /** flags: only {@code target} may receive the message. */
    public static final int TARGETED = 1;
    /** flags: multicast chose {@code target} round-robin; any receiver may take it if that one leaves. */
    public static final int ASSIGNED = 1 << 1;

    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            JAVA_LONG.withName("sequence"),
            JAVA_INT.withName("length"),
            JAVA_INT.withName("flags"),
            JAVA_LONG.withName("tag"),
            JAVA_INT.withName("senderId"),
            JAVA_INT.withName("target"),
            JAVA_INT.withName("senderPid"),
            JAVA_INT.withName("senderUid"),
            bytes(24, "reserved"));

    public static final long LENGTH = LAYOUT.byteSize();

    public static final long SEQUENCE = offset(LAYOUT, "sequence");
    public static final long MESSAGE_LENGTH = offset(LAYOUT, "length");
    public static final long FLAGS = offset(LAYOUT, "flags");
    public static final long TAG = offset(LAYOUT, "tag");
    public static final long SENDER_ID = offset(LAYOUT, "senderId");
    public static final long TARGET = offset(LAYOUT, "target");
    public static final long SENDER_PID = offset(LAYOUT, "senderPid");
    public static final long SENDER_UID = offset(LAYOUT, "senderUid");

    /** The sequence value that says position {@code p} is committed. */
    public static long committed(long position) {
        return position + 1;
    }

    /** The sequence value that says position {@code p} is claimed and being written. */
    public static long claimed(long position) {
        return -(position + 1);
    }
}
