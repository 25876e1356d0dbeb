package dev.uipc.channel.waiting;

import dev.uipc.uring.linux.OwnedFd;

/**
 * Where MSG_RING reaches a subscriber's completion loop, as the broker recorded it — never as
 * the subscriber's row says, which any peer could have written ({@code docs/LAYOUT.md} section 5).
 */
@FunctionalInterface
public interface RingDirectory {
    /**
     * What the broker recorded for subscriber {@code subscriberId}: a pidfd of its process (the
     * caller owns it), the ring's descriptor number there, and the token to post.
     *
     * @param publication the number of the record, as the subscriber's row now shows it
     */
    record Published(int publication, OwnedFd process, int ringFd, long token) {
    }

    /**
     * The ring subscriber {@code subscriberId} published, or null if it has none now.
     *
     * @throws dev.uipc.channel.ChannelException if the broker cannot be asked
     */
    Published find(int subscriberId);
}
