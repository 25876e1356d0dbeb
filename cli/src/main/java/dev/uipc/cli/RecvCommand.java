package dev.uipc.cli;

import dev.uipc.channel.Access;
import dev.uipc.channel.ChannelException;
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
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
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
                        + "(without limits) none is left, and then exits 0."})
final class RecvCommand implements Callable<Integer> {
    @ArgGroup(exclusive = true, multiplicity = "1")
    ChannelRef channel;

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
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (Registry registry = Registry.open();
             Subscriber receiver = registry.attachById(channel.resolve(registry), Access.RECV)) {
            err.println("attached: subscriber " + receiver.id());
            err.flush();
            byte[] buffer = new byte[maxLength != null ? Math.min(maxLength, receiver.maxMessageSize())
                    : receiver.maxMessageSize()];
            MessageInfo info = new MessageInfo();
            long start = System.nanoTime();
            long lastMessage = start;
            int received = 0;
            while (count == 0 || received < count) {
                long now = System.nanoTime();
                Stop limit = null;
                long wait = 0;
                if (timeout != null || idle != null) {
                    wait = Long.MAX_VALUE;
                    if (timeout != null && !Arguments.isForever(timeout)) {
                        long left = timeout.toNanos() - (now - start);
                        if (left <= 0) {
                            limit = Stop.DEADLINE;
                        }
                        wait = Math.min(wait, left);
                    }
                    if (limit == null && idle != null && !Arguments.isForever(idle)) {
                        long left = idle.toNanos() - (now - lastMessage);
                        if (left <= 0) {
                            limit = Stop.IDLE;
                        }
                        wait = Math.min(wait, left);
                    }
                }
                if (limit != null) {
                    return stopped(limit, receiver, received);
                }
                int r = wait == 0 ? receiver.tryReceive(buffer, info)
                        : receiver.receive(buffer, 0, buffer.length, info, Duration.ofNanos(wait));
                if (r == Outcome.TIMED_OUT) {
                    continue;                         // the next round names the limit that passed
                }
                if (r == Outcome.EMPTY || r == Outcome.CLOSED) {
                    return stopped(r == Outcome.EMPTY ? Stop.EMPTY : Stop.CLOSED, receiver, received);
                }
                if (r < 0) {
                    throw new ChannelException(Errno.EIO, "receive failed: " + Outcome.describe(r));
                }
                received++;
                lastMessage = System.nanoTime();
                write(receiver, info, buffer, r, out);
            }
        }
        return ExitStatus.OK;
    }

    private void write(Subscriber receiver, MessageInfo info, byte[] buffer, int copied, PrintWriter out) {
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
            out.println(output.json ? json(receiver.channelId(), info, buffer, copied) : MessageText.line(buffer, copied));
            out.flush();
        }
    }

    /** Ends the receive: success for --count 0, else the failure that says why fewer than --count came. */
    private int stopped(Stop why, Subscriber receiver, int received) {
        if (count == 0) {
            return ExitStatus.OK;
        }
        String progress = count == 1 ? "" : " (received " + received + " of " + count + ")";
        int id = receiver.channelId();
        throw switch (why) {
            case EMPTY -> new ChannelException(Errno.EAGAIN, "no message on channel " + id + progress
                    + "; give --timeout or --idle to wait for one");
            case DEADLINE -> new ChannelException(Errno.ETIMEDOUT, "no message on channel " + id + " within "
                    + Arguments.describe(timeout) + progress);
            case IDLE -> new ChannelException(Errno.ETIMEDOUT, "no message on channel " + id + " for "
                    + Arguments.describe(idle) + " (--idle)" + progress);
            case CLOSED -> new ChannelException(Errno.EPIPE, "channel " + id + " was destroyed" + progress);
        };
    }

    /** One message as the object {@code docs/JSON.md} calls MESSAGE. */
    static String json(int channelId, MessageInfo info, byte[] buffer, int copied) {
        return Json.topLevelObject()
                .field("channel", channelId)
                .field("id", info.messageId())
                .field("length", info.length())
                .field("truncated", info.truncated())
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
