package dev.uipc.channel.broker;

import dev.uipc.uring.linux.PeerCredentials;
import dev.uipc.uring.linux.Sockets;

/**
 * Who a connected client is, as the kernel told the broker when it connected: its pid, uid,
 * gid and supplementary groups. Never what the client claims.
 */
record Credentials(int pid, int uid, int gid, int[] groups) {
    static Credentials of(int socket) {
        PeerCredentials peer = Sockets.peerCredentials(socket);
        return new Credentials(peer.pid(), peer.uid(), peer.gid(), Sockets.peerGroups(socket));
    }

    boolean inGroup(int group) {
        if (gid == group) {
            return true;
        }
        for (int g : groups) {
            if (g == group) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return "pid " + pid + " uid " + uid + " gid " + gid;
    }
}
