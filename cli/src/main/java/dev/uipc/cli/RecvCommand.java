package dev.uipc.cli;

import dev.uipc.channel.Access;
import dev.uipc.channel.ChannelException;
import dev.uipc.channel.CompletionLoop;
import dev.uipc.channel.MessageInfo;
import dev.uipc.channel.Outcome;
import dev.uipc.channel.Registry;
import dev.uipc.channel.Subscriber;
import dev.uipc.uring.Errno;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code uipc recv}: receives messages and prints them, as text lines, JSON, or their bytes. */
@Command(name = "recv", mixinStandardHelpOptions = true,
        description = {"Receive messages and print each on its own line (control characters and bytes that are not "
                + "UTF-8 escaped as \\n, \\t, \\xNN), or with --json, --raw or -0 as described below. Once attached, "
                + "prints 'attached: subscriber ID' on stderr, so that a peer can --target it.",
                "Waiting: without --timeout or --idle it never waits. --timeout bounds the whole receive, from "
                        + "attaching to the end, however many messages flow meanwhile; --idle bounds the quiet time "
                        + "since the last message (or since attaching).",
                "Ending: with --count N it exits 0 once it has printed N, and otherwise fails (EAGAIN with nothing "
                        + "waiting, ETIMEDOUT when a limit passed, EPIPE if the channel was destroyed). With --count 0 "
                        + "it prints every message until a limit passes, the channel is destroyed and drained, or "
                        + "(without limits) none is left, and then exits 0.",
                "Several channels: repeat --key or --id to receive from all of them at once, served by one io_uring "
                        + "completion loop on one thread; each line then starts with its channel ('key 0x1a: ...' or "
                        + "'channel 5: ...'), each JSON object says it, and --count, --timeout and --idle count across "
                        + "all of them."})
final class RecvCommand implements Callable<Integer> {
    @Option(names = "--id", converter = Arguments.ChannelId.class,
            description = "A channel's id (1 or more; uipc ls lists them). Repeat to receive from several.")
    List<Integer> ids = new ArrayList<>();

    @Option(names = "--key", converter = Arguments.Key.class,
            description = "A channel's key, 1 to 2^64-1 in decimal or 0x-hex. Repeat to receive from several.")
    List<Long> keys = new ArrayList<>();

    @Option(names = "--count", defaultValue = "1",
            description = "How many messages to print; 0: every one until a limit passes or the channel is destroyed. "
                    + "Default: ${DEFAULT-VALUE}.")
    int count;

    @Option(names = "--timeout", converter = Arguments.Time.class,
            description = "Stop this long after attaching, even while messages flow, e.g. 500ms, 60s, forever.")
    Duration timeout;

    @Option(names = "--idle", converter = Arguments.Time.class,
            description = "Stop once no message has come for this long (since the last one, or since attaching), "
                    + "e.g. 2s.")
    Duration idle;

    @Option(names = "--max-len", converter = Arguments.Size.class,
            description = "Keep at most this many bytes of each message (default: the channel's maximum).")
    Integer maxLength;

    @ArgGroup(exclusive = true)
    Output output = new Output();

    /** How each message is written: one of these, or an escaped line when none is given. */
    static final class Output {
        @Option(names = "--json", description = "Print each message as one line of JSON: its exact bytes in base64, "
                + "its text when they are valid UTF-8, and its metadata (docs/JSON.md).")
        boolean json;

        @Option(names = "--raw", description = "Write the messages' bytes exactly as sent, nothing added: with "
                + "--count 1, one message into a file or a pipe.")
        boolean raw;

        @Option(names = {"-0", "--null"}, description = "Write each message's bytes exactly, each followed by a NUL "
                + "byte (as send -0 reads them, and xargs -0).")
        boolean nul;
    }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @ParentCommand
    Uipc uipc;

    /** Why receiving stopped before --count was reached. */
    private enum Stop { EMPTY, DEADLINE, IDLE, CLOSED }

    @Override
    public Integer call() {
        if (count < 0) {
            throw new Uipc.UsageException("--count must be 0 (all) or more, not " + count);
        }
        if (maxLength != null && maxLength < 0) {
            throw new Uipc.UsageException("--max-len must be 0 (metadata only) or more, not " + maxLength);
        }
        if (ids.size() + keys.size() == 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "name the channel to receive from: --key K "
                    + "or --id N (repeat either for several)");
        }
        if (ids.size() + keys.size() > 1) {
            if (output.raw || output.nul) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--raw and -0 write the bytes alone, which "
                        + "cannot say which channel each message came from; with several channels use the default lines "
                        + "or --json");
            }
            return receiveFromSeveral();
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (Registry registry = Registry.open();
             Subscriber receiver = registry.attachById(keys.isEmpty() ? ids.get(0) : registry.idOf(keys.get(0)),
                     Access.RECV)) {
            err.println("attached: subscriber " + receiver.id());
            err.flush();
            byte[] buffer = new byte[maxLength != null ? Math.min(maxLength, receiver.maxMessageSize())
                    : receiver.maxMessageSize()];
            MessageInfo info = new MessageInfo();
            long start = System.nanoTime();
            long lastMessage = start;
            int received = 0;
            while (count == 0 || received < count) {
                long wait = waitNanos(start, lastMessage);
                if (wait < 0) {
                    return stopped(limitPassed(start, lastMessage), describe(receiver), received);
                }
                int r = wait == 0 ? receiver.tryReceive(buffer, info)
                        : receiver.receive(buffer, 0, buffer.length, info, Duration.ofNanos(wait));
                if (r == Outcome.TIMED_OUT) {
                    continue;                         // the next round names the limit that passed
                }
                if (r == Outcome.EMPTY || r == Outcome.CLOSED) {
                    return stopped(r == Outcome.EMPTY ? Stop.EMPTY : Stop.CLOSED, describe(receiver), received);
                }
                if (r < 0) {
                    throw new ChannelException(Errno.EIO, "receive failed: " + Outcome.describe(r));
                }
                received++;
                lastMessage = System.nanoTime();
                write(receiver, null, info, buffer, r, out);
            }
        }
        return ExitStatus.OK;
    }

    /**
     * How long the next wait may last: 0 without --timeout or --idle (never wait), or the time
     * left before the nearer limit; -1 once a limit has passed.
     */
    private long waitNanos(long start, long lastMessage) {
        if (timeout == null && idle == null) {
            return 0;
        }
        long now = System.nanoTime();
        long wait = Long.MAX_VALUE;
        if (timeout != null && !Arguments.isForever(timeout)) {
            wait = Math.min(wait, timeout.toNanos() - (now - start));
        }
        if (idle != null && !Arguments.isForever(idle)) {
            wait = Math.min(wait, idle.toNanos() - (now - lastMessage));
        }
        return wait <= 0 ? -1 : wait;
    }

    /** Which limit {@link #waitNanos} found passed: the whole receive's, else the quiet time's. */
    private Stop limitPassed(long start, long lastMessage) {
        boolean deadline = timeout != null && !Arguments.isForever(timeout)
                && timeout.toNanos() - (System.nanoTime() - start) <= 0;
        return deadline ? Stop.DEADLINE : Stop.IDLE;
    }

    // --- several channels: one completion loop --------------------------------------------------

    /** The messages of several channels, as one completion loop on this thread delivers them. */
    private int receiveFromSeveral() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<Subscriber> receivers = new ArrayList<>();
        try (Registry registry = Registry.open()) {
            try {
                List<String> labels = new ArrayList<>();
                for (long key : keys) {
                    receivers.add(registry.attachByKey(key, Access.RECV));
                    labels.add("key 0x" + Long.toHexString(key));
                }
                for (int id : ids) {
                    receivers.add(registry.attachById(id, Access.RECV));
                    labels.add("channel " + id);
                }
                for (int i = 0; i < receivers.size(); i++) {
                    err.println("attached: subscriber " + receivers.get(i).id() + " (" + labels.get(i) + ")");
                }
                err.flush();
                return serve(receivers, labels, out);
            } finally {
                for (Subscriber receiver : receivers) {
                    receiver.close();
                }
            }
        }
    }

    private int serve(List<Subscriber> receivers, List<String> labels, PrintWriter out) {
        String description = receivers.size() + " channels (" + String.join(", ", labels) + ")";
        try (CompletionLoop loop = CompletionLoop.open()) {
            List<CompletionLoop.Subscription> subscriptions = new ArrayList<>();
            int[] received = {0};
            long[] lastMessage = {System.nanoTime()};
            for (int i = 0; i < receivers.size(); i++) {
                Subscriber receiver = receivers.get(i);
                String label = labels.get(i);
                byte[] buffer = new byte[maxLength != null ? Math.min(maxLength, receiver.maxMessageSize())
                        : receiver.maxMessageSize()];
                subscriptions.add(loop.receive(receiver, (slot, info) -> {
                    int copied = Math.min(info.length(), buffer.length);
                    MemorySegment.copy(slot, ValueLayout.JAVA_BYTE, 0, buffer, 0, copied);
                    received[0]++;
                    lastMessage[0] = System.nanoTime();
                    write(receiver, label, info, buffer, copied, out);
                    if (count != 0 && received[0] >= count) {
                        subscriptions.forEach(CompletionLoop.Subscription::pause);    // not one message more
                    }
                }));
            }
            long start = System.nanoTime();
            while (count == 0 || received[0] < count) {
                long wait = waitNanos(start, lastMessage[0]);
                if (wait < 0) {
                    return stopped(limitPassed(start, lastMessage[0]), description, received[0]);
                }
                int work = loop.runOnce(Duration.ofNanos(wait));
                if (work == 0 && receivers.stream().allMatch(Subscriber::channelDestroyed)
                        && loop.runOnce(Duration.ZERO) == 0) {
                    return stopped(Stop.CLOSED, description, received[0]);   // every one destroyed and drained
                }
                if (work == 0 && wait == 0) {
                    return stopped(Stop.EMPTY, description, received[0]);
                }
            }
        }
        return ExitStatus.OK;
    }

    private static String describe(Subscriber receiver) {
        return "channel " + receiver.channelId();
    }

    private void write(Subscriber receiver, String label, MessageInfo info, byte[] buffer, int copied, PrintWriter out) {
        if (output.raw || output.nul) {
            out.flush();
            OutputStream bytes = uipc.streams.out();
            try {
                bytes.write(buffer, 0, copied);
                if (output.nul) {
                    bytes.write(0);
                }
                bytes.flush();
            } catch (IOException e) {
                throw new UncheckedIOException("writing to stdout", e);
            }
        } else {
            String line = output.json ? json(receiver.channelId(), info, buffer, copied) : MessageText.line(buffer, copied);
            out.println(label == null || output.json ? line : label + ": " + line);
            out.flush();
        }
    }

    /** Ends the receive: success for --count 0, else the failure that says why fewer than --count came. */
    private int stopped(Stop why, String what, int received) {
        if (count == 0) {
            return ExitStatus.OK;
        }
        String progress = count == 1 ? "" : " (received " + received + " of " + count + ")";
        throw switch (why) {
            case EMPTY -> new ChannelException(Errno.EAGAIN, "no message on " + what + progress
                    + "; give --timeout or --idle to wait for one");
            case DEADLINE -> new ChannelException(Errno.ETIMEDOUT, "no message on " + what + " within "
                    + Arguments.describe(timeout) + progress);
            case IDLE -> new ChannelException(Errno.ETIMEDOUT, "no message on " + what + " for "
                    + Arguments.describe(idle) + " (--idle)" + progress);
            case CLOSED -> new ChannelException(Errno.EPIPE, what + (what.startsWith("channel ") ? " was" : " were")
                    + " destroyed" + progress);
        };
    }

    /** One message as the object {@code docs/JSON.md} calls MESSAGE. */
    static String json(int channelId, MessageInfo info, byte[] buffer, int copied) {
        return Json.topLevelObject()
                .field("channel", channelId)
                .field("id", info.messageId())
                .field("length", info.length())
                .field("truncated", copied < info.length())
                .fieldUnsigned("tag", info.tag())
                .field("sender", info.senderId())
                .field("pid", info.senderPid())
                .field("uid", Integer.toUnsignedLong(info.senderUid()))
                .field("target", info.target())
                .field("redelivered", info.redelivered())
                .field("base64", Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(buffer, copied)))
                .field("text", utf8(buffer, copied))
                .endObject().toString();
    }

    /** The bytes as text if they are valid UTF-8, else null. */
    static String utf8(byte[] buffer, int length) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(buffer, 0, length)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
