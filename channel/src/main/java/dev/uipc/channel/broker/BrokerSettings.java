package dev.uipc.channel.broker;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How a broker serves.
 *
 * @param socket   where it listens
 * @param shared   whether other users may connect (socket mode 0666, directory 0755), as the
 *                 system broker's do; otherwise only its own user (0600, 0700)
 * @param idleExit how long it may sit with no connection and no channel before it exits (an
 *                 on-demand broker); {@code null} to run until stopped
 */
public record BrokerSettings(Path socket, boolean shared, Duration idleExit) {
    public BrokerSettings {
        socket = socket.toAbsolutePath().normalize();
    }
}
