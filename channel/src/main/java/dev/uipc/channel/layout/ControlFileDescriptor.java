package dev.uipc.channel.layout;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

import static dev.uipc.channel.layout.Layouts.bytes;
import static dev.uipc.channel.layout.Layouts.offset;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The header of a channel's control memory (the other piece the broker holds for it),
 * {@code docs/LAYOUT.md} section 3.
 * Every word that several processes write often has 128 bytes to itself (two cache lines,
 * which also defeats the adjacent-line prefetcher).
 *
 * <pre>
 *     0 magic "UIPCCTRL" | 8 version (written last) | 12 headerLength | 16 incarnation
 *    24 channelId | 28 entries | 32 maxSubscribers | 36 reserved1
 *    40 subscribersOffset | 48 deliveryOffset | 56 fileLength | 64 reserved2
 *   128 state                         (alone in 128..255)
 *   256 consumerHead                  (alone in 256..383)
 *   384 receiversWaiting              (alone in 384..511)
 *   512 sendersWaiting                (alone in 512..639)
 *   640 membershipEpoch, 644 redeliveryEpoch
 *   768 fullCount, wakeCount, redeliveredCount, droppedCount, skippedCount, reapedCount, lappedCount
 *   824 reserved3, to 4096
 * </pre>
 */
public final class ControlFileDescriptor {
    private ControlFileDescriptor() {
    }

    /** The ASCII bytes {@code UIPCCTRL}, read as a little-endian u64. */
    public static final long MAGIC = 0x4C52544343504955L;
    /** The layout version this code reads and writes. */
    public static final int VERSION = 1;
    /** The size of the control header: one page. */
    public static final int HEADER_LENGTH = 4096;

    /** state: attachable. */
    public static final int OPEN = 0;
    /** state: destroyed; no new attach, no new message. */
    public static final int DESTROYED = 1;

    /**
     * The control header, field by field, as {@code docs/LAYOUT.md} specifies it (a test compares
     * the two).
     */
    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            JAVA_LONG.withName("magic"),
            JAVA_INT.withName("version"),
            JAVA_INT.withName("headerLength"),
            JAVA_LONG.withName("incarnation"),
            JAVA_INT.withName("channelId"),
            JAVA_INT.withName("entries"),
            JAVA_INT.withName("maxSubscribers"),
            JAVA_INT.withName("reserved1"),
            JAVA_LONG.withName("subscribersOffset"),
            JAVA_LONG.withName("deliveryOffset"),
            JAVA_LONG.withName("fileLength"),
            bytes(64, "reserved2"),
            JAVA_INT.withName("state"),
            bytes(124, "statePadding"),
            JAVA_LONG.withName("consumerHead"),
            bytes(120, "headPadding"),
            JAVA_INT.withName("receiversWaiting"),
            bytes(124, "receiversWaitingPadding"),
            JAVA_INT.withName("sendersWaiting"),
            bytes(124, "sendersWaitingPadding"),
            JAVA_INT.withName("membershipEpoch"),
            JAVA_INT.withName("redeliveryEpoch"),
            bytes(120, "epochPadding"),
            JAVA_LONG.withName("fullCount"),
            JAVA_LONG.withName("wakeCount"),
            JAVA_LONG.withName("redeliveredCount"),
            JAVA_LONG.withName("droppedCount"),
            JAVA_LONG.withName("skippedCount"),
            JAVA_LONG.withName("reapedCount"),
            JAVA_LONG.withName("lappedCount"),
            bytes(3272, "reserved3"));

    /** {@code magic}, u64 at offset 0: {@code 0x4C52544343504955}, the ASCII bytes {@code UIPCCTRL}. */
    public static final long MAGIC_OFFSET = offset(LAYOUT, "magic");
    /** {@code version}, u32 at offset 8: 1; written last, with release ordering. */
    public static final long VERSION_OFFSET = offset(LAYOUT, "version");
    /** {@code headerLength}, u32 at offset 12: 4096. */
    public static final long HEADER_LENGTH_OFFSET = offset(LAYOUT, "headerLength");
    /** {@code incarnation}, u64 at offset 16: equal to the ring's. */
    public static final long INCARNATION_OFFSET = offset(LAYOUT, "incarnation");
    /** {@code channelId}, u32 at offset 24: the channel's id. */
    public static final long CHANNEL_ID_OFFSET = offset(LAYOUT, "channelId");
    /** {@code entries}, u32 at offset 28: equal to the ring's. */
    public static final long ENTRIES_OFFSET = offset(LAYOUT, "entries");
    /** {@code maxSubscribers}, u32 at offset 32: equal to the ring's. */
    public static final long MAX_SUBSCRIBERS_OFFSET = offset(LAYOUT, "maxSubscribers");
    /** {@code subscribersOffset}, u64 at offset 40: 4096. */
    public static final long SUBSCRIBERS_OFFSET_OFFSET = offset(LAYOUT, "subscribersOffset");
    /** {@code deliveryOffset}, u64 at offset 48: 4096 + maxSubscribers x 128. */
    public static final long DELIVERY_OFFSET_OFFSET = offset(LAYOUT, "deliveryOffset");
    /**
     * {@code fileLength}, u64 at offset 56: deliveryOffset + entries x 8, rounded up to a
     * multiple of 4096.
     */
    public static final long FILE_LENGTH_OFFSET = offset(LAYOUT, "fileLength");
    /** {@code state}, u32 at offset 128: 0 OPEN, 1 DESTROYED. */
    public static final long STATE_OFFSET = offset(LAYOUT, "state");
    /**
     * {@code consumerHead}, s64 at offset 256: unicast and multicast: every position below it is
     * finished (section 4); advanced by producers.
     */
    public static final long CONSUMER_HEAD_OFFSET = offset(LAYOUT, "consumerHead");
    /** {@code receiversWaiting}, u32 at offset 384: receivers parked on their doorbell now. */
    public static final long RECEIVERS_WAITING_OFFSET = offset(LAYOUT, "receiversWaiting");
    /** {@code sendersWaiting}, u32 at offset 512: senders parked, waiting for room. */
    public static final long SENDERS_WAITING_OFFSET = offset(LAYOUT, "sendersWaiting");
    /** {@code membershipEpoch}, u32 at offset 640: incremented whenever a subscriber joins or leaves. */
    public static final long MEMBERSHIP_EPOCH_OFFSET = offset(LAYOUT, "membershipEpoch");
    /**
     * {@code redeliveryEpoch}, u32 at offset 644: incremented whenever a message is offered again
     * (its taker died).
     */
    public static final long REDELIVERY_EPOCH_OFFSET = offset(LAYOUT, "redeliveryEpoch");
    /**
     * {@code fullCount}, u64 at offset 768: times a producer found the ring full (every look, so
     * a waiting sender adds many).
     */
    public static final long FULL_COUNT_OFFSET = offset(LAYOUT, "fullCount");
    /** {@code wakeCount}, u64 at offset 776: futex wakes issued. */
    public static final long WAKE_COUNT_OFFSET = offset(LAYOUT, "wakeCount");
    /** {@code redeliveredCount}, u64 at offset 784: messages offered again after their taker died. */
    public static final long REDELIVERED_COUNT_OFFSET = offset(LAYOUT, "redeliveredCount");
    /** {@code droppedCount}, u64 at offset 792: targeted messages whose target left before taking them. */
    public static final long DROPPED_COUNT_OFFSET = offset(LAYOUT, "droppedCount");
    /**
     * {@code skippedCount}, u64 at offset 800: slots skipped because their producer died before
     * committing.
     */
    public static final long SKIPPED_COUNT_OFFSET = offset(LAYOUT, "skippedCount");
    /** {@code reapedCount}, u64 at offset 808: subscribers removed because their process died. */
    public static final long REAPED_COUNT_OFFSET = offset(LAYOUT, "reapedCount");
    /**
     * {@code lappedCount}, u64 at offset 816: broadcast messages a receiver found overwritten
     * (never, unless the memory is tampered with).
     */
    public static final long LAPPED_COUNT_OFFSET = offset(LAYOUT, "lappedCount");

    /** Where the subscriber table starts. */
    public static final long SUBSCRIBERS_OFFSET = HEADER_LENGTH;

    /**
     * Where subscriber row {@code index} starts.
     *
     * @param index the row, 0 to maxSubscribers - 1
     * @return the row's offset in the control memory
     */
    public static long subscriberOffset(int index) {
        return SUBSCRIBERS_OFFSET + (long) index * SubscriberDescriptor.LENGTH;
    }
}
