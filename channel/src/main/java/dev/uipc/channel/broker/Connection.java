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
    /** A pidfd of the client's process, taken when it first publishes a ring; closed with the connection. */
    OwnedFd process;

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

    /** The channel {@code channelId} if this connection holds a subscriber of it (destroyed or not), else null. */
    BrokerChannel memberOf(int channelId) {
        for (Membership m : memberships) {
            if (m.channel().id() == channelId) {
                return m.channel();
            }
        }
        return null;
    }

    /** This connection's membership with {@code subscriberId} of channel {@code channelId}, or null. */
    Membership membership(int channelId, int subscriberId) {
        for (Membership m : memberships) {
            if (m.channel().id() == channelId && m.subscriberId() == subscriberId) {
                return m;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return "connection " + token + " (" + credentials + ")";
    }
}
