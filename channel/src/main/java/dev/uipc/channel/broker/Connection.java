package dev.uipc.channel.broker;

import dev.uipc.uring.linux.OwnedFd;

import java.util.ArrayList;
import java.util.List;

/**
 * One client's connection to the broker, and everything made through it: when it closes — the
 * client detached everything and left, or its process died — the broker reaps its subscribers
 * and destroys the channels it created that are not persistent.
 */
final class Connection {
    /** A subscriber made through this connection: a row of a channel. */
    record Membership(BrokerChannel channel, int index, int subscriberId) {
    }

    final long token;
    final OwnedFd socket;
    final Credentials credentials;
    final List<Membership> memberships = new ArrayList<>();
    final List<BrokerChannel> created = new ArrayList<>();
    boolean open = true;

    Connection(long token, OwnedFd socket, Credentials credentials) {
        this.token = token;
        this.socket = socket;
        this.credentials = credentials;
    }

    /** Removes and returns this connection's membership of {@code channel} with {@code subscriberId}, or null. */
    Membership leave(int channelId, int subscriberId) {
        for (int i = 0; i < memberships.size(); i++) {
            Membership m = memberships.get(i);
            if (m.channel().id() == channelId && m.subscriberId() == subscriberId) {
                return memberships.remove(i);
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return "connection " + token + " (" + credentials + ")";
    }
}
