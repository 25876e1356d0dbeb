package dev.uipc.channel;

import java.util.List;

/**
 * A snapshot of one channel, as {@code uipc ls} and {@code uipc stat} show it: taken by the
 * broker, which maps every channel, so anyone may look without attaching. Values may be a
 * moment old.
 *
 * @param id             the channel's id
 * @param key            its key, 0 for none
 * @param mode           how it delivers
 * @param entries        slots in its ring
 * @param maxMessageSize its largest message, in bytes
 * @param maxSubscribers rows in its subscriber table
 * @param permissions    its permission bits (receive = read, send = write), masked with 0666
 * @param ownerUid       its creator's effective uid: the owner, who may destroy it
 * @param ownerGid       its creator's effective gid, for the group bits
 * @param creatorPid     its creator's pid, in the broker's pid namespace
 * @param persistent     whether it outlives its creator, until destroyed
 * @param isPrivate      the PRIVATE flag, as created
 * @param destroyed      whether it was destroyed (attached receivers may still drain it)
 * @param createdMillis  when it was created, in milliseconds since the Unix epoch
 * @param counters       its event counters
 * @param tail        the next position producers will claim: every message ever sent
 * @param head        unicast and multicast: below it everything is finished; broadcast: the
 *                    slowest receiver's cursor
 * @param queued      messages sent and not yet received (broadcast: by the slowest receiver)
 * @param creatorAlive whether the creating process is still connected to the broker
 * @param subscribers  the attached subscribers, in row order
 */
public record ChannelSnapshot(int id, long key, Mode mode, int entries, int maxMessageSize, int maxSubscribers,
                            int permissions, int ownerUid, int ownerGid, int creatorPid, boolean creatorAlive,
                            boolean persistent, boolean isPrivate, boolean destroyed, long createdMillis, long tail,
                            long head, long queued, List<SubscriberSnapshot> subscribers, Counters counters) {

    /**
     * The permissions as {@code ls -l} shows a mode.
     *
     * @return such as {@code rw-r-----} for 0640
     */
    public String permissionsText() {
        StringBuilder s = new StringBuilder(9);
        for (int shift = 6; shift >= 0; shift -= 3) {
            int bits = (permissions >> shift) & 7;
            s.append((bits & 4) != 0 ? 'r' : '-').append((bits & 2) != 0 ? 'w' : '-').append((bits & 1) != 0 ? 'x' : '-');
        }
        return s.toString();
    }

    /**
     * One attached subscriber, as the broker wrote its row from the kernel's credentials.
     *
     * @param id       its subscriber id
     * @param pid      its process, as the kernel told the broker
     * @param uid      its process's effective uid, as the kernel told the broker
     * @param access   what it may do
     * @param position broadcast: its cursor; unicast and multicast: where its next search starts
     * @param lag      broadcast: messages it has yet to read; unicast and multicast: 0
     * @param waiting  whether it is asleep on its doorbell now
     * @param alive    whether its process is still connected to the broker (false only while a
     *                 dead producer's unfinished claim waits to be judged)
     * @param sent     messages it has sent
     * @param received messages it has received
     * @param attachedMillis when it attached, in milliseconds since the Unix epoch
     * @param ringDoorbell whether its completion loop published a ring, so that peers may wake it
     *                 by MSG_RING rather than by futex
     * @param ringRefusal  the error a peer last met reaching that ring, such as {@code EPERM}
     *                 (another user may not take it), after which that peer woke it by futex;
     *                 null if none did
     * @param ringWakes    wakes that reached it by MSG_RING
     */
    public record SubscriberSnapshot(int id, int pid, int uid, Access access, long position, long lag, boolean waiting,
                                   long sent, long received, boolean alive, long attachedMillis, boolean ringDoorbell,
                                   String ringRefusal, long ringWakes) {
        /**
         * How it is woken, for people.
         *
         * @return {@code futex}, {@code ring}, or {@code ring (futex for some: EPERM)}
         */
        public String doorbell() {
            if (!ringDoorbell) {
                return "futex";
            }
            return ringRefusal == null ? "ring" : "ring (futex for some: " + ringRefusal + ")";
        }
    }

    /**
     * The channel's event counters, from its control memory, each counting since the channel
     * was created.
     *
     * @param full        looks by a sender that found the ring full
     * @param wakes       futex wakes issued to sleeping subscribers
     * @param redelivered messages offered again because the receiver that had taken them left
     * @param dropped     targeted messages dropped because their target left first
     * @param skipped     slots skipped: claimed by a producer that departed, or aborted
     * @param reaped      subscribers removed because their process died
     * @param lapped      broadcast messages a receiver found overwritten (only tampering does it)
     */
    public record Counters(long full, long wakes, long redelivered, long dropped, long skipped, long reaped,
                           long lapped) {
    }
}
