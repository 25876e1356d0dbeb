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

    /**
     * One descriptor, field by field, as {@code docs/LAYOUT.md} specifies it (a test compares the
     * two).
     */
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

    /** The size of a descriptor: 64 bytes, one cache line. */
    public static final long LENGTH = LAYOUT.byteSize();

    /**
     * {@code sequence}, s64 at offset 0: {@code position + 1} once the message is committed
     * (release store, written last); {@code -(position + 1)} while its producer writes it; any
     * other value: the slot does not yet hold {@code position}.
     */
    public static final long SEQUENCE = offset(LAYOUT, "sequence");
    /** {@code length}, u32 at offset 8: payload bytes, at most maxMessageSize. */
    public static final long MESSAGE_LENGTH = offset(LAYOUT, "length");
    /**
     * {@code flags}, u32 at offset 12: bit 0 TARGETED: only {@code target} may receive it; bit 1
     * ASSIGNED: multicast's round-robin choice of {@code target}, offered to any receiver if that
     * one leaves.
     */
    public static final long FLAGS = offset(LAYOUT, "flags");
    /** {@code tag}, u64 at offset 16: the sender's 64-bit tag. */
    public static final long TAG = offset(LAYOUT, "tag");
    /**
     * {@code senderId}, u32 at offset 24: the sender's subscriber id; written before the claimed
     * marker, so it names the producer of an uncommitted slot.
     */
    public static final long SENDER_ID = offset(LAYOUT, "senderId");
    /** {@code target}, u32 at offset 28: subscriber id of the receiver it is for, 0 for any. */
    public static final long TARGET = offset(LAYOUT, "target");
    /** {@code senderPid}, u32 at offset 32: the sender's pid. */
    public static final long SENDER_PID = offset(LAYOUT, "senderPid");
    /** {@code senderUid}, u32 at offset 36: the sender's effective uid. */
    public static final long SENDER_UID = offset(LAYOUT, "senderUid");

    /**
     * The {@code sequence} value that says {@code position} is committed.
     *
     * @param position the message's position
     * @return {@code position + 1}
     */
    public static long committed(long position) {
        return position + 1;
    }

    /**
     * The {@code sequence} value that says {@code position} is claimed and being written.
     *
     * @param position the message's position
     * @return {@code -(position + 1)}
     */
    public static long claimed(long position) {
        return -(position + 1);
    }
}
