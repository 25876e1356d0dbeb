package dev.uipc.channel.layout;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

import static dev.uipc.channel.layout.Layouts.bytes;
import static dev.uipc.channel.layout.Layouts.offset;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * One row of the subscriber table in the control file: 128 bytes, two cache lines. The first
 * holds who the subscriber is (written when it joins and leaves, read by everyone); the second
 * what it is doing (written by the subscriber itself, and its doorbell by whoever wakes it).
 * {@code docs/LAYOUT.md} section 3.
 *
 * <pre>
 *   line 0:  0 state | 4 id | 8 access | 12 pid | 16 startTime | 24 uid | 28 gid
 *            32 attachedMillis | 40 generation | 44 reserved1
 *   line 1: 64 cursor | 72 doorbell (futex word) | 76 waiting | 80 claim
 *           88 received | 96 sent | 104 ringPublication | 108 ringRefusal | 112 ringWakes
 *           120 reserved2
 * </pre>
 */
public final class SubscriberDescriptor {
    private SubscriberDescriptor() {
    }

    public static final int FREE = 0;
    /** Claimed; identity being written; not yet counted as a receiver. */
    public static final int JOINING = 1;
    public static final int ACTIVE = 2;
    /** Leaving or being reaped: its messages are being recovered. */
    public static final int LEAVING = 3;

    /** access: may send. */
    public static final int SEND = 1;
    /** access: may receive. */
    public static final int RECV = 1 << 1;

    /** waiting: running. */
    public static final int RUNNING = 0;
    /** waiting: parked on its doorbell. */
    public static final int PARKED = 1;
    /** waiting: a waker chose it; the wake is on its way. */
    public static final int WAKING = 2;

    /** Bits of an id that hold the row index; the rest hold the generation. */
    public static final int INDEX_BITS = 12;
    public static final int MAX_SUBSCRIBERS = 1 << INDEX_BITS;

    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            JAVA_INT.withName("state"),
            JAVA_INT.withName("id"),
            JAVA_INT.withName("access"),
            JAVA_INT.withName("pid"),
            JAVA_LONG.withName("startTime"),
            JAVA_INT.withName("uid"),
            JAVA_INT.withName("gid"),
            JAVA_LONG.withName("attachedMillis"),
            JAVA_INT.withName("generation"),
            bytes(20, "reserved1"),
            JAVA_LONG.withName("cursor"),
            JAVA_INT.withName("doorbell"),
            JAVA_INT.withName("waiting"),
            JAVA_LONG.withName("claim"),
            JAVA_LONG.withName("received"),
            JAVA_LONG.withName("sent"),
            JAVA_INT.withName("ringPublication"),
            JAVA_INT.withName("ringRefusal"),
            JAVA_LONG.withName("ringWakes"),
            bytes(8, "reserved2"));

    public static final long LENGTH = LAYOUT.byteSize();

    public static final long STATE = offset(LAYOUT, "state");
    public static final long ID = offset(LAYOUT, "id");
    public static final long ACCESS = offset(LAYOUT, "access");
    public static final long PID = offset(LAYOUT, "pid");
    public static final long START_TIME = offset(LAYOUT, "startTime");
    public static final long UID = offset(LAYOUT, "uid");
    public static final long GID = offset(LAYOUT, "gid");
    public static final long ATTACHED_MILLIS = offset(LAYOUT, "attachedMillis");
    public static final long GENERATION = offset(LAYOUT, "generation");
    public static final long CURSOR = offset(LAYOUT, "cursor");
    public static final long DOORBELL = offset(LAYOUT, "doorbell");
    public static final long WAITING = offset(LAYOUT, "waiting");
    public static final long CLAIM = offset(LAYOUT, "claim");
    public static final long RECEIVED = offset(LAYOUT, "received");
    public static final long SENT = offset(LAYOUT, "sent");
    public static final long RING_PUBLICATION = offset(LAYOUT, "ringPublication");
    public static final long RING_REFUSAL = offset(LAYOUT, "ringRefusal");
    public static final long RING_WAKES = offset(LAYOUT, "ringWakes");

    /** The id of the occupant of row {@code index} in its {@code generation}. */
    public static int id(int generation, int index) {
        return (generation << INDEX_BITS) | index;
    }

    /** The row an id names. */
    public static int index(int id) {
        return id & (MAX_SUBSCRIBERS - 1);
    }
}
