package dev.uipc.channel.broker;

import dev.uipc.uring.linux.Session;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The entry point of a broker a client started on demand: leaves the client's session (so that
 * closing the client's terminal does not end it), serves this user (or, started by root, every
 * user, as the system broker), and exits after sitting idle — no client, no channel — for
 * {@link #IDLE_EXIT} (or {@code --idle-exit SECONDS}, which a client passes on from its
 * {@value BrokerStarter#IDLE_EXIT_PROPERTY} property). args: {@code --socket PATH [--idle-exit SECONDS]}.
 */
public final class BrokerMain {
    private BrokerMain() {
    }

    /** How long an on-demand broker waits, idle, before it exits. */
    static final Duration IDLE_EXIT = Duration.ofSeconds(30);

    public static void main(String[] args) {
        Duration idleExit = IDLE_EXIT;
        if (args.length == 4 && args[2].equals("--idle-exit") && args[3].matches("\\d{1,6}")) {
            idleExit = Duration.ofSeconds(Long.parseLong(args[3]));
        } else if (args.length != 2) {
            args = new String[0];
        }
        if (args.length < 2 || !args[0].equals("--socket")) {
            System.err.println("usage: BrokerMain --socket PATH [--idle-exit SECONDS] (started by uipc clients on "
                    + "demand; to run a broker yourself, use: uipc broker)");
            System.exit(64);
        }
        Path socket = Path.of(args[1]);
        try {
            Session.create();
        } catch (dev.uipc.uring.ErrnoException e) {
            // Already a group leader (started from a shell rather than by a client): it then
            // belongs to that shell's job, and ends with it, like any foreground program.
        }
        boolean shared = socket.equals(BrokerAddress.SYSTEM_SOCKET);
        new BrokerLoop(new BrokerSettings(socket, shared, idleExit)).run();
    }
}
