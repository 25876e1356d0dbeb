package dev.uipc.uring.linux;

/**
 * Who is at the other end of a Unix socket, as the kernel recorded it when the connection was
 * made ({@code SO_PEERCRED}): not what the peer claims, so a broker may decide on it.
 *
 * @param pid the peer's process id, in this process's pid namespace (0 if it has none here)
 * @param uid the peer's effective user id when it connected
 * @param gid the peer's effective group id when it connected; its supplementary groups are
 *            {@link Sockets#peerGroups}
 */
public record PeerCredentials(int pid, int uid, int gid) {
}
