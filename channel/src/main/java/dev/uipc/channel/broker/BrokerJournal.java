package dev.uipc.channel.broker;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Collection;
import java.util.List;

/**
 * What the broker holds, written beside its socket each time a channel is made or destroyed, and
 * removed when the broker stops cleanly. A broker that finds one at start knows its predecessor
 * ended without stopping, and says which channels were lost with it — channel memory lives only
 * as long as someone holds it, so a broker's death takes the channels no process has mapped.
 */
final class BrokerJournal {
    private final Path file;
    private final Path temporary;

    BrokerJournal(Path socket) {
        this.file = socket.resolveSibling(socket.getFileName() + ".channels");
        this.temporary = socket.resolveSibling(socket.getFileName() + ".channels.new");
    }

    /** The lines a predecessor left, one per channel it held, or an empty list if it stopped cleanly. */
    List<String> leftBehind() {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8).stream().filter(line -> !line.isBlank()).toList();
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            return List.of("(the journal " + file + " could not be read: " + e + ")");
        }
    }

    /** Records the channels held now. */
    void record(Collection<BrokerChannel> channels) {
        StringBuilder s = new StringBuilder();
        for (BrokerChannel c : channels) {
            s.append("channel ").append(c.id());
            if (c.header.key() != 0) {
                s.append(" key 0x").append(Long.toHexString(c.header.key()));
            }
            s.append(' ').append(c.mode.mode().name().toLowerCase(java.util.Locale.ROOT))
                    .append(c.persistent() ? " persistent" : "").append(" owner uid ").append(c.header.ownerUid())
                    .append('\n');
        }
        try {
            Files.writeString(temporary, s, StandardCharsets.UTF_8);
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            // the journal is advice for the next broker; serving goes on without it
        }
    }

    /** A clean stop: nothing was lost. */
    void remove() {
        try {
            Files.deleteIfExists(file);
            Files.deleteIfExists(temporary);
        } catch (IOException e) {
            // as above
        }
    }
}
