package dev.uipc.cli;

import dev.uipc.channel.Broker;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code uipc broker}: runs a broker in the foreground. */
@Command(name = "broker", mixinStandardHelpOptions = true,
        description = {"Run a broker in the foreground until interrupted: it holds every channel, checks who may do "
                + "what, and reaps the subscribers of processes that die.",
                "Run by root (by hand or by a service manager), it is the system broker at /run/uipc/broker.sock, "
                        + "serving every user. Otherwise clients start their user's own broker by themselves; this "
                        + "command is for running one somewhere else (--socket), or watching its log."})
final class BrokerCommand implements Callable<Integer> {
    @Option(names = "--socket", description = "Where to listen. Default: the system broker's socket for root, else "
            + "this user's broker socket.")
    Path socket;

    @Option(names = "--shared", negatable = true, description = "Let every user connect (socket 0666 in a 0755 "
            + "directory); each channel's permission bits then decide. Default: for the system socket only.")
    Boolean shared;

    @Override
    public Integer call() {
        Path where = socket != null ? socket.toAbsolutePath() : Broker.defaultSocket();
        boolean everyone = shared != null ? shared : where.equals(Broker.systemSocket());
        Broker.serve(where, everyone, null);
        return ExitStatus.OK;
    }
}
