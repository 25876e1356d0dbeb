package dev.uipc.channel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.BitSet;
import java.util.concurrent.TimeUnit;

import static dev.uipc.channel.Bytes.utf8;

/**
 * The processes of the cross-process tests, one {@code main} each. They print a line when
 * they are ready ("attached ID", "created ID") and report on stdout; they exit non-zero, with
 * the reason on stderr, if anything is wrong. Message numbers are {@code sender << 32 | n}.
 */
final class Peer {
    private Peer() {
    }

    private static final java.time.Duration TIMEOUT = java.time.Duration.ofSeconds(30);

    /** A connection to the test's broker; it closes when the process exits (or dies). */
    static Registry registry(String socket) {
        return Registry.connect(Path.of(socket));
    }

    /**
     * Receives checksummed messages until {@code count} arrived, or, with count 0, until the
     * channel is destroyed; verifies each; writes the numbers received as a bit set (index =
     * sender * stride + n) to {@code out}; prints "received N errors E duplicates D order O".
     * args: socket key access count out stride
     */
    static final class Receiver {
        public static void main(String[] args) throws IOException {
            Registry registry = registry(args[0]);
            long count = Long.parseLong(args[3]);
            int stride = Integer.parseInt(args[5]);
            try (Subscriber sub = registry.attachByKey(Long.decode(args[1]), Access.valueOf(args[2]))) {
                System.out.println("attached " + sub.id());
                byte[] buffer = new byte[sub.maxMessageSize()];
                MessageInfo info = new MessageInfo();
                BitSet seen = new BitSet();
                long received = 0;
                long errors = 0;
                long duplicates = 0;
                long outOfOrder = 0;
                long[] lastPerSender = new long[64];
                java.util.Arrays.fill(lastPerSender, -1);
                while (count == 0 || received < count) {
                    int n = sub.receive(buffer, 0, buffer.length, info, TIMEOUT);
                    if (n == Outcome.CLOSED) {
                        break;
                    }
                    if (n < 0) {
                        System.err.println("receive: " + Outcome.describe(n) + " after " + received);
                        System.exit(2);
                    }
                    long number = Checksummed.verify(buffer, n);
                    if (number < 0) {
                        errors++;
                        continue;
                    }
                    int sender = (int) (number >>> 32);
                    long seq = number & 0xffffffffL;
                    int bit = sender * stride + (int) seq;
                    if (seen.get(bit)) {
                        duplicates++;
                    }
                    seen.set(bit);
                    if (seq <= lastPerSender[sender] && !info.redelivered()) {
                        outOfOrder++;           // FIFO per sender, as seen by this receiver
                    }
                    lastPerSender[sender] = Math.max(lastPerSender[sender], seq);
                    received++;
                }
                Files.write(Path.of(args[4]), seen.toByteArray());
                System.out.println("received " + received + " errors " + errors + " duplicates " + duplicates
                        + " order " + outOfOrder);
            }
        }
    }

    /**
     * Sends {@code count} checksummed messages of varied sizes, waiting for room as needed, and
     * with maxPauseMicros a random pause of up to that between them, so that a receiver keeps
     * parking and being woken. args: socket key senderIndex count [maxPauseMicros]
     */
    static final class Sender {
        public static void main(String[] args) {
            Registry registry = registry(args[0]);
            int sender = Integer.parseInt(args[2]);
            int count = Integer.parseInt(args[3]);
            int maxPauseMicros = args.length > 4 ? Integer.parseInt(args[4]) : 0;
            java.util.SplittableRandom random = new java.util.SplittableRandom(sender);
            try (Subscriber sub = registry.attachByKey(Long.decode(args[1]), Access.SEND)) {
                System.out.println("attached " + sub.id());
                byte[] buffer = new byte[sub.maxMessageSize()];
                for (int i = 0; i < count; i++) {
                    long number = ((long) sender << 32) | i;
                    int size = Checksummed.sizeOf(number, sub.maxMessageSize());
                    Checksummed.encode(number, size, buffer);
                    int r = sub.send(buffer, 0, size, number, 0, TIMEOUT);
                    if (r != size) {
                        System.err.println("send " + i + ": " + Outcome.describe(r));
                        System.exit(2);
                    }
                    if (maxPauseMicros > 0) {               // paced: a receiver keeps parking and being woken
                        java.util.concurrent.locks.LockSupport.parkNanos(1000L * random.nextInt(maxPauseMicros + 1));
                    }
                }
                System.out.println("sent " + count);
            }
        }
    }

    /**
     * A waker killed half-way through a wake: waits until row {@code index} is parked, chooses it
     * (PARKED to WAKING) and rings its doorbell as a waker does, prints "chose", and then — as if
     * SIGKILLed before its futex wake — never wakes it; it waits to be killed. args: socket key index
     */
    static final class ChoosesAndDies {
        public static void main(String[] args) throws InterruptedException {
            Subscriber sub = registry(args[0]).attachByKey(Long.decode(args[1]), Access.SEND);
            int index = Integer.parseInt(args[2]);
            var rows = sub.delivery().memory().subscribers();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!rows.isParkedOpaque(index)) {
                if (System.nanoTime() > deadline) {
                    System.err.println("row " + index + " never parked");
                    System.exit(2);
                }
                Thread.onSpinWait();
            }
            if (!rows.tryChooseToWake(index)) {
                System.err.println("row " + index + " could not be chosen");
                System.exit(3);
            }
            rows.ringDoorbell(index);
            System.out.println("chose " + index);
            System.out.flush();
            Thread.sleep(TimeUnit.MINUTES.toMillis(5));
        }
    }

    /** Creates a channel that dies with this process, prints its id, and waits to be killed. args: socket key persistent */
    static final class Creator {
        public static void main(String[] args) throws InterruptedException {
            Channel ch = registry(args[0]).create(ChannelOptions.defaults().withKey(Long.decode(args[1]))
                    .withPersistent(Boolean.parseBoolean(args[2])));
            System.out.println("created " + ch.id());
            Thread.sleep(TimeUnit.MINUTES.toMillis(5));
        }
    }

    /** Attaches, prints its id, and waits to be killed without receiving. args: socket key access */
    static final class Idle {
        public static void main(String[] args) throws InterruptedException {
            Subscriber sub = registry(args[0]).attachByKey(Long.decode(args[1]), Access.valueOf(args[2]));
            System.out.println("attached " + sub.id());
            Thread.sleep(TimeUnit.MINUTES.toMillis(5));
        }
    }

    /** Takes the next message (its slot now TAKEN by us) and dies inside the handler, before finishing. args: socket key */
    static final class DiesWhileReceiving {
        public static void main(String[] args) {
            Subscriber sub = registry(args[0]).attachByKey(Long.decode(args[1]), Access.RECV);
            sub.receive((slot, info) -> {
                System.out.println("took " + info.messageId());
                System.out.flush();
                Runtime.getRuntime().halt(9);
            }, new MessageInfo(), java.time.Duration.ofSeconds(30));
            System.exit(2);
        }
    }

    /** Claims a position and dies before committing it. args: socket key */
    static final class DiesWhileSending {
        public static void main(String[] args) {
            Subscriber sub = registry(args[0]).attachByKey(Long.decode(args[1]), Access.SEND);
            int r = sub.tryClaim(5, 0, 0);
            System.out.println(r == 5 ? "claimed" : "not claimed: " + Outcome.describe(r));
            System.out.flush();
            Runtime.getRuntime().halt(9);
        }
    }

    /**
     * Creates persistent channels with the given permissions, prints "created ID" for each, exits.
     * args: socket permissions(octal)...
     */
    static final class CreateAs {
        public static void main(String[] args) {
            try (Registry registry = registry(args[0])) {
                for (int i = 1; i < args.length; i++) {
                    Channel ch = registry.create(ChannelOptions.defaults().withPermissions(Integer.parseInt(args[i], 8))
                            .withPersistent(true));
                    System.out.println("created " + ch.id());
                }
            }
        }
    }

    /**
     * Tries, as whoever runs it, to receive from, send to, and then destroy each channel named,
     * and prints what happened, "ID.what=OK" or the errno the broker answered.
     * args: socket id...
     */
    static final class PermissionProbe {
        interface Attempt {
            void run() throws Exception;
        }

        static String outcome(Attempt attempt) {
            try {
                attempt.run();
                return "OK";
            } catch (ChannelException e) {
                return e.errno().name();
            } catch (Exception e) {
                return e.toString();
            }
        }

        public static void main(String[] args) {
            try (Registry r = registry(args[0])) {
                for (int i = 1; i < args.length; i++) {
                    int id = Integer.parseInt(args[i]);
                    System.out.println(id + ".recv=" + outcome(() -> r.attachById(id, Access.RECV).close()));
                    System.out.println(id + ".send=" + outcome(() -> {
                        try (Subscriber s = r.attachById(id, Access.SEND)) {
                            s.trySend(utf8("from uid " + dev.uipc.uring.ProcessIdentity.uid()));
                        }
                    }));
                }
                for (int i = 1; i < args.length; i++) {
                    int id = Integer.parseInt(args[i]);
                    System.out.println(id + ".destroy=" + outcome(() -> r.destroy(id)));
                }
            }
        }
    }

    /** Sends a short text message. args: socket key text */
    static final class SendText {
        public static void main(String[] args) {
            try (Subscriber sub = registry(args[0]).attachByKey(Long.decode(args[1]), Access.SEND)) {
                System.out.println("sent " + sub.send(utf8(args[2]), Duration.ofSeconds(10)));
            }
        }
    }

    /**
     * Sends checksummed messages numbered {@code sender << 32 | i}, waiting for room as needed,
     * and prints "ack i" (flushed) after each send returns success, until killed. What it
     * printed is what it was told was sent. args: socket key sender
     */
    static final class AckingSender {
        public static void main(String[] args) {
            int sender = Integer.parseInt(args[2]);
            try (Subscriber sub = registry(args[0]).attachByKey(Long.decode(args[1]), Access.SEND)) {
                System.out.println("attached " + sub.id());
                System.out.flush();
                byte[] buffer = new byte[sub.maxMessageSize()];
                for (int i = 0; ; i++) {
                    long number = ((long) sender << 32) | i;
                    int size = Checksummed.sizeOf(number, sub.maxMessageSize());
                    Checksummed.encode(number, size, buffer);
                    int r = sub.send(buffer, 0, size, number, 0, TIMEOUT);
                    if (r != size) {
                        System.err.println("send " + i + ": " + Outcome.describe(r));
                        System.exit(2);
                    }
                    System.out.println("ack " + i);
                    System.out.flush();
                }
            }
        }
    }

    /** Claims a position, prints "claimed", and waits to be killed before committing it. args: socket key */
    static final class ClaimsAndWaits {
        public static void main(String[] args) throws InterruptedException {
            Subscriber sub = registry(args[0]).attachByKey(Long.decode(args[1]), Access.SEND);
            int r = sub.tryClaim(5, 0, 0);
            System.out.println(r == 5 ? "claimed" : "not claimed: " + Outcome.describe(r));
            System.out.flush();
            Thread.sleep(TimeUnit.MINUTES.toMillis(5));
        }
    }
}
