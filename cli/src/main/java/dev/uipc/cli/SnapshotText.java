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

    static String lsTable(List<ChannelSnapshot> channels, Path root) {
        if (channels.isEmpty()) {
            return "no channels in " + root + "\n";
        }
        StringBuilder s = new StringBuilder(String.format("%-6s %-18s %-9s %7s %8s %-9s %-10s %4s %7s%n",
                "ID", "KEY", "MODE", "ENTRIES", "MAXSIZE", "PERM", "OWNER", "SUBS", "QUEUED"));
        for (ChannelSnapshot c : channels) {
            if (!c.readable()) {
                s.append(String.format("%-6d %-18s %-9s %7s %8s %-9s %-10s %4s %7s%n", c.id(), "?", "?", "?", "?",
                        c.permissionsText(), owner(c.ownerUid(), root, c.id()), "?", "?"));
                continue;
            }
            s.append(String.format("%-6d %-18s %-9s %7d %8d %-9s %-10s %4d %7d%n", c.id(), key(c.key()), mode(c),
                    c.entries(), c.maxMessageSize(), c.permissionsText(), owner(c.ownerUid(), root, c.id()),
                    c.subscribers().size(), c.queued()));
        }
        return s.toString();
    }

    static String statText(ChannelSnapshot c, Path root) {
        StringBuilder s = new StringBuilder();
        s.append(String.format("channel %d%s: %s, %d entries of up to %d bytes, permissions %s, owner %s%n", c.id(),
                c.key() == 0 ? "" : " (key " + key(c.key()) + ")", mode(c), c.entries(), c.maxMessageSize(),
                c.permissionsText(), owner(c.ownerUid(), root, c.id())));
        s.append(String.format("  created %s by pid %d (%s)%s%s%n", TIME.format(Instant.ofEpochMilli(c.createdMillis())),
                c.creatorPid(), c.creatorAlive() ? "running" : "exited", c.persistent() ? ", persistent" : "",
                c.destroyed() ? ", DESTROYED" : ""));
        s.append(String.format("  positions: tail %d, head %d, queued %d%n", c.tail(), c.head(), c.queued()));
        s.append(String.format("  subscribers: %d of %d%n", c.subscribers().size(), c.maxSubscribers()));
        if (!c.subscribers().isEmpty()) {
            s.append(String.format("    %-8s %-8s %-6s %-6s %9s %6s %-7s %9s %9s%n", "ID", "PID", "UID", "ACCESS",
                    "POSITION", "LAG", "WAITING", "SENT", "RECEIVED"));
            for (ChannelSnapshot.SubscriberSnapshot sub : c.subscribers()) {
                s.append(String.format("    %-8d %-8s %-6d %-6s %9s %6d %-7s %9d %9d%n", sub.id(),
                        sub.pid() + (sub.alive() ? "" : "!"), sub.uid(), sub.access(),
                        sub.position() < 0 ? "-" : Long.toString(sub.position()), sub.lag(), sub.waiting() ? "yes" : "no",
                        sub.sent(), sub.received()));
            }
        }
        ChannelSnapshot.Counters k = c.counters();
        s.append(String.format("  counters: full %d, wakes %d, redelivered %d, dropped %d, skipped %d, reaped %d, "
                + "lapped %d%n", k.full(), k.wakes(), k.redelivered(), k.dropped(), k.skipped(), k.reaped(), k.lapped()));
        return s.toString();
    }

    /** Writes the members of one channel's JSON object into the object {@code j} has begun. */
    static Json fields(Json j, ChannelSnapshot c) {
        j.field("id", c.id());
        if (!c.readable()) {
            return j.field("readable", false).field("reason", c.unreadableReason())
                    .field("permissions", String.format("%04o", c.permissions())).field("ownerUid", c.ownerUid());
        }
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
                    .field("access", String.valueOf(sub.access()).toLowerCase(Locale.ROOT))
                    .field("position", sub.position()).field("lag", sub.lag()).field("waiting", sub.waiting())
                    .field("sent", sub.sent()).field("received", sub.received()).field("alive", sub.alive()).endObject();
        }
        j.endArray();
        ChannelSnapshot.Counters k = c.counters();
        j.name("counters").beginObject().field("full", k.full()).field("wakes", k.wakes())
                .field("redelivered", k.redelivered()).field("dropped", k.dropped()).field("skipped", k.skipped())
                .field("reaped", k.reaped()).field("lapped", k.lapped()).endObject();
        return j;
    }

    static String mode(ChannelSnapshot c) {
        return c.mode().name().toLowerCase(Locale.ROOT);
    }

    static String key(long key) {
        return key == 0 ? "-" : "0x" + Long.toHexString(key);
    }

    /** The owner's name if the system knows it (from the ring file's owner), else the uid. */
    static String owner(int uid, Path root, int id) {
        try {
            String name = Files.getOwner(root.resolve(id + ".ring")).getName();
            return name.isEmpty() ? Integer.toString(uid) : name;
        } catch (Exception e) {
            return Integer.toString(uid);
        }
    }
}
