package dev.uipc.channel.layout;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

import static dev.uipc.channel.layout.Layouts.bytes;
import static dev.uipc.channel.layout.Layouts.offset;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The header of a channel's ring (the memory the broker holds for it), {@code docs/LAYOUT.md}
 * section 2.
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
    /** The layout version this code reads and writes. */
    public static final int VERSION = 1;
    /** The size of the ring header: one page. */
    public static final int HEADER_LENGTH = 4096;

    /** flags: every receiver gets every message. */
    public static final int BROADCAST = 1;
    /** flags: each message to one receiver, chosen round-robin. */
    public static final int MULTICAST = 1 << 1;
    /** flags: accepted, as in the RFC; reserved for stricter checks. */
    public static final int PRIVATE = 1 << 2;
    /** flags: the channel outlives its creator process, until destroyed. */
    public static final int PERSISTENT = 1 << 3;
    /** Every flag bit this version defines; a ring with another set is refused. */
    public static final int KNOWN_FLAGS = BROADCAST | MULTICAST | PRIVATE | PERSISTENT;

    /**
     * The ring header, field by field, as {@code docs/LAYOUT.md} specifies it (a test compares the
     * two).
     */
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

    /** {@code magic}, u64 at offset 0: {@code 0x474E495243504955}, the ASCII bytes {@code UIPCRING}. */
    public static final long MAGIC_OFFSET = offset(LAYOUT, "magic");
    /** {@code version}, u32 at offset 8: layout version, 1; written last, with release ordering. */
    public static final long VERSION_OFFSET = offset(LAYOUT, "version");
    /** {@code headerLength}, u32 at offset 12: 4096. */
    public static final long HEADER_LENGTH_OFFSET = offset(LAYOUT, "headerLength");
    /**
     * {@code incarnation}, u64 at offset 16: random, identical in the control memory: ties the
     * two together.
     */
    public static final long INCARNATION_OFFSET = offset(LAYOUT, "incarnation");
    /** {@code channelId}, u32 at offset 24: the channel's id. */
    public static final long CHANNEL_ID_OFFSET = offset(LAYOUT, "channelId");
    /**
     * {@code flags}, u32 at offset 28: bit 0 BROADCAST, bit 1 MULTICAST (exclusive with
     * BROADCAST; neither is unicast), bit 2 PRIVATE, bit 3 PERSISTENT.
     */
    public static final long FLAGS_OFFSET = offset(LAYOUT, "flags");
    /** {@code key}, u64 at offset 32: the channel's key, 0 for none. */
    public static final long KEY_OFFSET = offset(LAYOUT, "key");
    /** {@code entries}, u32 at offset 40: slots in the ring: a power of two, 1 to 65536. */
    public static final long ENTRIES_OFFSET = offset(LAYOUT, "entries");
    /** {@code maxMessageSize}, u32 at offset 44: largest payload, 1 to 1048576 bytes. */
    public static final long MAX_MESSAGE_SIZE_OFFSET = offset(LAYOUT, "maxMessageSize");
    /**
     * {@code slotStride}, u32 at offset 48: bytes per payload slot: maxMessageSize rounded up to
     * a multiple of 64.
     */
    public static final long SLOT_STRIDE_OFFSET = offset(LAYOUT, "slotStride");
    /**
     * {@code permissions}, u32 at offset 52: receive (read) and send (write) bits per class,
     * masked with 0666.
     */
    public static final long PERMISSIONS_OFFSET = offset(LAYOUT, "permissions");
    /**
     * {@code ownerUid}, u32 at offset 56: effective uid of the creator, as the kernel reported it
     * to the broker.
     */
    public static final long OWNER_UID_OFFSET = offset(LAYOUT, "ownerUid");
    /** {@code ownerGid}, u32 at offset 60: effective gid of the creator. */
    public static final long OWNER_GID_OFFSET = offset(LAYOUT, "ownerGid");
    /** {@code creatorPid}, u32 at offset 64: pid of the creator, in the broker's pid namespace. */
    public static final long CREATOR_PID_OFFSET = offset(LAYOUT, "creatorPid");
    /** {@code maxSubscribers}, u32 at offset 68: rows in the subscriber table, 1 to 4096. */
    public static final long MAX_SUBSCRIBERS_OFFSET = offset(LAYOUT, "maxSubscribers");
    /**
     * {@code creatorStartTime}, u64 at offset 72: 0: the broker knows a creator by its
     * connection, not by its start time.
     */
    public static final long CREATOR_START_TIME_OFFSET = offset(LAYOUT, "creatorStartTime");
    /** {@code descriptorsOffset}, u64 at offset 80: 4096. */
    public static final long DESCRIPTORS_OFFSET_OFFSET = offset(LAYOUT, "descriptorsOffset");
    /** {@code dataOffset}, u64 at offset 88: 4096 + entries x 64, rounded up to a multiple of 4096. */
    public static final long DATA_OFFSET_OFFSET = offset(LAYOUT, "dataOffset");
    /**
     * {@code fileLength}, u64 at offset 96: dataOffset + entries x slotStride, rounded up to a
     * multiple of 4096.
     */
    public static final long FILE_LENGTH_OFFSET = offset(LAYOUT, "fileLength");
    /** {@code createdMillis}, u64 at offset 104: creation time, milliseconds since the Unix epoch. */
    public static final long CREATED_MILLIS_OFFSET = offset(LAYOUT, "createdMillis");
    /** The producers' claim counter: the next position to claim. */
    public static final long TAIL_OFFSET = offset(LAYOUT, "tail");

    /** Where the message descriptors start. */
    public static final long DESCRIPTORS_OFFSET = HEADER_LENGTH;

    /**
     * Where the message descriptor of {@code slot} starts.
     *
     * @param slot the slot, 0 to entries - 1
     * @return the descriptor's offset in the ring
     */
    public static long descriptorOffset(int slot) {
        return DESCRIPTORS_OFFSET + (long) slot * MessageDescriptor.LENGTH;
    }
}
