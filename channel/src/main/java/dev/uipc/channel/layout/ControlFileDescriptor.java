package dev.uipc.channel.layout;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

import static dev.uipc.channel.layout.Layouts.bytes;
import static dev.uipc.channel.layout.Layouts.offset;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The header of a channel's control file ({@code <id>.ctl}), {@code docs/LAYOUT.md} section 3.
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
    public static final int VERSION = 1;
    public static final int HEADER_LENGTH = 4096;

    /** state: attachable. */
    public static final int OPEN = 0;
    /** state: destroyed; no new attach, no new message. */
    public static final int DESTROYED = 1;

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

    public static final long MAGIC_OFFSET = offset(LAYOUT, "magic");
    public static final long VERSION_OFFSET = offset(LAYOUT, "version");
    public static final long HEADER_LENGTH_OFFSET = offset(LAYOUT, "headerLength");
    public static final long INCARNATION_OFFSET = offset(LAYOUT, "incarnation");
    public static final long CHANNEL_ID_OFFSET = offset(LAYOUT, "channelId");
    public static final long ENTRIES_OFFSET = offset(LAYOUT, "entries");
    public static final long MAX_SUBSCRIBERS_OFFSET = offset(LAYOUT, "maxSubscribers");
    public static final long SUBSCRIBERS_OFFSET_OFFSET = offset(LAYOUT, "subscribersOffset");
    public static final long DELIVERY_OFFSET_OFFSET = offset(LAYOUT, "deliveryOffset");
    public static final long FILE_LENGTH_OFFSET = offset(LAYOUT, "fileLength");
    public static final long STATE_OFFSET = offset(LAYOUT, "state");
    public static final long CONSUMER_HEAD_OFFSET = offset(LAYOUT, "consumerHead");
    public static final long RECEIVERS_WAITING_OFFSET = offset(LAYOUT, "receiversWaiting");
    public static final long SENDERS_WAITING_OFFSET = offset(LAYOUT, "sendersWaiting");
    public static final long MEMBERSHIP_EPOCH_OFFSET = offset(LAYOUT, "membershipEpoch");
    public static final long REDELIVERY_EPOCH_OFFSET = offset(LAYOUT, "redeliveryEpoch");
    public static final long FULL_COUNT_OFFSET = offset(LAYOUT, "fullCount");
    public static final long WAKE_COUNT_OFFSET = offset(LAYOUT, "wakeCount");
    public static final long REDELIVERED_COUNT_OFFSET = offset(LAYOUT, "redeliveredCount");
    public static final long DROPPED_COUNT_OFFSET = offset(LAYOUT, "droppedCount");
    public static final long SKIPPED_COUNT_OFFSET = offset(LAYOUT, "skippedCount");
    public static final long REAPED_COUNT_OFFSET = offset(LAYOUT, "reapedCount");
    public static final long LAPPED_COUNT_OFFSET = offset(LAYOUT, "lappedCount");

    /** Where the subscriber table starts. */
    public static final long SUBSCRIBERS_OFFSET = HEADER_LENGTH;

    /** Offset of subscriber row {@code index}. */
    public static long subscriberOffset(int index) {
        return SUBSCRIBERS_OFFSET + (long) index * SubscriberDescriptor.LENGTH;
    }
}
