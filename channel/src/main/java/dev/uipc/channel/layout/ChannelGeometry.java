package dev.uipc.channel.layout;

/**
 * The sizes of a channel, and where everything lies in its two files: the arithmetic of
 * {@code docs/LAYOUT.md} in one place.
 *
 * @param entries        slots: a power of two, 1 to {@link #MAX_ENTRIES}
 * @param maxMessageSize 1 to {@link #MAX_MESSAGE_SIZE} bytes
 * @param maxSubscribers 1 to {@link SubscriberDescriptor#MAX_SUBSCRIBERS}
 */
public record ChannelGeometry(int entries, int maxMessageSize, int maxSubscribers) {
    public static final int MAX_ENTRIES = 1 << 16;
    public static final int MAX_MESSAGE_SIZE = 1 << 20;
    /** The most data one channel may hold: entries x slot stride. */
    public static final long MAX_DATA_BYTES = 4L << 30;

    /**
     * Why these sizes are invalid, as a sentence, or {@code null} if they are valid.
     */
    public static String problem(long entries, long maxMessageSize, long maxSubscribers) {
        if (entries < 1 || entries > MAX_ENTRIES || Long.bitCount(entries) != 1) {
            return "entries must be a power of two from 1 to " + MAX_ENTRIES + ", not " + entries;
        }
        if (maxMessageSize < 1 || maxMessageSize > MAX_MESSAGE_SIZE) {
            return "the maximum message size must be 1 to " + MAX_MESSAGE_SIZE + " bytes, not " + maxMessageSize;
        }
        if (maxSubscribers < 1 || maxSubscribers > SubscriberDescriptor.MAX_SUBSCRIBERS) {
            return "a channel takes 1 to " + SubscriberDescriptor.MAX_SUBSCRIBERS + " subscribers, not " + maxSubscribers;
        }
        if (entries * slotStride((int) maxMessageSize) > MAX_DATA_BYTES) {
            return "entries x maximum message size must not exceed " + (MAX_DATA_BYTES >> 30) + " GiB ("
                    + entries + " x " + maxMessageSize + ")";
        }
        return null;
    }

    public ChannelGeometry {
        String problem = problem(entries, maxMessageSize, maxSubscribers);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
    }

    /** Payload bytes per slot: the maximum message size rounded up to a cache line. */
    public static int slotStride(int maxMessageSize) {
        return (int) Layouts.roundUp(maxMessageSize, Layouts.CACHE_LINE);
    }

    public int slotStride() {
        return slotStride(maxMessageSize);
    }

    /** log2(entries). */
    public int entriesShift() {
        return Integer.numberOfTrailingZeros(entries);
    }

    public int mask() {
        return entries - 1;
    }

    // --- ring file ---

    public long dataOffset() {
        return Layouts.roundUp(RingFileDescriptor.DESCRIPTORS_OFFSET + (long) entries * MessageDescriptor.LENGTH,
                Layouts.PAGE);
    }

    public long ringFileLength() {
        return Layouts.roundUp(dataOffset() + (long) entries * slotStride(), Layouts.PAGE);
    }

    /** Offset in the ring file of the payload of {@code slot}. */
    public long slotDataOffset(int slot) {
        return dataOffset() + (long) slot * slotStride();
    }

    // --- control file ---

    public long deliveryOffset() {
        return ControlFileDescriptor.SUBSCRIBERS_OFFSET + (long) maxSubscribers * SubscriberDescriptor.LENGTH;
    }

    public long controlFileLength() {
        return Layouts.roundUp(deliveryOffset() + (long) entries * DeliveryWord.LENGTH, Layouts.PAGE);
    }

    /** Offset in the control file of the delivery word of {@code slot}. */
    public long deliveryWordOffset(int slot) {
        return deliveryOffset() + (long) slot * DeliveryWord.LENGTH;
    }
}
