package dev.uipc.channel.broker;

import dev.uipc.uring.linux.Session;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The entry point of a broker a client started on demand: leaves the client's session (so that
 * closing the client's terminal does not end it), serves this user (or, started by root, every
 * user, as the system broker), and exits after sitting idle — no client, no channel — for
 * {@link #IDLE_EXIT}. args: {@code --socket PATH}.
 */
public final class BrokerMain {
    private BrokerMain() {
    }

    /** How long an on-demand broker waits, idle, before it exits. */
    static final Duration IDLE_EXIT = Duration.ofSeconds(30);

    public static void main(String[] args) {
        if (args.length != 2 || !args[0].equals("--socket")) {
            System.err.println("usage: BrokerMain --socket PATH (started by uipc clients on demand; to run a broker "
                    + "yourself, use: uipc broker)");
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
        new BrokerLoop(new BrokerSettings(socket, shared, IDLE_EXIT)).run();
    }
}
