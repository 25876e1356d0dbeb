package dev.uipc.cli;

import dev.uipc.channel.Access;
import dev.uipc.channel.ChannelException;
import dev.uipc.channel.Registry;
import dev.uipc.channel.Outcome;
import dev.uipc.channel.Subscriber;
import dev.uipc.uring.Errno;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code uipc send}: sends each argument, or each line of stdin, as one message. */
@Command(name = "send", mixinStandardHelpOptions = true,
        description = {"Send each MESSAGE, or each line of stdin when there is none, as one message.",
                "Without --timeout it never waits: a full ring is ENOBUFS at once."})
final class SendCommand implements Callable<Integer> {
    @ArgGroup(exclusive = true, multiplicity = "1")
    ChannelRef channel;

    @Option(names = "--target", defaultValue = "0",
            description = "Only the subscriber with this id may receive the messages (unicast, multicast).")
    int target;

    @Option(names = "--tag", converter = Arguments.Key.class, defaultValue = "0",
            description = "A 64-bit tag carried with each message, decimal or 0x-hex.")
    long tag;

    @Option(names = "--timeout", converter = Arguments.Time.class,
            description = "Wait up to this long for room for each message, e.g. 500ms, 2s.")
    Duration timeout;

    @Parameters(paramLabel = "MESSAGE", arity = "0..*", description = "The messages; none: read stdin, one per line.")
    List<String> messages;

    @Override
    public Integer call() {
        try (Registry registry = Registry.open();
             Subscriber sender = registry.attachById(channel.resolve(registry), Access.SEND)) {
            if (messages != null && !messages.isEmpty()) {
                for (String message : messages) {
                    send(sender, message);
                }
            } else {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
                    for (String line = in.readLine(); line != null; line = in.readLine()) {
                        send(sender, line);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException("reading stdin", e);
                }
            }
        }
        return ExitStatus.OK;
    }

    private void send(Subscriber sender, String message) {
        byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
        int r = timeout == null
                ? sender.trySend(bytes, 0, bytes.length, tag, target)
                : sender.send(bytes, 0, bytes.length, tag, target, timeout);
        int slots = sender.entries();
        switch (r) {
            case Outcome.FULL -> throw new ChannelException(Errno.ENOBUFS, "channel " + sender.channelId() + " is full ("
                    + slots + " of " + slots + " slots); retry, or give --timeout to wait for room");
            case Outcome.TIMED_OUT -> throw new ChannelException(Errno.ETIMEDOUT, "channel " + sender.channelId()
                    + " stayed full (" + slots + " of " + slots + " slots) for " + Arguments.describe(timeout));
            case Outcome.CLOSED -> throw new ChannelException(Errno.EPIPE, "channel " + sender.channelId()
                    + " was destroyed");
            default -> {
                // sent
            }
        }
    }
}
