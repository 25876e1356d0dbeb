package dev.uipc.channel.layout;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

import static dev.uipc.channel.layout.Layouts.bytes;
import static dev.uipc.channel.layout.Layouts.offset;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The header of a channel's ring file ({@code <id>.ring}), {@code docs/LAYOUT.md} section 2.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                     magic "UIPCRING" (8)                      |  0
 *  +---------------------------------------------------------------+
 *  |       version (written last)      |       headerLength        |  8
 *  |                         incarnation (8)                       | 16
 *  |             channelId             |           flags           | 24
 *  |                             key (8)                           | 32
 *  |              entries              |       maxMessageSize      | 40
 *  |             slotStride            |        permissions        | 48
 *  |              ownerUid             |          ownerGid         | 56
 *  |             creatorPid            |       maxSubscribers      | 64
 *  |                      creatorStartTime (8)                     | 72
 *  |                     descriptorsOffset (8)                     | 80
 *  |                         dataOffset (8)                        | 88
 *  |                         fileLength (8)                        | 96
 *  |                       createdMillis (8)                       | 104
 *  |                         reserved1 (16)                        | 112
 *  +---------------------------------------------------------------+
 *  |                    tail (8), alone in 128..255                | 128
 *  +---------------------------------------------------------------+
 *  |                     reserved2, to 4096                        | 256
 * </pre>
 */
public final class RingFileDescriptor {
    private RingFileDescriptor() {
    }

    /** The ASCII bytes {@code UIPCRING}, read as a little-endian u64. */
    public static final long MAGIC = 0x474E495243504955L;
    public static final int VERSION = 1;
    public static final int HEADER_LENGTH = 4096;

    /** flags: every receiver gets every message. */
    public static final int BROADCAST = 1;
    /** flags: each message to one receiver, chosen round-robin. */
    public static final int MULTICAST = 1 << 1;
    /** flags: accepted, as in the RFC; reserved for stricter checks. */
    public static final int PRIVATE = 1 << 2;
    /** flags: the channel outlives its creator process, until destroyed. */
    public static final int PERSISTENT = 1 << 3;
    public static final int KNOWN_FLAGS = BROADCAST | MULTICAST | PRIVATE | PERSISTENT;

    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            JAVA_LONG.withName("magic"),
            JAVA_INT.withName("version"),
            JAVA_INT.withName("headerLength"),
            JAVA_LONG.withName("incarnation"),
            JAVA_INT.withName("channelId"),
            JAVA_INT.withName("flags"),
            JAVA_LONG.withName("key"),
            JAVA_INT.withName("entries"),
            JAVA_INT.withName("maxMessageSize"),
            JAVA_INT.withName("slotStride"),
            JAVA_INT.withName("permissions"),
            JAVA_INT.withName("ownerUid"),
            JAVA_INT.withName("ownerGid"),
            JAVA_INT.withName("creatorPid"),
            JAVA_INT.withName("maxSubscribers"),
            JAVA_LONG.withName("creatorStartTime"),
            JAVA_LONG.withName("descriptorsOffset"),
            JAVA_LONG.withName("dataOffset"),
            JAVA_LONG.withName("fileLength"),
            JAVA_LONG.withName("createdMillis"),
            bytes(16, "reserved1"),
            JAVA_LONG.withName("tail"),
            bytes(120, "tailPadding"),
            bytes(3840, "reserved2"));

    public static final long MAGIC_OFFSET = offset(LAYOUT, "magic");
    public static final long VERSION_OFFSET = offset(LAYOUT, "version");
    public static final long HEADER_LENGTH_OFFSET = offset(LAYOUT, "headerLength");
    public static final long INCARNATION_OFFSET = offset(LAYOUT, "incarnation");
    public static final long CHANNEL_ID_OFFSET = offset(LAYOUT, "channelId");
    public static final long FLAGS_OFFSET = offset(LAYOUT, "flags");
    public static final long KEY_OFFSET = offset(LAYOUT, "key");
    public static final long ENTRIES_OFFSET = offset(LAYOUT, "entries");
    public static final long MAX_MESSAGE_SIZE_OFFSET = offset(LAYOUT, "maxMessageSize");
    public static final long SLOT_STRIDE_OFFSET = offset(LAYOUT, "slotStride");
    public static final long PERMISSIONS_OFFSET = offset(LAYOUT, "permissions");
    public static final long OWNER_UID_OFFSET = offset(LAYOUT, "ownerUid");
    public static final long OWNER_GID_OFFSET = offset(LAYOUT, "ownerGid");
    public static final long CREATOR_PID_OFFSET = offset(LAYOUT, "creatorPid");
    public static final long MAX_SUBSCRIBERS_OFFSET = offset(LAYOUT, "maxSubscribers");
    public static final long CREATOR_START_TIME_OFFSET = offset(LAYOUT, "creatorStartTime");
    public static final long DESCRIPTORS_OFFSET_OFFSET = offset(LAYOUT, "descriptorsOffset");
    public static final long DATA_OFFSET_OFFSET = offset(LAYOUT, "dataOffset");
    public static final long FILE_LENGTH_OFFSET = offset(LAYOUT, "fileLength");
    public static final long CREATED_MILLIS_OFFSET = offset(LAYOUT, "createdMillis");
    /** The producers' claim counter: the next position to claim. */
    public static final long TAIL_OFFSET = offset(LAYOUT, "tail");

    /** Where the message descriptors start. */
    public static final long DESCRIPTORS_OFFSET = HEADER_LENGTH;

    /** Offset of the descriptor of {@code slot}. */
    public static long descriptorOffset(int slot) {
        return DESCRIPTORS_OFFSET + (long) slot * MessageDescriptor.LENGTH;
    }
}
