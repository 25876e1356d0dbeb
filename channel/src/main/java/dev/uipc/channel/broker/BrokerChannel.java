package dev.uipc.channel.broker;

import dev.uipc.channel.ChannelException;
import dev.uipc.channel.delivery.DeliveryMode;
import dev.uipc.channel.delivery.Recovery;
import dev.uipc.channel.layout.ChannelGeometry;
import dev.uipc.channel.memory.ChannelFormat;
import dev.uipc.channel.memory.ChannelHeader;
import dev.uipc.channel.memory.ChannelMemory;
import dev.uipc.channel.waiting.Doorbells;
import dev.uipc.uring.Errno;
import dev.uipc.uring.ErrnoException;
import dev.uipc.uring.linux.MemFd;
import dev.uipc.uring.linux.OwnedFd;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.HashMap;
import java.util.Map;

/**
 * A channel as the broker holds it: its ring and control memory as sealed memfds, mapped
 * read-write here so that the broker can join, reap and destroy by the protocol's rules, plus
 * a read-only descriptor of the ring for receive-only subscribers. The memory lives while any
 * process holds a descriptor or a mapping of it, so a destroyed channel can still be drained.
 */
final class BrokerChannel implements AutoCloseable {
    /** Seals that keep every mapping valid for as long as it lives: no holder can change the size. */
    static final int SEALS = MemFd.SEAL_SHRINK | MemFd.SEAL_GROW | MemFd.SEAL_SEAL;

    final ChannelHeader header;
    final ChannelMemory memory;
    final DeliveryMode mode;
    final Recovery recovery;
    final Doorbells doorbells;
    private final OwnedFd ring;
    private final OwnedFd ringReadOnly;
    private final OwnedFd ctl;
    /** The connection that created it: it dies with that connection unless persistent. */
    final Connection creator;
    boolean destroyed;
    /** Rows held by subscribers (attached, or leaving with a claim still to judge). */
    int subscribers;
    /** Where MSG_RING reaches subscribers whose completion loops published a ring, by subscriber id. */
    final Map<Integer, PublishedRing> rings = new HashMap<>();
    private int lastPublication;

    /** A subscriber's ring: the connection of its process, the descriptor number there, the token to post. */
    record PublishedRing(int publication, Connection owner, int ringFd, long token) {
    }

    /** A new publication number: never 0, which says none. */
    int nextPublication() {
        lastPublication = lastPublication == Integer.MAX_VALUE ? 1 : lastPublication + 1;
        return lastPublication;
    }

    private BrokerChannel(ChannelHeader header, ChannelMemory memory, OwnedFd ring, OwnedFd ringReadOnly, OwnedFd ctl,
                          Connection creator) {
        this.header = header;
        this.memory = memory;
        this.mode = DeliveryMode.of(memory);
        this.recovery = new Recovery(mode);
        this.doorbells = mode.doorbells();
        this.ring = ring;
        this.ringReadOnly = ringReadOnly;
        this.ctl = ctl;
        this.creator = creator;
    }

    /**
     * Makes the channel's memory: each memfd allocated in full (a lack of memory is an error
     * now, never a SIGBUS later), formatted, mode 0600 (no other user can reopen a descriptor of
     * it for more access), sealed against any change of size, and mapped here.
     *
     * @throws ChannelException ENOSPC (or ENOMEM) if the memory cannot be had
     */
    static BrokerChannel create(ChannelHeader header, Connection creator) {
        ChannelGeometry g = header.geometry();
        Arena arena = Arena.ofShared();
        OwnedFd ring = null;
        OwnedFd ringReadOnly = null;
        OwnedFd ctl = null;
        try {
            ring = memory("uipc-" + header.id() + "-ring", ChannelFormat.ringLength(g), header);
            ctl = memory("uipc-" + header.id() + "-ctl", ChannelFormat.controlLength(g), header);
            MemorySegment ringSegment = MemFd.mapReadWrite(ring.value(), ChannelFormat.ringLength(g), arena);
            MemorySegment ctlSegment = MemFd.mapReadWrite(ctl.value(), ChannelFormat.controlLength(g), arena);
            ChannelFormat.write(ringSegment, ctlSegment, header);
            MemFd.addSeals(ring.value(), SEALS);
            MemFd.addSeals(ctl.value(), SEALS);
            ringReadOnly = MemFd.reopen(ring.value(), dev.uipc.uring.linux.OwnedFd.O_RDONLY);
            ChannelMemory memory = ChannelFormat.validate(header.id(), ringSegment, ctlSegment, arena);
            return new BrokerChannel(header, memory, ring, ringReadOnly, ctl, creator);
        } catch (RuntimeException | Error e) {
            closeQuietly(ring);
            closeQuietly(ringReadOnly);
            closeQuietly(ctl);
            arena.close();
            throw e;
        }
    }

    private static OwnedFd memory(String name, long size, ChannelHeader header) {
        OwnedFd fd = MemFd.create(name);
        try {
            MemFd.allocate(fd.value(), size);
            MemFd.chmod(fd.value(), 0600);
            return fd;
        } catch (ErrnoException e) {
            fd.close();
            if (e.error() == Errno.ENOSPC || e.error() == Errno.ENOMEM) {
                throw new ChannelException(Errno.ENOSPC, "no memory for channel " + header.id() + ": its "
                        + size + " bytes could not be allocated (" + e.getMessage() + "); create it with fewer "
                        + "entries or a smaller maximum message size, or free memory", e);
            }
            throw new ChannelException(e.error(), "cannot make memory for channel " + header.id() + ": "
                    + e.getMessage(), e);
        }
    }

    private static void closeQuietly(OwnedFd fd) {
        if (fd != null) {
            fd.close();
        }
    }

    int id() {
        return header.id();
    }

    /** The descriptors an attaching subscriber gets: the ring (read-only unless it may send) and the control memory. */
    int[] descriptorsFor(boolean send) {
        return new int[] {send ? ring.value() : ringReadOnly.value(), ctl.value()};
    }

    boolean persistent() {
        return header.isPersistent();
    }

    /** Destroys it: no new attach, no new message; everyone parked is woken to find out. */
    void destroy() {
        if (!destroyed) {
            destroyed = true;
            memory.control().markDestroyedRelease();
            doorbells.wakeEveryone();
        }
    }

    /** Lets go of the memory: unmaps it here and closes the broker's descriptors. */
    @Override
    public void close() {
        closeQuietly(ring);
        closeQuietly(ringReadOnly);
        closeQuietly(ctl);
        memory.close();
    }

    @Override
    public String toString() {
        return "channel " + header.id() + (header.key() != 0 ? " (key 0x" + Long.toHexString(header.key()) + ")" : "");
    }
}
