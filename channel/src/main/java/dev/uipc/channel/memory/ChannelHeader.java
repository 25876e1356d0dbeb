package dev.uipc.channel.memory;

import dev.uipc.channel.layout.ChannelGeometry;
import dev.uipc.channel.layout.RingFileDescriptor;

/**
 * What a channel's ring header says about the channel, written once when it is made and read
 * (and validated) once by each process that maps it: {@code docs/LAYOUT.md}, "Ring file
 * header". Nothing here is read from shared memory again, so a peer that rewrites the header
 * later cannot make another process index past its mapping.
 *
 * @param id               the channel id
 * @param incarnation      random; ties the ring and control memory together
 * @param flags            BROADCAST, MULTICAST, PRIVATE, PERSISTENT ({@link RingFileDescriptor})
 * @param key              the channel's key, 0 for none
 * @param geometry         its sizes and where everything lies
 * @param permissions      receive (read) and send (write) bits per class, masked with 0666
 * @param ownerUid         effective uid of the creator
 * @param ownerGid         effective gid of the creator
 * @param creatorPid       pid of the creator
 * @param creatorStartTime start time of the creator, clock ticks since boot
 * @param createdMillis    creation time, milliseconds since the epoch
 */
public record ChannelHeader(int id, long incarnation, int flags, long key, ChannelGeometry geometry, int permissions,
                            int ownerUid, int ownerGid, int creatorPid, long creatorStartTime, long createdMillis) {

    public boolean isPersistent() {
        return (flags & RingFileDescriptor.PERSISTENT) != 0;
    }

    public boolean isPrivate() {
        return (flags & RingFileDescriptor.PRIVATE) != 0;
    }
}
