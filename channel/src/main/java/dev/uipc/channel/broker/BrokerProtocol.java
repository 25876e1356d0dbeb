package dev.uipc.channel.broker;

import dev.uipc.channel.Access;
import dev.uipc.channel.ChannelException;
import dev.uipc.channel.ChannelSnapshot;
import dev.uipc.channel.Mode;
import dev.uipc.uring.Errno;

import java.util.ArrayList;
import java.util.List;

/**
 * What clients ask of the broker and what it answers, one message each way over a
 * {@code SOCK_SEQPACKET} Unix socket ({@code docs/LAYOUT.md} section 1). A request is
 * {@code magic, version, op} and the op's fields; a reply is a status (0, or a negative errno)
 * followed by the op's answer — or, on failure, a sentence saying what went wrong and what to
 * do. An ATTACH reply carries the channel's ring and control memory as descriptors.
 */
final class BrokerProtocol {
    private BrokerProtocol() {
    }

    /** {@code UIPC} as a little-endian u32: the first field of every request. */
    static final int MAGIC = 0x43504955;
    static final int VERSION = 1;
    /** The most bytes a request may have; every request fits in far fewer. */
    static final int MAX_REQUEST = 4096;
    /** The most bytes a reply may have: a snapshot page stops adding subscribers before this. */
    static final int MAX_REPLY = 65536;
    /** Descriptors an ATTACH reply carries: the ring and the control memory. */
    static final int ATTACH_FDS = 2;

    /** The requests. */
    enum Op {
        /** Checks versions; the broker says who it is. */
        HELLO,
        CREATE,
        ATTACH,
        DETACH,
        DESTROY,
        /** The ids of every channel. */
        LIST,
        /** One channel's snapshot, a page of subscribers at a time. */
        SNAPSHOT,
        /** A subscriber's completion loop says where MSG_RING reaches it (or, with fd -1, no longer). */
        PUBLISH_RING,
        /** A waker asks where a subscriber's ring is: a pidfd of its process travels with the answer. */
        FIND_RING;

        static Op of(int code) {
            Op[] all = values();
            if (code < 0 || code >= all.length) {
                throw Wire.malformed("it asks for operation " + code + ", which this broker does not know");
            }
            return all[code];
        }
    }

    sealed interface Request permits Hello, Create, Attach, Detach, Destroy, ListChannels, Snapshot, PublishRing,
            FindRing {
    }

    record Hello(int version) implements Request {
    }

    record Create(int flags, int entries, int maxMessageSize, int permissions, long key, int maxSubscribers)
            implements Request {
    }

    /** By key if {@code key} is not 0, else by id. */
    record Attach(int id, long key, Access access) implements Request {
    }

    record Detach(int channelId, int subscriberId) implements Request {
    }

    /** By key if {@code key} is not 0, else by id; only that incarnation unless it is 0. */
    record Destroy(int id, long key, long incarnation) implements Request {
    }

    record ListChannels() implements Request {
    }

    /** By key if {@code key} is not 0, else by id; subscribers from row {@code fromRow}. */
    record Snapshot(int id, long key, int fromRow) implements Request {
    }

    /** Subscriber {@code subscriberId}'s loop can be reached through its descriptor {@code ringFd} (-1: withdrawn). */
    record PublishRing(int channelId, int subscriberId, int ringFd, long token) implements Request {
    }

    /** Where MSG_RING reaches subscriber {@code subscriberId}, asked by a member of the same channel. */
    record FindRing(int channelId, int subscriberId) implements Request {
    }

    static byte[] encode(Request request) {
        Wire.Writer w = new Wire.Writer().i32(MAGIC).i32(VERSION);
        switch (request) {
            case Hello r -> w.i32(Op.HELLO.ordinal()).i32(r.version());
            case Create r -> w.i32(Op.CREATE.ordinal()).i32(r.flags()).i32(r.entries()).i32(r.maxMessageSize())
                    .i32(r.permissions()).i64(r.key()).i32(r.maxSubscribers());
            case Attach r -> w.i32(Op.ATTACH.ordinal()).i32(r.id()).i64(r.key()).i32(r.access().bits());
            case Detach r -> w.i32(Op.DETACH.ordinal()).i32(r.channelId()).i32(r.subscriberId());
            case Destroy r -> w.i32(Op.DESTROY.ordinal()).i32(r.id()).i64(r.key()).i64(r.incarnation());
            case ListChannels r -> w.i32(Op.LIST.ordinal());
            case Snapshot r -> w.i32(Op.SNAPSHOT.ordinal()).i32(r.id()).i64(r.key()).i32(r.fromRow());
            case PublishRing r -> w.i32(Op.PUBLISH_RING.ordinal()).i32(r.channelId()).i32(r.subscriberId())
                    .i32(r.ringFd()).i64(r.token());
            case FindRing r -> w.i32(Op.FIND_RING.ordinal()).i32(r.channelId()).i32(r.subscriberId());
        }
        return w.toBytes();
    }

    static Request decode(byte[] message) {
        Wire.Reader r = new Wire.Reader(message);
        if (r.i32() != MAGIC) {
            throw Wire.malformed("it does not start with UIPC; is something other than uipc connected?");
        }
        int version = r.i32();
        if (version != VERSION) {
            throw new ChannelException(Errno.EPROTO, "the client speaks broker protocol version " + version
                    + " and this broker version " + VERSION + "; use the same uipc for both");
        }
        Request request = switch (Op.of(r.i32())) {
            case HELLO -> new Hello(r.i32());
            case CREATE -> new Create(r.i32(), r.i32(), r.i32(), r.i32(), r.i64(), r.i32());
            case ATTACH -> {
                int id = r.i32();
                long key = r.i64();
                int bits = r.i32();
                Access access = Access.ofBits(bits);
                if (access == null || bits != access.bits()) {
                    throw new ChannelException(Errno.EINVAL, "access bits " + bits + " are none of SEND (1), RECV (2), "
                            + "BOTH (3)");
                }
                yield new Attach(id, key, access);
            }
            case DETACH -> new Detach(r.i32(), r.i32());
            case DESTROY -> new Destroy(r.i32(), r.i64(), r.i64());
            case LIST -> new ListChannels();
            case SNAPSHOT -> new Snapshot(r.i32(), r.i64(), r.i32());
            case PUBLISH_RING -> new PublishRing(r.i32(), r.i32(), r.i32(), r.i64());
            case FIND_RING -> new FindRing(r.i32(), r.i32());
        };
        r.end();
        return request;
    }

    // --- replies ----------------------------------------------------------------------------------

    /** The start of a successful reply. */
    static Wire.Writer ok() {
        return new Wire.Writer().i32(0);
    }

    /** A failed request's reply: the errno and the sentence. */
    static byte[] failure(ChannelException e) {
        String message = e.getMessage();
        String prefix = e.errno().name() + ": ";
        return new Wire.Writer().i32(-e.errno().number())
                .string(message.startsWith(prefix) ? message.substring(prefix.length()) : message).toBytes();
    }

    /**
     * Reads a reply's status; on failure throws what the broker said, as the ChannelException
     * it was on the broker's side.
     */
    static Wire.Reader open(byte[] reply) {
        Wire.Reader r = new Wire.Reader(reply);
        int status = r.i32();
        if (status != 0) {
            Errno errno = Errno.of(-status);
            if (errno == null) {
                throw Wire.malformed("its status " + status + " is no errno");
            }
            throw new ChannelException(errno, r.string());
        }
        return r;
    }

    /** What the broker says about itself. */
    record BrokerInfo(int version, int pid, int uid, boolean system, String uipcVersion) {
    }

    static byte[] helloReply(BrokerInfo info) {
        return ok().i32(info.version()).i32(info.pid()).i32(info.uid()).bool(info.system())
                .string(info.uipcVersion()).toBytes();
    }

    static BrokerInfo readHello(byte[] reply) {
        Wire.Reader r = open(reply);
        BrokerInfo info = new BrokerInfo(r.i32(), r.i32(), r.i32(), r.bool(), r.string());
        r.end();
        return info;
    }

    /** A created channel. */
    record Created(int id, long incarnation) {
    }

    static byte[] createReply(Created created) {
        return ok().i32(created.id()).i64(created.incarnation()).toBytes();
    }

    static Created readCreate(byte[] reply) {
        Wire.Reader r = open(reply);
        Created created = new Created(r.i32(), r.i64());
        r.end();
        return created;
    }

    /** A subscriber the broker made: the ring and control memory travel beside this as descriptors. */
    record Attached(int channelId, int subscriberId, int index, boolean ringWritable) {
    }

    static byte[] attachReply(Attached a) {
        return ok().i32(a.channelId()).i32(a.subscriberId()).i32(a.index()).bool(a.ringWritable()).toBytes();
    }

    static Attached readAttach(byte[] reply) {
        Wire.Reader r = open(reply);
        Attached attached = new Attached(r.i32(), r.i32(), r.i32(), r.bool());
        r.end();
        return attached;
    }

    static byte[] done() {
        return ok().toBytes();
    }

    static void readDone(byte[] reply) {
        open(reply).end();
    }

    static byte[] listReply(int[] ids) {
        Wire.Writer w = ok().i32(ids.length);
        for (int id : ids) {
            w.i32(id);
        }
        return w.toBytes();
    }

    static int[] readList(byte[] reply) {
        Wire.Reader r = open(reply);
        int[] ids = new int[r.count(4)];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = r.i32();
        }
        r.end();
        return ids;
    }

    /** A publication of a subscriber's ring: its number (0: withdrawn). */
    static byte[] publishRingReply(int publication) {
        return ok().i32(publication).toBytes();
    }

    static int readPublishRing(byte[] reply) {
        Wire.Reader r = open(reply);
        int publication = r.i32();
        r.end();
        return publication;
    }

    /** Where a subscriber's ring is: a pidfd of its process travels beside this as a descriptor. */
    record RingFound(int publication, int ringFd, long token) {
    }

    static byte[] findRingReply(RingFound found) {
        return ok().i32(found.publication()).i32(found.ringFd()).i64(found.token()).toBytes();
    }

    static RingFound readFindRing(byte[] reply) {
        Wire.Reader r = open(reply);
        RingFound found = new RingFound(r.i32(), r.i32(), r.i64());
        r.end();
        return found;
    }

    /** A page of a snapshot: the channel, some of its subscribers, and the row to ask from next (-1: none). */
    record SnapshotPage(ChannelSnapshot snapshot, int nextRow) {
    }

    /** Encodes a snapshot's channel fields, then subscribers while the reply stays under {@link #MAX_REPLY}. */
    static byte[] snapshotReply(ChannelSnapshot c, int[] rows, int fromRow) {
        Wire.Writer w = ok().i32(c.id()).i64(c.key()).i32(c.mode().ordinal()).i32(c.entries()).i32(c.maxMessageSize())
                .i32(c.maxSubscribers()).i32(c.permissions()).i32(c.ownerUid()).i32(c.ownerGid()).i32(c.creatorPid())
                .bool(c.creatorAlive()).bool(c.persistent()).bool(c.isPrivate()).bool(c.destroyed())
                .i64(c.createdMillis()).i64(c.tail()).i64(c.head()).i64(c.queued());
        ChannelSnapshot.Counters k = c.counters();
        w.i64(k.full()).i64(k.wakes()).i64(k.redelivered()).i64(k.dropped()).i64(k.skipped()).i64(k.reaped())
                .i64(k.lapped());
        List<ChannelSnapshot.SubscriberSnapshot> subs = c.subscribers();
        int first = 0;
        while (first < subs.size() && rows[first] < fromRow) {
            first++;
        }
        int n = 0;
        int budget = MAX_REPLY - w.length() - 16;
        while (first + n < subs.size() && (n + 1) * SUBSCRIBER_MAX_BYTES <= budget) {
            n++;
        }
        w.i32(n);
        for (int i = first; i < first + n; i++) {
            ChannelSnapshot.SubscriberSnapshot s = subs.get(i);
            w.i32(s.id()).i32(s.pid()).i32(s.uid()).i32(s.access() == null ? 0 : s.access().bits()).i64(s.position())
                    .i64(s.lag()).bool(s.waiting()).i64(s.sent()).i64(s.received()).bool(s.alive())
                    .i64(s.attachedMillis()).bool(s.ringDoorbell()).string(refusalText(s.ringRefusal()))
                    .i64(s.ringWakes());
        }
        w.i32(first + n < subs.size() ? rows[first + n] : -1);
        return w.toBytes();
    }

    /** A subscriber's fewest bytes in a snapshot (no refusal), and its most (an errno's name of up to 32). */
    private static final int SUBSCRIBER_BYTES = 4 * 4 + 8 * 6 + 3 + 2;
    private static final int SUBSCRIBER_MAX_BYTES = SUBSCRIBER_BYTES + 32;

    private static String refusalText(String refusal) {
        return refusal == null ? "" : refusal.length() > 32 ? refusal.substring(0, 32) : refusal;
    }

    private static String emptyToNull(String s) {
        return s.isEmpty() ? null : s;
    }

    static SnapshotPage readSnapshot(byte[] reply) {
        Wire.Reader r = open(reply);
        int id = r.i32();
        long key = r.i64();
        int modeOrdinal = r.i32();
        if (modeOrdinal < 0 || modeOrdinal >= Mode.values().length) {
            throw Wire.malformed("mode " + modeOrdinal + " is unknown");
        }
        Mode mode = Mode.values()[modeOrdinal];
        int entries = r.i32();
        int maxMessageSize = r.i32();
        int maxSubscribers = r.i32();
        int permissions = r.i32();
        int ownerUid = r.i32();
        int ownerGid = r.i32();
        int creatorPid = r.i32();
        boolean creatorAlive = r.bool();
        boolean persistent = r.bool();
        boolean isPrivate = r.bool();
        boolean destroyed = r.bool();
        long createdMillis = r.i64();
        long tail = r.i64();
        long head = r.i64();
        long queued = r.i64();
        ChannelSnapshot.Counters counters = new ChannelSnapshot.Counters(r.i64(), r.i64(), r.i64(), r.i64(), r.i64(),
                r.i64(), r.i64());
        int n = r.count(SUBSCRIBER_BYTES);
        List<ChannelSnapshot.SubscriberSnapshot> subs = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            subs.add(new ChannelSnapshot.SubscriberSnapshot(r.i32(), r.i32(), r.i32(), Access.ofBits(r.i32()), r.i64(),
                    r.i64(), r.bool(), r.i64(), r.i64(), r.bool(), r.i64(), r.bool(), emptyToNull(r.string()), r.i64()));
        }
        int nextRow = r.i32();
        r.end();
        return new SnapshotPage(new ChannelSnapshot(id, key, mode, entries, maxMessageSize, maxSubscribers, permissions,
                ownerUid, ownerGid, creatorPid, creatorAlive, persistent, isPrivate, destroyed, createdMillis, tail, head,
                queued, List.copyOf(subs), counters), nextRow);
    }
}
