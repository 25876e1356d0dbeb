package dev.uipc.channel.broker;

import dev.uipc.channel.Access;
import dev.uipc.channel.ChannelException;
import dev.uipc.channel.ChannelSnapshot;
import dev.uipc.channel.memory.ChannelFormat;
import dev.uipc.channel.memory.ChannelMemory;
import dev.uipc.channel.waiting.RingDirectory;
import dev.uipc.uring.Errno;
import dev.uipc.uring.linux.FileStatus;
import dev.uipc.uring.linux.MemFd;
import dev.uipc.uring.linux.OwnedFd;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * The client's side of each request: encode it, ask, decode the answer. An attach maps the
 * memory the broker passed — after checking that it is sealed against any change of size, so
 * that no holder can ever make the mapping fault — and validates it like any channel memory.
 */
public final class Requests {
    /** The client library's logger: events in this process that a user may want to know of. */
    private static final System.Logger LOG = System.getLogger("dev.uipc.channel");

    private Requests() {
    }

    /** A created channel. */
    public record Created(int id, long incarnation) {
    }

    /** What an attach gives: the channel's memory, mapped, and the subscriber's id and row. */
    public record Attachment(ChannelMemory memory, int subscriberId, int index) {
    }

    public static Created create(BrokerClient client, int flags, int entries, int maxMessageSize, int permissions, long key,
                                 int maxSubscribers) {
        BrokerProtocol.Created c = BrokerProtocol.readCreate(client.call(new BrokerProtocol.Create(flags, entries,
                maxMessageSize, permissions, key, maxSubscribers), 0).data());
        return new Created(c.id(), c.incarnation());
    }

    public static Attachment attach(BrokerClient client, int id, long key, Access access) {
        BrokerClient.Reply reply = client.call(new BrokerProtocol.Attach(id, key, access), BrokerProtocol.ATTACH_FDS);
        OwnedFd[] fds = reply.fds();
        try {
            BrokerProtocol.Attached a = BrokerProtocol.readAttach(reply.data());
            if (fds.length != BrokerProtocol.ATTACH_FDS) {
                throw Wire.malformed("an attach reply carried " + fds.length + " descriptors, not "
                        + BrokerProtocol.ATTACH_FDS);
            }
            Arena arena = Arena.ofShared();
            try {
                MemorySegment ring = map(fds[0], a.ringWritable(), arena, a.channelId(), "ring");
                MemorySegment ctl = map(fds[1], true, arena, a.channelId(), "control memory");
                ChannelMemory memory = ChannelFormat.validate(a.channelId(), ring, ctl, arena);
                return new Attachment(memory, a.subscriberId(), a.index());
            } catch (RuntimeException | Error e) {
                arena.close();
                if (e instanceof ChannelException refused) {
                    // Memory that is not a channel, or not sealed: someone tampered with it, or a
                    // fake broker handed it out. The caller gets the exception; operators, this.
                    LOG.log(System.Logger.Level.WARNING, "refused the memory of channel {0} from the {1}: {2}",
                            Integer.toString(a.channelId()), client.address(), refused.getMessage());
                }
                try {
                    detach(client, a.channelId(), a.subscriberId());
                } catch (RuntimeException ignored) {
                    // the failure that matters is the one thrown
                }
                throw e;
            }
        } finally {
            for (OwnedFd fd : fds) {
                fd.close();                              // the mapping outlives the descriptor
            }
        }
    }

    private static MemorySegment map(OwnedFd fd, boolean writable, Arena arena, int channelId, String what) {
        int seals = MemFd.seals(fd.value());
        if ((seals & BrokerChannel.SEALS) != BrokerChannel.SEALS) {
            throw new ChannelException(Errno.EPERM, "the broker passed channel " + channelId + "'s " + what
                    + " unsealed (seals 0x" + Integer.toHexString(seals) + "): a holder could shrink it and crash every "
                    + "process mapping it, so it is not mapped");
        }
        long size = FileStatus.of(fd.value()).size();
        return writable ? MemFd.mapReadWrite(fd.value(), size, arena) : MemFd.mapReadOnly(fd.value(), size, arena);
    }

    public static void detach(BrokerClient client, int channelId, int subscriberId) {
        BrokerProtocol.readDone(client.call(new BrokerProtocol.Detach(channelId, subscriberId), 0).data());
    }

    public static void destroy(BrokerClient client, int id, long key, long incarnation) {
        BrokerProtocol.readDone(client.call(new BrokerProtocol.Destroy(id, key, incarnation), 0).data());
    }

    public static int[] list(BrokerClient client) {
        return BrokerProtocol.readList(client.call(new BrokerProtocol.ListChannels(), 0).data());
    }

    /** Publishes (ringFd &ge; 0) or withdraws (-1) where MSG_RING reaches one of this client's subscribers; returns the publication. */
    public static int publishRing(BrokerClient client, int channelId, int subscriberId, int ringFd, long token) {
        return BrokerProtocol.readPublishRing(client.call(new BrokerProtocol.PublishRing(channelId, subscriberId, ringFd,
                token), 0).data());
    }

    /**
     * Where MSG_RING reaches subscriber {@code subscriberId} of channel {@code channelId}, with a
     * pidfd of its process that the caller owns; null if it has published no ring.
     */
    public static RingDirectory.Published findRing(BrokerClient client, int channelId, int subscriberId) {
        BrokerClient.Reply reply = client.call(new BrokerProtocol.FindRing(channelId, subscriberId), 1);
        OwnedFd[] fds = reply.fds();
        try {
            BrokerProtocol.RingFound found;
            try {
                found = BrokerProtocol.readFindRing(reply.data());
            } catch (ChannelException e) {
                if (e.errno() == Errno.ENOENT && fds.length == 0) {
                    return null;
                }
                throw e;
            }
            if (fds.length != 1) {
                throw Wire.malformed("a ring's whereabouts came with " + fds.length + " descriptors, not 1");
            }
            return new RingDirectory.Published(found.publication(), fds[0], found.ringFd(), found.token());
        } catch (RuntimeException | Error e) {
            for (OwnedFd fd : fds) {
                fd.close();
            }
            throw e;
        }
    }

    /** A whole snapshot, asking page after page until every subscriber is in. */
    public static ChannelSnapshot snapshot(BrokerClient client, int id, long key) {
        BrokerProtocol.SnapshotPage page = BrokerProtocol.readSnapshot(
                client.call(new BrokerProtocol.Snapshot(id, key, 0), 0).data());
        if (page.nextRow() < 0) {
            return page.snapshot();
        }
        ChannelSnapshot first = page.snapshot();
        List<ChannelSnapshot.SubscriberSnapshot> all = new ArrayList<>(first.subscribers());
        while (page.nextRow() >= 0) {
            page = BrokerProtocol.readSnapshot(client.call(new BrokerProtocol.Snapshot(first.id(), 0, page.nextRow()), 0)
                    .data());
            all.addAll(page.snapshot().subscribers());
        }
        return new ChannelSnapshot(first.id(), first.key(), first.mode(), first.entries(), first.maxMessageSize(),
                first.maxSubscribers(), first.permissions(), first.ownerUid(), first.ownerGid(), first.creatorPid(),
                first.creatorAlive(), first.persistent(), first.isPrivate(), first.destroyed(), first.createdMillis(),
                first.tail(), first.head(), first.queued(), List.copyOf(all), first.counters());
    }
}
