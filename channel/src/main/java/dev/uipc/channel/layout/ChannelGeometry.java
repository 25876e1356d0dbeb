package dev.uipc.channel.layout;

/**
 * The sizes of a channel, and where everything lies in its two pieces of memory: the arithmetic of
 * {@code docs/LAYOUT.md} in one place.
 *
 * @param entries        slots: a power of two, 1 to {@link #MAX_ENTRIES}
 * @param maxMessageSize 1 to {@link #MAX_MESSAGE_SIZE} bytes
 * @param maxSubscribers 1 to {@link SubscriberDescriptor#MAX_SUBSCRIBERS}
 */
public record ChannelGeometry(int entries, int maxMessageSize, int maxSubscribers) {
    /** The most slots a ring may have. */
    public static final int MAX_ENTRIES = 1 << 16;
    /** The largest message a channel may carry: 1 MiB. */
    public static final int MAX_MESSAGE_SIZE = 1 << 20;
    /** The most data one channel may hold: entries x slot stride. */
    public static final long MAX_DATA_BYTES = 4L << 30;

    /**
     * Why these sizes are invalid, as a sentence, or {@code null} if they are valid.
     *
     * @param entries        slots in the ring
     * @param maxMessageSize the largest message, in bytes
     * @param maxSubscribers rows in the subscriber table
     * @return what is wrong, or {@code null}
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

    /**
     * Checks the sizes.
     *
     * @param entries        slots: a power of two, 1 to {@link #MAX_ENTRIES}
     * @param maxMessageSize 1 to {@link #MAX_MESSAGE_SIZE} bytes
     * @param maxSubscribers 1 to {@link SubscriberDescriptor#MAX_SUBSCRIBERS}
     * @throws IllegalArgumentException with {@link #problem}'s sentence if they are invalid
     */
    public ChannelGeometry {
        String problem = problem(entries, maxMessageSize, maxSubscribers);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
    }

    /**
     * Payload bytes per slot: the maximum message size rounded up to a cache line.
     *
     * @param maxMessageSize the largest message
     * @return the stride, a multiple of 64
     */
    public static int slotStride(int maxMessageSize) {
        return (int) Layouts.roundUp(maxMessageSize, Layouts.CACHE_LINE);
    }

    /**
     * Payload bytes per slot of this channel.
     *
     * @return the stride, a multiple of 64
     */
    public int slotStride() {
        return slotStride(maxMessageSize);
    }

    /**
     * log2(entries).
     *
     * @return log2 of the entries
     */
    public int entriesShift() {
        return Integer.numberOfTrailingZeros(entries);
    }

    /**
     * The mask that turns a position into its slot.
     *
     * @return {@code entries - 1}
     */
    public int mask() {
        return entries - 1;
    }

    // --- ring ---

    /**
     * Where the payload slots start in the ring: after the descriptors, on a page boundary.
     *
     * @return a multiple of 4096
     */
    public long dataOffset() {
        return Layouts.roundUp(RingFileDescriptor.DESCRIPTORS_OFFSET + (long) entries * MessageDescriptor.LENGTH,
                Layouts.PAGE);
    }

    /**
     * The size of the ring: header, descriptors and payload slots.
     *
     * @return a multiple of 4096
     */
    public long ringFileLength() {
        return Layouts.roundUp(dataOffset() + (long) entries * slotStride(), Layouts.PAGE);
    }

    /**
     * Offset in the ring of the payload of {@code slot}.
     *
     * @param slot the slot, 0 to entries - 1
     * @return its offset in the ring
     */
    public long slotDataOffset(int slot) {
        return dataOffset() + (long) slot * slotStride();
    }

    // --- control memory ---

    /**
     * Where the delivery words start in the control memory.
     *
     * @return the offset after the subscriber table
     */
    public long deliveryOffset() {
        return ControlFileDescriptor.SUBSCRIBERS_OFFSET + (long) maxSubscribers * SubscriberDescriptor.LENGTH;
    }

    /**
     * The size of the control memory: header, subscriber table and delivery words.
     *
     * @return a multiple of 4096
     */
    public long controlFileLength() {
        return Layouts.roundUp(deliveryOffset() + (long) entries * DeliveryWord.LENGTH, Layouts.PAGE);
    }

    /**
     * Offset in the control memory of the delivery word of {@code slot}.
     *
     * @param slot the slot, 0 to entries - 1
     * @return its delivery word's offset in the control memory
     */
    public long deliveryWordOffset(int slot) {
        return deliveryOffset() + (long) slot * DeliveryWord.LENGTH;
    }
}
