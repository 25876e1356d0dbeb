package dev.uipc.channel;

import java.util.List;

/**
 * A snapshot of one channel, as {@code uipc ls} and {@code uipc stat} show it. Read without
 * attaching; values may be a moment old. For a channel whose files this process may not read,
 * only {@link #id()}, {@link #ownerUid()}, {@link #permissions()} and {@link #unreadableReason()}
 * are known.
 *
 * @param tail        the next position producers will claim: every message ever sent
 * @param head        unicast and multicast: below it everything is finished; broadcast: the
 *                    slowest receiver's cursor
 * @param queued      messages sent and not yet received (broadcast: by the slowest receiver)
 * @param creatorAlive whether the creating process still runs
 */
public record ChannelSnapshot(int id, long key, Mode mode, int entries, int maxMessageSize, int maxSubscribers,
                            int permissions, int ownerUid, int ownerGid, int creatorPid, boolean creatorAlive,
                            boolean persistent, boolean isPrivate, boolean destroyed, long createdMillis, long tail,
                            long head, long queued, List<SubscriberSnapshot> subscribers, Counters counters,
                            String unreadableReason) {

    /** Whether the channel's files could be read. */
    public boolean readable() {
        return unreadableReason == null;
    }

    /** The permissions as {@code ls -l} shows a mode: {@code rw-r-----} for 0640. */
    public String permissionsText() {
        return Permissions.describe(permissions);
    }

    /**
     * One attached subscriber.
     *
     * @param position broadcast: its cursor; unicast and multicast: where its next search starts
     * @param lag      broadcast: messages it has yet to read; unicast and multicast: 0
     * @param waiting  whether it is asleep on its doorbell now
     * @param alive    whether its process still runs (a dead one is reaped soon)
     */
    public record SubscriberSnapshot(int id, int pid, int uid, Access access, long position, long lag, boolean waiting,
                                   long sent, long received, boolean alive, long attachedMillis) {
    }

    /** The channel's event counters (control file header). */
    public record Counters(long full, long wakes, long redelivered, long dropped, long skipped, long reaped,
                           long lapped) {
    }
}
