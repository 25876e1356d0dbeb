package dev.uipc.channel;

import dev.uipc.channel.layout.ChannelGeometry;
import dev.uipc.channel.layout.ControlFileDescriptor;
import dev.uipc.channel.layout.DeliveryWord;
import dev.uipc.channel.layout.RingFileDescriptor;
import dev.uipc.channel.layout.SubscriberDescriptor;
import dev.uipc.uring.Errno;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * A channel's two files, mapped and validated. Everything the header says is checked against
 * the specification and against the files' real sizes before anything else reads them, so a
 * corrupt or hostile file yields a {@link ChannelException}, never an out-of-bounds access.
 *
 * <p>A receive-only subscriber maps the ring read-only: the kernel, not this class, then
 * keeps it from writing messages.
 */
final class MappedChannel implements AutoCloseable {
    final Path root;
    final int id;
    final long incarnation;
    final int flags;
    final Mode mode;
    final long key;
    final ChannelGeometry geometry;
    final int permissions;
    final int ownerUid;
    final int ownerGid;
    final int creatorPid;
    final long creatorStartTime;
    final long createdMillis;
    final MemorySegment ring;
    final MemorySegment ctl;
    final boolean ringWritable;

    // The geometry again as plain fields: the hot paths read these.
    final int entries;
    final int mask;
    final int entriesShift;
    final int maxMessageSize;
    final int maxSubscribers;
    final int slotStride;
    final long dataOffset;
    final long deliveryOffset;

    private final Arena arena;

    private MappedChannel(Path root, int id, Arena arena, MemorySegment ring, MemorySegment ctl, boolean ringWritable,
                          ChannelGeometry geometry) {
        this.root = root;
        this.id = id;
        this.arena = arena;
        this.ring = ring;
        this.ctl = ctl;
        this.ringWritable = ringWritable;
        this.geometry = geometry;
        this.incarnation = ring.get(JAVA_LONG, RingFileDescriptor.INCARNATION_OFFSET);
        this.flags = ring.get(JAVA_INT, RingFileDescriptor.FLAGS_OFFSET);
        this.mode = Mode.ofFlags(flags);
        this.key = ring.get(JAVA_LONG, RingFileDescriptor.KEY_OFFSET);
        this.permissions = ring.get(JAVA_INT, RingFileDescriptor.PERMISSIONS_OFFSET) & 0666;
        this.ownerUid = ring.get(JAVA_INT, RingFileDescriptor.OWNER_UID_OFFSET);
        this.ownerGid = ring.get(JAVA_INT, RingFileDescriptor.OWNER_GID_OFFSET);
        this.creatorPid = ring.get(JAVA_INT, RingFileDescriptor.CREATOR_PID_OFFSET);
        this.creatorStartTime = ring.get(JAVA_LONG, RingFileDescriptor.CREATOR_START_TIME_OFFSET);
        this.createdMillis = ring.get(JAVA_LONG, RingFileDescriptor.CREATED_MILLIS_OFFSET);
        this.entries = geometry.entries();
        this.mask = geometry.mask();
        this.entriesShift = geometry.entriesShift();
        this.maxMessageSize = geometry.maxMessageSize();
        this.maxSubscribers = geometry.maxSubscribers();
        this.slotStride = geometry.slotStride();
        this.dataOffset = geometry.dataOffset();
        this.deliveryOffset = geometry.deliveryOffset();
    }

    /**
     * Maps channel {@code id}: the ring read-write if {@code ringWritable} (to send), read-only
     * otherwise; the control file read-write if {@code ctlWritable} (every subscriber), read-only
     * for an observer such as {@code uipc stat}.
     *
     * @throws ChannelException ENOENT if it does not exist, EACCES if the file modes forbid the
     *                          access, EBADMSG if a file is not a valid channel file, EPROTO if it
     *                          was made by an incompatible uipc
     */
    static MappedChannel open(Path root, int id, boolean ringWritable, boolean ctlWritable) {
        Arena arena = Arena.ofShared();
        try {
            Path ringPath = ChannelFiles.ring(root, id);
            Path ctlPath = ChannelFiles.control(root, id);
            MemorySegment ring = map(ringPath, ringWritable, arena, id);
            ChannelGeometry geometry = validateRing(ring, id);
            MemorySegment ctl = map(ctlPath, ctlWritable, arena, id);
            validateControl(ctl, id, geometry, ring.get(JAVA_LONG, RingFileDescriptor.INCARNATION_OFFSET));
            int ownerUid = ring.get(JAVA_INT, RingFileDescriptor.OWNER_UID_OFFSET);
            int fileOwner = (Integer) Files.getAttribute(ringPath, "unix:uid");
            if (fileOwner != ownerUid) {
                throw corrupt(id, "its header names owner uid " + ownerUid + " but the file belongs to uid " + fileOwner);
            }
            return new MappedChannel(root, id, arena, ring, ctl, ringWritable, geometry);
        } catch (IOException e) {
            arena.close();
            throw new ChannelException(Errno.EIO, "cannot read channel " + id + " in " + root + ": " + e, e);
        } catch (RuntimeException | Error e) {
            arena.close();
            throw e;
        }
    }

    private static MemorySegment map(Path path, boolean writable, Arena arena, int id) throws IOException {
        try (FileChannel file = writable
                ? FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE)
                : FileChannel.open(path, StandardOpenOption.READ)) {
            long size = file.size();
            if (size < Math.max(RingFileDescriptor.HEADER_LENGTH, ControlFileDescriptor.HEADER_LENGTH)) {
                throw corrupt(id, path.getFileName() + " is " + size + " bytes, shorter than its header");
            }
            return file.map(writable ? FileChannel.MapMode.READ_WRITE : FileChannel.MapMode.READ_ONLY, 0, size, arena);
        } catch (NoSuchFileException e) {
            throw new ChannelException(Errno.ENOENT, "no channel " + id + " in " + path.getParent()
                    + " (it was never created, or was destroyed)");
        } catch (AccessDeniedException e) {
            throw new ChannelException(Errno.EACCES, "the permissions of channel " + id + " do not let uid "
                    + dev.uipc.uring.ProcessIdentity.uid() + " " + (writable ? "write" : "read") + " "
                    + path.getFileName() + " (" + describeMode(path) + "); ask its owner for access, or attach "
                    + "with less (RECV needs read, SEND needs write)");
        }
    }

    private static String describeMode(Path path) {
        try {
            int mode = (Integer) Files.getAttribute(path, "unix:mode");
            return "mode " + String.format("%04o", mode & 07777) + ", owner uid " + Files.getAttribute(path, "unix:uid")
                    + " gid " + Files.getAttribute(path, "unix:gid");
        } catch (IOException | RuntimeException e) {
            return "mode unknown";
        }
    }

    static ChannelException corrupt(int id, String what) {
        return new ChannelException(Errno.EBADMSG, "channel " + id + " is not a valid uipc channel: " + what
                + "; destroy it (uipc destroy --id " + id + ") and create it again");
    }

    private static ChannelGeometry validateRing(MemorySegment ring, int id) {
        long magic = ring.get(JAVA_LONG, RingFileDescriptor.MAGIC_OFFSET);
        if (magic != RingFileDescriptor.MAGIC) {
            throw corrupt(id, "its ring file has magic 0x" + Long.toHexString(magic) + ", not UIPCRING");
        }
        int version = (int) Words.INT.getAcquire(ring, RingFileDescriptor.VERSION_OFFSET);
        checkVersion(id, version, RingFileDescriptor.VERSION);
        int headerLength = ring.get(JAVA_INT, RingFileDescriptor.HEADER_LENGTH_OFFSET);
        if (headerLength != RingFileDescriptor.HEADER_LENGTH) {
            throw corrupt(id, "its ring header length is " + headerLength);
        }
        int fileId = ring.get(JAVA_INT, RingFileDescriptor.CHANNEL_ID_OFFSET);
        if (fileId != id) {
            throw corrupt(id, "its ring file says it is channel " + Integer.toUnsignedString(fileId));
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
                "ring file length");
        if (ring.byteSize() != geometry.ringFileLength()) {
            throw corrupt(id, "its ring file is " + ring.byteSize() + " bytes; its header says "
                    + geometry.ringFileLength());
        }
        return geometry;
    }

    private static void validateControl(MemorySegment ctl, int id, ChannelGeometry geometry, long incarnation) {
        long magic = ctl.get(JAVA_LONG, ControlFileDescriptor.MAGIC_OFFSET);
        if (magic != ControlFileDescriptor.MAGIC) {
            throw corrupt(id, "its control file has magic 0x" + Long.toHexString(magic) + ", not UIPCCTRL");
        }
        checkVersion(id, (int) Words.INT.getAcquire(ctl, ControlFileDescriptor.VERSION_OFFSET),
                ControlFileDescriptor.VERSION);
        if (ctl.get(JAVA_INT, ControlFileDescriptor.HEADER_LENGTH_OFFSET) != ControlFileDescriptor.HEADER_LENGTH
                || ctl.get(JAVA_INT, ControlFileDescriptor.CHANNEL_ID_OFFSET) != id
                || ctl.get(JAVA_LONG, ControlFileDescriptor.INCARNATION_OFFSET) != incarnation
                || ctl.get(JAVA_INT, ControlFileDescriptor.ENTRIES_OFFSET) != geometry.entries()
                || ctl.get(JAVA_INT, ControlFileDescriptor.MAX_SUBSCRIBERS_OFFSET) != geometry.maxSubscribers()) {
            throw corrupt(id, "its control file does not match its ring file");
        }
        expect(id, ctl.get(JAVA_LONG, ControlFileDescriptor.SUBSCRIBERS_OFFSET_OFFSET),
                ControlFileDescriptor.SUBSCRIBERS_OFFSET, "subscribers offset");
        expect(id, ctl.get(JAVA_LONG, ControlFileDescriptor.DELIVERY_OFFSET_OFFSET), geometry.deliveryOffset(),
                "delivery offset");
        expect(id, ctl.get(JAVA_LONG, ControlFileDescriptor.FILE_LENGTH_OFFSET), geometry.controlFileLength(),
                "control file length");
        if (ctl.byteSize() != geometry.controlFileLength()) {
            throw corrupt(id, "its control file is " + ctl.byteSize() + " bytes; its header says "
                    + geometry.controlFileLength());
        }
    }

    private static void checkVersion(int id, int version, int expected) {
        if (version == expected) {
            return;
        }
        if (version == 0) {
            throw corrupt(id, "a file was never finished (its version is 0)");
        }
        throw new ChannelException(Errno.EPROTO, "channel " + id + " has layout version " + version
                + "; this uipc reads version " + expected + ": use the uipc that made it");
    }

    private static void expect(int id, long actual, long expected, String what) {
        if (actual != expected) {
            throw corrupt(id, "its " + what + " is " + actual + ", not " + expected);
        }
    }

    boolean persistent() {
        return (flags & RingFileDescriptor.PERSISTENT) != 0;
    }

    boolean destroyed() {
        // A flag read for its current value; nothing else is ordered by it: opaque.
        return (int) Words.INT.getOpaque(ctl, ControlFileDescriptor.STATE_OFFSET) == ControlFileDescriptor.DESTROYED;
    }

    /** The producers' tail: the next position to claim. */
    long tail() {
        return (long) Words.LONG.getAcquire(ring, RingFileDescriptor.TAIL_OFFSET);
    }

    /** Offset of subscriber row {@code index} in the control file. */
    static long row(int index) {
        return ControlFileDescriptor.subscriberOffset(index);
    }

    /**
     * Whether {@code id} names a subscriber that is attached now with {@code accessBit}: the row
     * its index names is ACTIVE and holds that id. Bounds-checked: an id read from shared memory
     * may be anything.
     */
    boolean isActive(int id, int accessBit) {
        int index = SubscriberDescriptor.index(id);
        if (id == 0 || index >= maxSubscribers) {
            return false;
        }
        long row = row(index);
        return (int) Words.INT.getAcquire(ctl, row + SubscriberDescriptor.STATE) == SubscriberDescriptor.ACTIVE
                && ctl.get(JAVA_INT, row + SubscriberDescriptor.ID) == id
                && (ctl.get(JAVA_INT, row + SubscriberDescriptor.ACCESS) & accessBit) != 0;
    }

    /** Offset of the descriptor of position {@code p}. */
    long descriptor(long position) {
        return RingFileDescriptor.descriptorOffset((int) position & mask);
    }

    /** Offset of the payload of position {@code p}. */
    long payload(long position) {
        return dataOffset + (long) ((int) position & mask) * slotStride;
    }

    /** Offset of the delivery word of position {@code p}. */
    long deliveryWord(long position) {
        return deliveryOffset + (long) ((int) position & mask) * DeliveryWord.LENGTH;
    }

    int lap(long position) {
        return DeliveryWord.lapOf(position, entriesShift);
    }

    /** Adds to a counter in the control file header (slow paths only: an atomic add). */
    void count(long counterOffset) {
        Words.LONG.getAndAdd(ctl, counterOffset, 1L);
    }
    private boolean closed;

    /** Unmaps both files. Idempotent. */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            arena.close();
        }
    }
}
