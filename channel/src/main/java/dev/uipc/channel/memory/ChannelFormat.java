package dev.uipc.channel.memory;

import dev.uipc.channel.ChannelException;
import dev.uipc.channel.layout.ChannelGeometry;
import dev.uipc.channel.layout.ControlFileDescriptor;
import dev.uipc.channel.layout.RingFileDescriptor;
import dev.uipc.channel.layout.SubscriberDescriptor;
import dev.uipc.uring.Errno;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Writing a new channel's memory, and validating memory someone else wrote: the two ends of the
 * readiness handshake of {@code docs/LAYOUT.md}. The writer fills both headers and the
 * subscriber table, then stores each {@code version} last with release ordering; a reader
 * checks magic, version, header length, geometry and the mappings' real sizes before it trusts
 * a single other word.
 */
public final class ChannelFormat {
    private ChannelFormat() {
    }

    /** The sizes the ring and control memory must have for {@code geometry}. */
    public static long ringLength(ChannelGeometry geometry) {
        return geometry.ringFileLength();
    }

    public static long controlLength(ChannelGeometry geometry) {
        return geometry.controlFileLength();
    }

    /**
     * Formats zeroed memory of the right sizes as a new channel. Everything is visible BEFORE
     * the version fields, written last.
     */
    public static void write(MemorySegment ring, MemorySegment ctl, ChannelHeader header) {
        ChannelGeometry g = header.geometry();
        ring.set(JAVA_LONG, RingFileDescriptor.MAGIC_OFFSET, RingFileDescriptor.MAGIC);
        ring.set(JAVA_INT, RingFileDescriptor.HEADER_LENGTH_OFFSET, RingFileDescriptor.HEADER_LENGTH);
        ring.set(JAVA_LONG, RingFileDescriptor.INCARNATION_OFFSET, header.incarnation());
        ring.set(JAVA_INT, RingFileDescriptor.CHANNEL_ID_OFFSET, header.id());
        ring.set(JAVA_INT, RingFileDescriptor.FLAGS_OFFSET, header.flags());
        ring.set(JAVA_LONG, RingFileDescriptor.KEY_OFFSET, header.key());
        ring.set(JAVA_INT, RingFileDescriptor.ENTRIES_OFFSET, g.entries());
        ring.set(JAVA_INT, RingFileDescriptor.MAX_MESSAGE_SIZE_OFFSET, g.maxMessageSize());
        ring.set(JAVA_INT, RingFileDescriptor.SLOT_STRIDE_OFFSET, g.slotStride());
        ring.set(JAVA_INT, RingFileDescriptor.PERMISSIONS_OFFSET, header.permissions() & 0666);
        ring.set(JAVA_INT, RingFileDescriptor.OWNER_UID_OFFSET, header.ownerUid());
        ring.set(JAVA_INT, RingFileDescriptor.OWNER_GID_OFFSET, header.ownerGid());
        ring.set(JAVA_INT, RingFileDescriptor.CREATOR_PID_OFFSET, header.creatorPid());
        ring.set(JAVA_INT, RingFileDescriptor.MAX_SUBSCRIBERS_OFFSET, g.maxSubscribers());
        ring.set(JAVA_LONG, RingFileDescriptor.CREATOR_START_TIME_OFFSET, header.creatorStartTime());
        ring.set(JAVA_LONG, RingFileDescriptor.DESCRIPTORS_OFFSET_OFFSET, RingFileDescriptor.DESCRIPTORS_OFFSET);
        ring.set(JAVA_LONG, RingFileDescriptor.DATA_OFFSET_OFFSET, g.dataOffset());
        ring.set(JAVA_LONG, RingFileDescriptor.FILE_LENGTH_OFFSET, g.ringFileLength());
        ring.set(JAVA_LONG, RingFileDescriptor.CREATED_MILLIS_OFFSET, header.createdMillis());

        ctl.set(JAVA_LONG, ControlFileDescriptor.MAGIC_OFFSET, ControlFileDescriptor.MAGIC);
        ctl.set(JAVA_INT, ControlFileDescriptor.HEADER_LENGTH_OFFSET, ControlFileDescriptor.HEADER_LENGTH);
        ctl.set(JAVA_LONG, ControlFileDescriptor.INCARNATION_OFFSET, header.incarnation());
        ctl.set(JAVA_INT, ControlFileDescriptor.CHANNEL_ID_OFFSET, header.id());
        ctl.set(JAVA_INT, ControlFileDescriptor.ENTRIES_OFFSET, g.entries());
        ctl.set(JAVA_INT, ControlFileDescriptor.MAX_SUBSCRIBERS_OFFSET, g.maxSubscribers());
        ctl.set(JAVA_LONG, ControlFileDescriptor.SUBSCRIBERS_OFFSET_OFFSET, ControlFileDescriptor.SUBSCRIBERS_OFFSET);
        ctl.set(JAVA_LONG, ControlFileDescriptor.DELIVERY_OFFSET_OFFSET, g.deliveryOffset());
        ctl.set(JAVA_LONG, ControlFileDescriptor.FILE_LENGTH_OFFSET, g.controlFileLength());
        for (int index = 0; index < g.maxSubscribers(); index++) {
            long row = ControlFileDescriptor.subscriberOffset(index);
            // A free row's cursor holds no producer back; it has no claim.
            ctl.set(JAVA_LONG, row + SubscriberDescriptor.CURSOR, Long.MAX_VALUE);
            ctl.set(JAVA_LONG, row + SubscriberDescriptor.CLAIM, -1L);
        }
        // Delivery words stay zero: OPEN for lap 0 (LAYOUT.md section 3).
        // NOTE: everything above is visible BEFORE the versions that say the memory is complete.
        Words.INT.setRelease(ctl, ControlFileDescriptor.VERSION_OFFSET, ControlFileDescriptor.VERSION);
        Words.INT.setRelease(ring, RingFileDescriptor.VERSION_OFFSET, RingFileDescriptor.VERSION);
    }

    /**
     * Validates mapped ring and control memory of channel {@code id} and returns them as a
     * {@link ChannelMemory} that owns {@code arena} (closing it unmaps both).
     *
     * @throws ChannelException EBADMSG if they are not a valid channel, EPROTO if they were made
     *                          by an incompatible uipc
     */
    public static ChannelMemory validate(int id, MemorySegment ring, MemorySegment ctl, Arena arena) {
        ChannelHeader header = validateRing(ring, id);
        validateControl(ctl, id, header);
        return new ChannelMemory(header, ring, ctl, arena);
    }

    private static ChannelHeader validateRing(MemorySegment ring, int id) {
        if (ring.byteSize() < RingFileDescriptor.HEADER_LENGTH) {
            throw corrupt(id, "its ring is " + ring.byteSize() + " bytes, shorter than its header");
        }
        long magic = ring.get(JAVA_LONG, RingFileDescriptor.MAGIC_OFFSET);
        if (magic != RingFileDescriptor.MAGIC) {
            throw corrupt(id, "its ring has magic 0x" + Long.toHexString(magic) + ", not UIPCRING");
        }
        checkVersion(id, (int) Words.INT.getAcquire(ring, RingFileDescriptor.VERSION_OFFSET), RingFileDescriptor.VERSION);
        int headerLength = ring.get(JAVA_INT, RingFileDescriptor.HEADER_LENGTH_OFFSET);
        if (headerLength != RingFileDescriptor.HEADER_LENGTH) {
            throw corrupt(id, "its ring header length is " + headerLength);
        }
        int fileId = ring.get(JAVA_INT, RingFileDescriptor.CHANNEL_ID_OFFSET);
        if (fileId != id) {
            throw corrupt(id, "its ring says it is channel " + Integer.toUnsignedString(fileId));
        }
        int flags = ring.get(JAVA_INT, RingFileDescriptor.FLAGS_OFFSET);
        if ((flags & ~RingFileDescriptor.KNOWN_FLAGS) != 0
                || (flags & (RingFileDescriptor.BROADCAST | RingFileDescriptor.MULTICAST))
                == (RingFileDescriptor.BROADCAST | RingFileDescriptor.MULTICAST)) {
            throw corrupt(id, "its flags 0x" + Integer.toHexString(flags) + " are invalid");
        }
        int entries = ring.get(JAVA_INT, RingFileDescriptor.ENTRIES_OFFSET);
        int maxMessageSize = ring.get(JAVA_INT, RingFileDescriptor.MAX_MESSAGE_SIZE_OFFSET);
        int maxSubscribers = ring.get(JAVA_INT, RingFileDescriptor.MAX_SUBSCRIBERS_OFFSET);
        String problem = ChannelGeometry.problem(Integer.toUnsignedLong(entries), Integer.toUnsignedLong(maxMessageSize),
                Integer.toUnsignedLong(maxSubscribers));
        if (problem != null) {
            throw corrupt(id, problem);
        }
        ChannelGeometry geometry = new ChannelGeometry(entries, maxMessageSize, maxSubscribers);
        expect(id, ring.get(JAVA_INT, RingFileDescriptor.SLOT_STRIDE_OFFSET), geometry.slotStride(), "slot stride");
        expect(id, ring.get(JAVA_LONG, RingFileDescriptor.DESCRIPTORS_OFFSET_OFFSET),
                RingFileDescriptor.DESCRIPTORS_OFFSET, "descriptors offset");
        expect(id, ring.get(JAVA_LONG, RingFileDescriptor.DATA_OFFSET_OFFSET), geometry.dataOffset(), "data offset");
        expect(id, ring.get(JAVA_LONG, RingFileDescriptor.FILE_LENGTH_OFFSET), geometry.ringFileLength(),
                "ring length");
        if (ring.byteSize() != geometry.ringFileLength()) {
            throw corrupt(id, "its ring is " + ring.byteSize() + " bytes; its header says " + geometry.ringFileLength());
        }
        return new ChannelHeader(id, ring.get(JAVA_LONG, RingFileDescriptor.INCARNATION_OFFSET), flags,
                ring.get(JAVA_LONG, RingFileDescriptor.KEY_OFFSET), geometry,
                ring.get(JAVA_INT, RingFileDescriptor.PERMISSIONS_OFFSET) & 0666,
                ring.get(JAVA_INT, RingFileDescriptor.OWNER_UID_OFFSET),
                ring.get(JAVA_INT, RingFileDescriptor.OWNER_GID_OFFSET),
                ring.get(JAVA_INT, RingFileDescriptor.CREATOR_PID_OFFSET),
                ring.get(JAVA_LONG, RingFileDescriptor.CREATOR_START_TIME_OFFSET),
                ring.get(JAVA_LONG, RingFileDescriptor.CREATED_MILLIS_OFFSET));
    }

    private static void validateControl(MemorySegment ctl, int id, ChannelHeader header) {
        ChannelGeometry geometry = header.geometry();
        if (ctl.byteSize() < ControlFileDescriptor.HEADER_LENGTH) {
            throw corrupt(id, "its control memory is " + ctl.byteSize() + " bytes, shorter than its header");
        }
        long magic = ctl.get(JAVA_LONG, ControlFileDescriptor.MAGIC_OFFSET);
        if (magic != ControlFileDescriptor.MAGIC) {
            throw corrupt(id, "its control memory has magic 0x" + Long.toHexString(magic) + ", not UIPCCTRL");
        }
        checkVersion(id, (int) Words.INT.getAcquire(ctl, ControlFileDescriptor.VERSION_OFFSET),
                ControlFileDescriptor.VERSION);
        if (ctl.get(JAVA_INT, ControlFileDescriptor.HEADER_LENGTH_OFFSET) != ControlFileDescriptor.HEADER_LENGTH
                || ctl.get(JAVA_INT, ControlFileDescriptor.CHANNEL_ID_OFFSET) != id
                || ctl.get(JAVA_LONG, ControlFileDescriptor.INCARNATION_OFFSET) != header.incarnation()
                || ctl.get(JAVA_INT, ControlFileDescriptor.ENTRIES_OFFSET) != geometry.entries()
                || ctl.get(JAVA_INT, ControlFileDescriptor.MAX_SUBSCRIBERS_OFFSET) != geometry.maxSubscribers()) {
            throw corrupt(id, "its control memory does not match its ring");
        }
        expect(id, ctl.get(JAVA_LONG, ControlFileDescriptor.SUBSCRIBERS_OFFSET_OFFSET),
                ControlFileDescriptor.SUBSCRIBERS_OFFSET, "subscribers offset");
        expect(id, ctl.get(JAVA_LONG, ControlFileDescriptor.DELIVERY_OFFSET_OFFSET), geometry.deliveryOffset(),
                "delivery offset");
        expect(id, ctl.get(JAVA_LONG, ControlFileDescriptor.FILE_LENGTH_OFFSET), geometry.controlFileLength(),
                "control length");
        if (ctl.byteSize() != geometry.controlFileLength()) {
            throw corrupt(id, "its control memory is " + ctl.byteSize() + " bytes; its header says "
                    + geometry.controlFileLength());
        }
    }

    private static void checkVersion(int id, int version, int expected) {
        if (version == expected) {
            return;
        }
        if (version == 0) {
            throw corrupt(id, "it was never finished (its version is 0)");
        }
        throw new ChannelException(Errno.EPROTO, "channel " + id + " has layout version " + version
                + "; this uipc reads version " + expected + ": use the uipc that made it");
    }

    private static void expect(int id, long actual, long expected, String what) {
        if (actual != expected) {
            throw corrupt(id, "its " + what + " is " + actual + ", not " + expected);
        }
    }

    static ChannelException corrupt(int id, String what) {
        return new ChannelException(Errno.EBADMSG, "channel " + id + " is not a valid uipc channel: " + what
                + "; destroy it (uipc destroy --id " + id + ") and create it again");
    }
}
