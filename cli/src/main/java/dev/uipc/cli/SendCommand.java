package dev.uipc.cli;

import dev.uipc.channel.Access;
import dev.uipc.channel.ChannelException;
import dev.uipc.channel.Outcome;
import dev.uipc.channel.Registry;
import dev.uipc.channel.Subscriber;
import dev.uipc.uring.Errno;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code uipc send}: sends each argument, each file, or stdin (by lines, NUL-separated, or whole) as messages. */
@Command(name = "send", mixinStandardHelpOptions = true,
        description = {"Send messages: each MESSAGE argument (as UTF-8), each --file, or stdin: one message per line "
                + "by default (the newline, and a carriage return before it, are not sent), one per NUL-terminated "
                + "record with -0, or all of it as one message with --file -. Files and stdin are sent byte for byte.",
                "Without --timeout it never waits: a full ring is ENOBUFS at once. A send that stops part-way says on "
                        + "stderr which messages were sent and which were not, and exits with the errno number."})
final class SendCommand implements Callable<Integer> {
    @ArgGroup(exclusive = true, multiplicity = "1")
    ChannelRef channel;

    @Option(names = "--target", defaultValue = "0", converter = Arguments.SubscriberId.class,
            description = "Only the subscriber with this id may receive the messages (unicast, multicast); recv prints "
                    + "it as 'attached: subscriber N'. Default: 0, any receiver.")
    int target;

    @Option(names = "--tag", converter = Arguments.Tag.class, defaultValue = "0",
            description = "A 64-bit tag carried with each message: 0 to 2^64-1 in decimal or 0x-hex, or a negative "
                    + "decimal for the same bits (-1 is 0xffffffffffffffff). Default: 0.")
    long tag;

    @Option(names = "--timeout", converter = Arguments.Time.class,
            description = "Wait up to this long for room for each message, e.g. 500ms, 2s, forever.")
    Duration timeout;

    @Option(names = "--file", paramLabel = "FILE",
            description = "Send the bytes of FILE as one message; '-' is all of stdin. Repeatable: one message per file.")
    List<Path> files;

    @Option(names = {"-0", "--null"}, description = "Read stdin as records each ended by a NUL byte (as find -print0 "
            + "and recv -0 write them), one message each.")
    boolean nulSeparated;

    @Parameters(paramLabel = "MESSAGE", arity = "0..*", description = "The messages, one per argument; none (and no "
            + "--file): read stdin.")
    List<String> messages;

    @ParentCommand
    Uipc uipc;

    /** One message to send, and how to name it when saying how far a send got. */
    private record Message(byte[] bytes, int number) {
    }

    /** Where the messages come from, and how a person calls one of them. */
    private enum Source {
        ARGUMENTS("argument"), FILES("file"), LINES("line"), RECORDS("record");

        final String unit;

        Source(String unit) {
            this.unit = unit;
        }
    }

    @Override
    public Integer call() throws IOException {
        int given = (messages != null && !messages.isEmpty() ? 1 : 0) + (files != null ? 1 : 0) + (nulSeparated ? 1 : 0);
        if (given > 1) {
            throw new Uipc.UsageException("give the messages one way: as arguments, with --file, or on stdin with -0");
        }
        try (Registry registry = Registry.open();
             Subscriber sender = registry.attachById(channel.resolve(registry), Access.SEND)) {
            int max = sender.maxMessageSize();
            if (messages != null && !messages.isEmpty()) {
                List<byte[]> all = new ArrayList<>();
                for (String m : messages) {
                    all.add(m.getBytes(StandardCharsets.UTF_8));
                }
                sendAll(sender, Source.ARGUMENTS, all);
            } else if (files != null) {
                // Every file is read, and checked against the maximum, before the first is sent.
                List<byte[]> all = new ArrayList<>();
                for (Path file : files) {
                    all.add(read(file, max));
                }
                sendAll(sender, Source.FILES, all);
            } else {
                InputStream in = new BufferedInputStream(uipc.streams.in(), 1 << 16);
                Source source = nulSeparated ? Source.RECORDS : Source.LINES;
                int sent = 0;
                for (byte[] record = next(in, source, max, sent); record != null; record = next(in, source, max, sent)) {
                    send(sender, new Message(record, sent + 1), source, sent, -1);
                    sent++;
                }
            }
        }
        return ExitStatus.OK;
    }

    private void sendAll(Subscriber sender, Source source, List<byte[]> all) {
        int max = sender.maxMessageSize();
        for (int i = 0; i < all.size(); i++) {
            if (all.get(i).length > max) {
                throw new ChannelException(Errno.EMSGSIZE, source.unit + " " + (i + 1) + " (" + all.get(i).length
                        + " bytes) is over channel " + sender.channelId() + "'s maximum of " + max + " bytes, so none of "
                        + "the " + all.size() + " was sent; split it, or create the channel with a larger --max-size");
            }
        }
        for (int i = 0; i < all.size(); i++) {
            send(sender, new Message(all.get(i), i + 1), source, i, all.size());
        }
    }

    /**
     * Sends one message, or fails saying how far the whole send got.
     *
     * @param sent  how many were sent before this one
     * @param total how many there are, or -1 if stdin has not been read to its end
     */
    private void send(Subscriber sender, Message message, Source source, int sent, int total) {
        byte[] bytes = message.bytes();
        int r;
        try {
            r = timeout == null
                    ? sender.trySend(bytes, 0, bytes.length, tag, target)
                    : sender.send(bytes, 0, bytes.length, tag, target, timeout);
        } catch (ChannelException e) {
            String reason = e.getMessage().substring(e.errno().name().length() + 2);
            throw new ChannelException(e.errno(), reason + progress(source, sent, total), e);
        }
        int slots = sender.entries();
        String progress = progress(source, sent, total);
        switch (r) {
            case Outcome.FULL -> throw new ChannelException(Errno.ENOBUFS, "channel " + sender.channelId() + " is full ("
                    + slots + " of " + slots + " slots)" + progress + "; retry, or give --timeout to wait for room");
            case Outcome.TIMED_OUT -> throw new ChannelException(Errno.ETIMEDOUT, "channel " + sender.channelId()
                    + " stayed full (" + slots + " of " + slots + " slots) for " + Arguments.describe(timeout) + progress
                    + "; retry, or give a longer --timeout");
            case Outcome.CLOSED -> throw new ChannelException(Errno.EPIPE, "channel " + sender.channelId()
                    + " was destroyed" + progress);
            default -> {
                // sent
            }
        }
    }

    /**
     * How far a send got that failed at message {@code sent + 1}: which were sent and which were
     * not, as "; sent 1 of 3 (argument 1); not sent: arguments 2 to 3". Empty for a lone message.
     */
    static String progress(Source source, int sent, int total) {
        if (total == 1) {
            return "";
        }
        String notSent = total < 0 ? source.unit + " " + (sent + 1) + " and any after it on stdin"
                : span(source.unit, sent + 1, total);
        if (sent == 0) {
            return "; nothing was sent (not sent: " + notSent + ")";
        }
        return "; sent " + sent + (total < 0 ? "" : " of " + total) + " (" + span(source.unit, 1, sent) + "); not sent: "
                + notSent;
    }

    private static String span(String unit, int from, int to) {
        return from == to ? unit + " " + from : unit + "s " + from + " to " + to;
    }

    /**
     * The next line or NUL-terminated record of stdin, without its terminator (and, for a line,
     * without a carriage return before the newline); null at the end. A last record without a
     * terminator counts; an empty input has none.
     */
    private static byte[] next(InputStream in, Source source, int max, int sent) throws IOException {
        int end = source == Source.RECORDS ? 0 : '\n';
        ByteArrayOutputStream record = new ByteArrayOutputStream();
        int b = in.read();
        if (b < 0) {
            return null;
        }
        while (b >= 0 && b != end) {
            record.write(b);
            if (record.size() > max) {
                throw new ChannelException(Errno.EMSGSIZE, source.unit + " " + (sent + 1) + " of stdin is over the "
                        + "channel's maximum of " + max + " bytes" + progress(source, sent, -1) + "; split it, or create "
                        + "the channel with a larger --max-size");
            }
            b = in.read();
        }
        byte[] bytes = record.toByteArray();
        if (source == Source.LINES && bytes.length > 0 && bytes[bytes.length - 1] == '\r') {
            bytes = java.util.Arrays.copyOf(bytes, bytes.length - 1);
        }
        return bytes;
    }

    /** The bytes of {@code file} ('-': all of stdin), refusing more than {@code max} of them. */
    private byte[] read(Path file, int max) {
        boolean stdin = file.toString().equals("-");
        String name = stdin ? "stdin" : "file " + file;
        try (InputStream in = stdin ? uipc.streams.in() : Files.newInputStream(file)) {
            byte[] bytes = in.readNBytes(max + 1);
            if (bytes.length > max) {
                throw new ChannelException(Errno.EMSGSIZE, name + " holds more than the channel's maximum of " + max
                        + " bytes, so nothing was sent; split it, or create the channel with a larger --max-size");
            }
            return bytes;
        } catch (NoSuchFileException e) {
            throw new ChannelException(Errno.ENOENT, "no " + name + ", so nothing was sent");
        } catch (AccessDeniedException e) {
            throw new ChannelException(Errno.EACCES, "cannot read " + name + " (permission denied), so nothing was sent");
        } catch (IOException e) {
            if (Files.isDirectory(file)) {
                throw new ChannelException(Errno.EISDIR, name + " is a directory, so nothing was sent; name a file");
            }
            throw new ChannelException(Errno.EIO, "cannot read " + name + ": " + e.getMessage() + ", so nothing was sent");
        }
    }
}
