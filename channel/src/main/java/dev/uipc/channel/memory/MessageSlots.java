package dev.uipc.channel.memory;

import dev.uipc.channel.layout.ChannelGeometry;
import dev.uipc.channel.layout.MessageDescriptor;
import dev.uipc.channel.layout.RingFileDescriptor;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The ring's message slots: for each position, its descriptor and its payload
 * ({@code docs/LAYOUT.md} section 2). A slot's life, in its {@code sequence}: an earlier lap's
 * value, then {@link #markClaimedRelease claimed} by the producer that won the position, then
 * {@link #commitRelease committed}. Position {@code p} lives in slot {@code p & (entries - 1)}.
 */
public final class MessageSlots {
    private final MemorySegment ring;
    private final int mask;
    private final long dataOffset;
    private final int slotStride;
    private final int maxMessageSize;

    MessageSlots(MemorySegment ring, ChannelGeometry geometry) {
        this.ring = ring;
        this.mask = geometry.mask();
        this.dataOffset = geometry.dataOffset();
        this.slotStride = geometry.slotStride();
        this.maxMessageSize = geometry.maxMessageSize();
    }

    private long descriptor(long position) {
        return RingFileDescriptor.descriptorOffset((int) position & mask);
    }

    // --- the sequence: who owns the slot -------------------------------------------------------

    /** The slot's sequence: {@code p + 1} committed, {@code -(p + 1)} claimed and being written. */
    public long sequenceAcquire(long position) {
        return (long) Words.LONG.getAcquire(ring, descriptor(position) + MessageDescriptor.SEQUENCE);
    }

    /** Whether the slot holds position {@code p}, committed; its header and payload may then be read. */
    public boolean isCommittedAcquire(long position) {
        return sequenceAcquire(position) == MessageDescriptor.committed(position);
    }

    /**
     * Whether the slot still holds position {@code p}, committed, after the caller read its
     * payload in place (a broadcast receiver, which takes nothing by compare-and-set). The
     * acquire fence orders the caller's earlier loads of the payload BEFORE this re-read of the
     * sequence, as a sequence lock's reader does: if it still says {@code p}, what was read is
     * what the producer wrote.
     */
    public boolean isStillCommittedAfterReads(long position) {
        VarHandle.acquireFence();
        return isCommittedAcquire(position);
    }

    /**
     * The position a sequence value speaks of (committed or claimed), or -1 for a slot never
     * used (0). Which lap of the slot a reaper is looking at.
     */
    public static long positionOf(long sequence) {
        return sequence == 0 ? -1 : Math.abs(sequence) - 1;
    }

    /**
     * The producer that won position {@code p} marks the slot as its own. The sender id (and
     * the target, its neighbour, in the same store) is visible BEFORE the marker, so a reaper
     * that finds the marker after the producer died knows whose it was.
     */
    public void markClaimedRelease(long position, int senderId, int target) {
        long d = descriptor(position);
        ring.set(JAVA_LONG, d + MessageDescriptor.SENDER_ID, pair(senderId, target));
        Words.LONG.setRelease(ring, d + MessageDescriptor.SEQUENCE, MessageDescriptor.claimed(position));
    }

    /**
     * Writes the rest of a claimed slot's header (plain stores: the commit publishes them). Each
     * two neighbouring 4-byte fields go in one 8-byte store (the file is little-endian, section
     * 2): every access to shared memory is checked, so fewer accesses cost less.
     */
    public void writeHeader(long position, int length, int flags, long tag, int senderPid, int senderUid) {
        long d = descriptor(position);
        ring.set(JAVA_LONG, d + MessageDescriptor.MESSAGE_LENGTH, pair(length, flags));
        ring.set(JAVA_LONG, d + MessageDescriptor.TAG, tag);
        ring.set(JAVA_LONG, d + MessageDescriptor.SENDER_PID, pair(senderPid, senderUid));
    }

    /** Two neighbouring little-endian u32 fields as one 8-byte word: {@code low} first. */
    private static long pair(int low, int high) {
        return (low & 0xffff_ffffL) | ((long) high << 32);
    }

    /** Shortens a claimed message before its commit (a zero-copy sender that wrote less). */
    public void setLength(long position, int length) {
        ring.set(JAVA_INT, descriptor(position) + MessageDescriptor.MESSAGE_LENGTH, length);
    }

    /** Publishes the message: its header and payload are visible BEFORE the committed sequence. */
    public void commitRelease(long position) {
        Words.LONG.setRelease(ring, descriptor(position) + MessageDescriptor.SEQUENCE, MessageDescriptor.committed(position));
    }

    // --- the header, read after an acquiring look at the sequence ------------------------------

    /**
     * The message's length, or -1 if the descriptor holds a length no valid producer writes (a
     * tampered file): the caller must not use it to index the payload.
     */
    public int validLength(long position) {
        int length = ring.get(JAVA_INT, descriptor(position) + MessageDescriptor.MESSAGE_LENGTH);
        return length < 0 || length > maxMessageSize ? -1 : length;
    }

    public int flags(long position) {
        return ring.get(JAVA_INT, descriptor(position) + MessageDescriptor.FLAGS);
    }

    public long tag(long position) {
        return ring.get(JAVA_LONG, descriptor(position) + MessageDescriptor.TAG);
    }

    public int senderId(long position) {
        return ring.get(JAVA_INT, descriptor(position) + MessageDescriptor.SENDER_ID);
    }

    /**
     * {@code senderId} in the low 32 bits and {@code target} in the high, read in one access (as
     * {@link #writeHeader} writes them), for a receiver describing a message.
     */
    public long senderIdAndTarget(long position) {
        return ring.get(JAVA_LONG, descriptor(position) + MessageDescriptor.SENDER_ID);
    }

    /** {@code senderPid} in the low 32 bits and {@code senderUid} in the high, read in one access. */
    public long senderPidAndUid(long position) {
        return ring.get(JAVA_LONG, descriptor(position) + MessageDescriptor.SENDER_PID);
    }

    public int target(long position) {
        return ring.get(JAVA_INT, descriptor(position) + MessageDescriptor.TARGET);
    }

    public int senderPid(long position) {
        return ring.get(JAVA_INT, descriptor(position) + MessageDescriptor.SENDER_PID);
    }

    public int senderUid(long position) {
        return ring.get(JAVA_INT, descriptor(position) + MessageDescriptor.SENDER_UID);
    }

    /** Whether only {@link #target} may take the message, or (multicast) it was assigned to it. */
    public boolean isAddressed(long position) {
        return (flags(position) & (MessageDescriptor.TARGETED | MessageDescriptor.ASSIGNED)) != 0;
    }

    // --- payload -------------------------------------------------------------------------------

    /** The ring file, for copying a payload in or out at {@link #payloadOffset}. */
    public MemorySegment ring() {
        return ring;
    }

    /** Where the payload of position {@code p} starts in {@link #ring()}. */
    public long payloadOffset(long position) {
        return dataOffset + (long) ((int) position & mask) * slotStride;
    }

    /**
     * One view per slot over its payload bytes (read-only if {@code readOnly}): made once, so
     * that zero-copy sending and receiving allocate nothing per message.
     */
    public MemorySegment[] payloadViews(boolean readOnly) {
        MemorySegment[] views = new MemorySegment[mask + 1];
        for (int slot = 0; slot <= mask; slot++) {
            MemorySegment view = ring.asSlice(payloadOffset(slot), slotStride);
            views[slot] = readOnly ? view.asReadOnly() : view;
        }
        return views;
    }
}
