package dev.uipc.channel;

import java.util.List;

/**
 * A snapshot of one channel, as {@code uipc ls} and {@code uipc stat} show it: taken by the
 * broker, which maps every channel, so anyone may look without attaching. Values may be a
 * moment old.
 *
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

    /** The permissions as {@code ls -l} shows a mode: {@code rw-r-----} for 0640. */
    public String permissionsText() {
        StringBuilder s = new StringBuilder(9);
        for (int shift = 6; shift >= 0; shift -= 3) {
            int bits = (permissions >> shift) & 7;
            s.append((bits & 4) != 0 ? 'r' : '-').append((bits & 2) != 0 ? 'w' : '-').append((bits & 1) != 0 ? 'x' : '-');
        }
        return s.toString();
    }

    /**
     * One attached subscriber.
     *
     * @param position broadcast: its cursor; unicast and multicast: where its next search starts
     * @param lag      broadcast: messages it has yet to read; unicast and multicast: 0
     * @param waiting  whether it is asleep on its doorbell now
     * @param alive    whether its process is still connected to the broker (false only while a
     *                 dead producer's unfinished claim waits to be judged)
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
        /** How it is woken, for people: {@code futex}, {@code ring}, or {@code ring (futex for some: EPERM)}. */
        public String doorbell() {
            if (!ringDoorbell) {
                return "futex";
            }
            return ringRefusal == null ? "ring" : "ring (futex for some: " + ringRefusal + ")";
        }
    }

    /** The channel's event counters (control memory header). */
    public record Counters(long full, long wakes, long redelivered, long dropped, long skipped, long reaped,
                           long lapped) {
    }
}
