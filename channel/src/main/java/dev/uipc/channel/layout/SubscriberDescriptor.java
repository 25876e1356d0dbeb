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

    /** state: the row is free for the next subscriber. */
    public static final int FREE = 0;
    /** Claimed; identity being written; not yet counted as a receiver. */
    public static final int JOINING = 1;
    /** state: attached; a receiver counts as one. */
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
    /** The most rows a subscriber table can have: the indexes an id can hold. */
    public static final int MAX_SUBSCRIBERS = 1 << INDEX_BITS;

    /** One row, field by field, as {@code docs/LAYOUT.md} specifies it (a test compares the two). */
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

    /** The size of a row: 128 bytes, two cache lines. */
    public static final long LENGTH = LAYOUT.byteSize();

    /**
     * {@code state}, u32 at offset 0: 0 FREE, 1 JOINING (taken by the broker, identity being
     * written, not yet a receiver), 2 ACTIVE, 3 LEAVING.
     */
    public static final long STATE = offset(LAYOUT, "state");
    /** {@code id}, u32 at offset 4: {@code (generation &lt;&lt; 12) | index} while not FREE. */
    public static final long ID = offset(LAYOUT, "id");
    /** {@code access}, u32 at offset 8: bit 0 SEND, bit 1 RECV. */
    public static final long ACCESS = offset(LAYOUT, "access");
    /**
     * {@code pid}, u32 at offset 12: the subscriber's process; 0 while the row is FREE, so that a
     * row reserved again (JOINING) is never taken for its previous occupant's.
     */
    public static final long PID = offset(LAYOUT, "pid");
    /** {@code startTime}, u64 at offset 16: 0: the broker knows a subscriber's process by its connection. */
    public static final long START_TIME = offset(LAYOUT, "startTime");
    /** {@code uid}, u32 at offset 24: its effective uid. */
    public static final long UID = offset(LAYOUT, "uid");
    /** {@code gid}, u32 at offset 28: its effective gid. */
    public static final long GID = offset(LAYOUT, "gid");
    /** {@code attachedMillis}, u64 at offset 32: when it attached, milliseconds since the Unix epoch. */
    public static final long ATTACHED_MILLIS = offset(LAYOUT, "attachedMillis");
    /** {@code generation}, u32 at offset 40: incremented each time the row is taken; starts at 1. */
    public static final long GENERATION = offset(LAYOUT, "generation");
    /**
     * {@code cursor}, s64 at offset 64: broadcast: the next position it will read. Unicast and
     * multicast: where its next search starts.
     */
    public static final long CURSOR = offset(LAYOUT, "cursor");
    /**
     * {@code doorbell}, u32 at offset 72: futex word it sleeps on; a waker adds 1, then calls
     * FUTEX_WAKE.
     */
    public static final long DOORBELL = offset(LAYOUT, "doorbell");
    /** {@code waiting}, u32 at offset 76: 0 running, 1 parked on the doorbell, 2 a wake is on its way. */
    public static final long WAITING = offset(LAYOUT, "waiting");
    /**
     * {@code claim}, s64 at offset 80: the position it is trying to claim or is writing, -1 for
     * none (section 2).
     */
    public static final long CLAIM = offset(LAYOUT, "claim");
    /** {@code received}, u64 at offset 88: messages it has received. */
    public static final long RECEIVED = offset(LAYOUT, "received");
    /** {@code sent}, u64 at offset 96: messages it has sent. */
    public static final long SENT = offset(LAYOUT, "sent");
    /**
     * {@code ringPublication}, u32 at offset 104: 0, or the number under which the broker records
     * where this subscriber's completion loop can be reached by MSG_RING (section 5); written by
     * the broker only.
     */
    public static final long RING_PUBLICATION = offset(LAYOUT, "ringPublication");
    /**
     * {@code ringRefusal}, u32 at offset 108: 0, or the errno a waker last met taking that ring
     * (EPERM: another user, or ptrace rules); it then rang the futex doorbell.
     */
    public static final long RING_REFUSAL = offset(LAYOUT, "ringRefusal");
    /** {@code ringWakes}, u64 at offset 112: wakes delivered to it by MSG_RING. */
    public static final long RING_WAKES = offset(LAYOUT, "ringWakes");

    /**
     * The id of the occupant of row {@code index} in its {@code generation}.
     *
     * @param generation how often the row has been taken, 1 or more
     * @param index      the row
     * @return the subscriber id, never 0
     */
    public static int id(int generation, int index) {
        return (generation << INDEX_BITS) | index;
    }

    /**
     * The row an id names: its low {@link #INDEX_BITS} bits.
     *
     * @param id a subscriber id
     * @return the index of its row
     */
    public static int index(int id) {
        return id & (MAX_SUBSCRIBERS - 1);
    }
}
