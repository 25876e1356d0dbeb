package dev.uipc.cli;

import dev.uipc.channel.ChannelSnapshot;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/** How {@code uipc ls}, {@code stat} and {@code demo} show channels: aligned tables, or JSON. */
final class SnapshotText {
    private SnapshotText() {
    }

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneId.systemDefault());

    static String lsTable(List<ChannelSnapshot> channels, Path broker) {
        if (channels.isEmpty()) {
            return "no channels (broker at " + broker + ")\n";
        }
        StringBuilder s = new StringBuilder(String.format("%-6s %-18s %-9s %7s %8s %-9s %-10s %4s %7s%n",
                "ID", "KEY", "MODE", "ENTRIES", "MAXSIZE", "PERM", "OWNER", "SUBS", "QUEUED"));
        for (ChannelSnapshot c : channels) {
            s.append(String.format("%-6d %-18s %-9s %7d %8d %-9s %-10s %4d %7d%n", c.id(), key(c.key()), mode(c),
                    c.entries(), c.maxMessageSize(), c.permissionsText(), owner(c.ownerUid()),
                    c.subscribers().size(), c.queued()));
        }
        return s.toString();
    }

    /**
     * The doorbell column, explained when a subscriber's ring could not be used by some peer:
     * see {@link ChannelSnapshot.SubscriberSnapshot#doorbell()}.
     */
    static final String RING_LEGEND = "'ring*': woken through its completion loop's io_uring (MSG_RING), except by "
            + "peers the kernel did not let take that ring, which rang its futex instead (";

    /** The marker after a pid, explained: see {@link ChannelSnapshot.SubscriberSnapshot#alive()}. */
    static final String GONE_LEGEND = "'!' after a pid: that process has gone and the broker is still judging the "
            + "claim it left, after which its row is freed";
    /** A position of "-", explained. */
    static final String SENDER_LEGEND = "'-' as a position: the subscriber only sends";

    /** A time as the tables show it, in this machine's zone. */
    static String time(Instant instant) {
        return TIME.format(instant);
    }

    static String statText(ChannelSnapshot c, Path broker) {
        StringBuilder s = new StringBuilder();
        s.append(String.format("channel %d%s: %s, %d entries of up to %d bytes, permissions %s, owner %s%n", c.id(),
                c.key() == 0 ? "" : " (key " + key(c.key()) + ")", mode(c), c.entries(), c.maxMessageSize(),
                c.permissionsText(), owner(c.ownerUid())));
        s.append(String.format("  created %s by pid %d (%s)%s%s%n", TIME.format(Instant.ofEpochMilli(c.createdMillis())),
                c.creatorPid(), c.creatorAlive() ? "running" : "exited", c.persistent() ? ", persistent" : "",
                c.destroyed() ? ", DESTROYED" : ""));
        s.append(String.format("  positions: tail %d, head %d, queued %d (broker at %s)%n", c.tail(), c.head(),
                c.queued(), broker));
        s.append(String.format("  subscribers: %d of %d%n", c.subscribers().size(), c.maxSubscribers()));
        if (!c.subscribers().isEmpty()) {
            s.append(String.format("    %-8s %-8s %-6s %-6s %9s %6s %-7s %-8s %9s %9s%n", "ID", "PID", "UID", "ACCESS",
                    "POSITION", "LAG", "WAITING", "DOORBELL", "SENT", "RECEIVED"));
            for (ChannelSnapshot.SubscriberSnapshot sub : c.subscribers()) {
                s.append(String.format("    %-8d %-8s %-6d %-6s %9s %6d %-7s %-8s %9d %9d%n", sub.id(),
                        sub.pid() + (sub.alive() ? "" : "!"), sub.uid(), sub.access(),
                        sub.position() < 0 ? "-" : Long.toString(sub.position()), sub.lag(), sub.waiting() ? "yes" : "no",
                        !sub.ringDoorbell() ? "futex" : sub.ringRefusal() == null ? "ring" : "ring*", sub.sent(),
                        sub.received()));
            }
            // A legend for the markers shown, so that nobody has to guess.
            if (c.subscribers().stream().anyMatch(sub -> !sub.alive())) {
                s.append("    ").append(GONE_LEGEND).append('\n');
            }
            if (c.subscribers().stream().anyMatch(sub -> sub.position() < 0)) {
                s.append("    ").append(SENDER_LEGEND).append('\n');
            }
            java.util.Set<String> refusals = new java.util.TreeSet<>();
            c.subscribers().stream().filter(sub -> sub.ringDoorbell() && sub.ringRefusal() != null)
                    .forEach(sub -> refusals.add(sub.ringRefusal()));
            if (!refusals.isEmpty()) {
                s.append("    ").append(RING_LEGEND).append(String.join(", ", refusals)).append(")\n");
            }
        }
        ChannelSnapshot.Counters k = c.counters();
        s.append(String.format("  counters: full %d, wakes %d, redelivered %d, dropped %d, skipped %d, reaped %d, "
                + "lapped %d%n", k.full(), k.wakes(), k.redelivered(), k.dropped(), k.skipped(), k.reaped(), k.lapped()));
        return s.toString();
    }

    /**
     * Writes one channel as the object {@code docs/JSON.md} calls CHANNEL: the same members in the
     * same order wherever a channel appears ({@code create}, {@code ls}, {@code stat}).
     */
    static Json channel(Json j, ChannelSnapshot c) {
        j.beginObject();
        j.field("id", c.id());
        j.field("key", c.key() == 0 ? null : key(c.key())).field("mode", mode(c)).field("entries", c.entries())
                .field("maxSize", c.maxMessageSize()).field("maxSubscribers", c.maxSubscribers())
                .field("permissions", String.format("%04o", c.permissions())).field("ownerUid", c.ownerUid())
                .field("ownerGid", c.ownerGid()).field("creatorPid", c.creatorPid()).field("creatorAlive", c.creatorAlive())
                .field("persistent", c.persistent()).field("private", c.isPrivate()).field("destroyed", c.destroyed())
                .field("createdMillis", c.createdMillis()).field("tail", c.tail()).field("head", c.head())
                .field("queued", c.queued());
        j.name("subscribers").beginArray();
        for (ChannelSnapshot.SubscriberSnapshot sub : c.subscribers()) {
            j.beginObject().field("id", sub.id()).field("pid", sub.pid()).field("uid", sub.uid())
                    .field("access", sub.access() == null ? null : sub.access().name().toLowerCase(Locale.ROOT));
            if (sub.position() < 0) {
                j.field("position", (String) null);           // it only sends: no receive position
            } else {
                j.field("position", sub.position());
            }
            j.field("lag", sub.lag()).field("waiting", sub.waiting())
                    .field("sent", sub.sent()).field("received", sub.received()).field("alive", sub.alive())
                    .field("attachedMillis", sub.attachedMillis()).field("ringDoorbell", sub.ringDoorbell())
                    .field("ringRefusal", sub.ringRefusal()).field("ringWakes", sub.ringWakes()).endObject();
        }
        j.endArray();
        ChannelSnapshot.Counters k = c.counters();
        j.name("counters").beginObject().field("full", k.full()).field("wakes", k.wakes())
                .field("redelivered", k.redelivered()).field("dropped", k.dropped()).field("skipped", k.skipped())
                .field("reaped", k.reaped()).field("lapped", k.lapped()).endObject();
        return j.endObject();
    }

    static String mode(ChannelSnapshot c) {
        return c.mode().name().toLowerCase(Locale.ROOT);
    }

    static String key(long key) {
        return key == 0 ? "-" : "0x" + Long.toHexString(key);
    }

    /** User names by uid, from /etc/passwd: read once, as {@code ls -l} would show owners. */
    private static final java.util.Map<Integer, String> USERS = users();

    private static java.util.Map<Integer, String> users() {
        java.util.Map<Integer, String> users = new java.util.HashMap<>();
        try {
            for (String line : Files.readAllLines(Path.of("/etc/passwd"))) {
                String[] f = line.split(":");
                if (f.length > 2 && f[2].matches("\\d+")) {
                    users.putIfAbsent(Integer.parseInt(f[2]), f[0]);
                }
            }
        } catch (java.io.IOException | RuntimeException e) {
            // no names: uids it is
        }
        return users;
    }

    /** The owner's name if the system knows it, else the uid. */
    static String owner(int uid) {
        return USERS.getOrDefault(uid, Integer.toString(uid));
    }
}
