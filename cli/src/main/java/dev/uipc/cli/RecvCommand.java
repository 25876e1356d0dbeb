package dev.uipc.cli;

import dev.uipc.channel.Access;
import dev.uipc.channel.ChannelException;
import dev.uipc.channel.MessageInfo;
import dev.uipc.channel.Registry;
import dev.uipc.channel.Outcome;
import dev.uipc.channel.Subscriber;
import dev.uipc.uring.Errno;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;

/** {@code uipc recv}: receives messages and prints each on its own line. */
@Command(name = "recv", mixinStandardHelpOptions = true,
        description = {"Receive messages and print each on its own line (control characters and non-UTF-8 bytes "
                + "escaped as \\n, \\t, \\xNN). Once attached, prints 'attached: subscriber ID' on stderr, so that a "
                + "peer can target it.",
                "Without --timeout it never waits: no message is EAGAIN at once. Exits 0 once it has printed --count."})
final class RecvCommand implements Callable<Integer> {
    @ArgGroup(exclusive = true, multiplicity = "1")
    ChannelRef channel;

    @Option(names = "--count", defaultValue = "1",
            description = "How many messages to print; 0: all until the channel is destroyed. Default: ${DEFAULT-VALUE}.")
    int count;

    @Option(names = "--timeout", converter = Arguments.Time.class,
            description = "Wait up to this long in all for the messages, e.g. 500ms, 2s.")
    Duration timeout;

    @Option(names = "--max-len", converter = Arguments.Size.class,
            description = "Print at most this many bytes of each message (default: the channel's maximum).")
    Integer maxLength;

    @Option(names = "--json", description = "Print each message as a JSON object: version, id, length, tag, sender, pid, uid, data.")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        if (count < 0) {
            throw new Uipc.UsageException("--count must be 0 (all) or more, not " + count);
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (Registry registry = Registry.open();
             Subscriber receiver = registry.attachById(channel.resolve(registry), Access.RECV)) {
            err.println("attached: subscriber " + receiver.id());
            err.flush();
            byte[] buffer = new byte[maxLength != null ? Math.max(0, maxLength) : receiver.maxMessageSize()];
            MessageInfo info = new MessageInfo();
            long deadline = timeout == null ? 0 : System.nanoTime() + timeout.toNanos();
            for (int received = 0; count == 0 || received < count; received++) {
                int r = timeout == null
                        ? receiver.tryReceive(buffer, info)
                        : receiver.receive(buffer, 0, buffer.length, info,
                                java.time.Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
                if (r == Outcome.CLOSED && count == 0) {
                    break;
                }
                if (r < 0) {
                    throw failure(r, receiver, received);
                }
                out.println(json ? json(info, buffer, r) : MessageText.line(buffer, r));
                out.flush();
            }
        }
        return ExitStatus.OK;
    }

    private ChannelException failure(int status, Subscriber receiver, int received) {
        String progress = count == 1 ? "" : " (received " + received + (count == 0 ? "" : " of " + count) + ")";
        return switch (status) {
            case Outcome.EMPTY -> new ChannelException(Errno.EAGAIN, "no message on channel " + receiver.channelId()
                    + progress + "; give --timeout to wait for one");
            case Outcome.TIMED_OUT -> new ChannelException(Errno.ETIMEDOUT, "no message on channel "
                    + receiver.channelId() + " within " + Arguments.describe(timeout) + progress);
            case Outcome.CLOSED -> new ChannelException(Errno.EPIPE, "channel " + receiver.channelId()
                    + " was destroyed" + progress);
            default -> new ChannelException(Errno.EIO, "receive failed: " + Outcome.describe(status));
        };
    }

    private static String json(MessageInfo info, byte[] buffer, int copied) {
        return Json.topLevelObject()
                .field("id", info.messageId())
                .field("length", info.length())
                .field("truncated", info.truncated())
                .field("tag", info.tag())
                .field("sender", info.senderId())
                .field("pid", info.senderPid())
                .field("uid", info.senderUid())
                .field("target", info.target())
                .field("redelivered", info.redelivered())
                .field("data", MessageText.line(buffer, copied))
                .endObject().toString();
    }
}
