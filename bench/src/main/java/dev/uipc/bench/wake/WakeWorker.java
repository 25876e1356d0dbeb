package dev.uipc.bench.wake;

import dev.uipc.bench.rfc.Args;
import dev.uipc.bench.rfc.Worker;
import dev.uipc.channel.Access;
import dev.uipc.channel.CompletionLoop;
import dev.uipc.channel.MessageHandler;
import dev.uipc.channel.MessageInfo;
import dev.uipc.channel.Outcome;
import dev.uipc.channel.Registry;
import dev.uipc.channel.Subscriber;
import dev.uipc.channel.WaitStrategy;
import dev.uipc.uring.Completion;
import dev.uipc.uring.Errno;
import dev.uipc.uring.FutexVector;
import dev.uipc.uring.Ring;
import dev.uipc.uring.RingOptions;
import dev.uipc.uring.Sqe;
import dev.uipc.uring.linux.EventFd;
import dev.uipc.uring.linux.OwnedFd;
import dev.uipc.uring.linux.PidFd;
import dev.uipc.uring.linux.Pipe;
import org.HdrHistogram.Histogram;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;

/**
 * A worker process of {@code bench/run wake}: one JVM the coordinator starts once per run and
 * drives through its standard input, one command per line, answering on standard output (the
 * protocol of the {@code rfc} workers, {@link Worker#PROTOCOL}). Each command plays one side of
 * one measurement on the main thread, a platform thread. The sides meet through the channel,
 * eventfd, pipe or futex words under test, and through a {@link Mailbox} in which the sleeper
 * side acknowledges each sample after it has recorded it.
 *
 * <pre>
 * sleep kind=futex|loop|eventfd|pipe ...   → ready pid= tid= [fd=]; → done hist= [loop counters]; → closed
 * wake kind=... pid= tid= [fd=] ...        → ready; ← go; → done asleep= later= never=; → closed
 * consume mode=copy|inplace|loop ...       → ready; ← go; → warm count=; → done end= count= sum= [loop counters]; → closed
 * produce ...                              → ready; ← go; → warm-sent; ← go; → sent t0= t1=; → closed
 * fan-recv receivers= mode=park|poll ...   → ready pid= tids=; → done; → closed
 * fan-send receivers= [tids=] ...          → ready; ← go; → done send= last= asleep= ...; → closed
 * idle subscriptions= millis= ...          → done wall= threadCpu= ...; → closed
 * futexv-sleep variant=wait|waitv ...      → ready pid= tid= arm=; → done latency= rearm=; → closed
 * futexv-wake ...                          → ready; ← go; → done asleep= ...; → closed
 * any step may answer: error MESSAGE
 * </pre>
 *
 * Every wait has a bound: receives, loop turns and acknowledgements give up after
 * {@link #TIMEOUT}, and a blocking read(2) of an eventfd or pipe is released by a watchdog
 * thread after as long, so that a lost wake fails with a sentence rather than a hang.
 */
public final class WakeWorker {
    /** How long any one wait may take before the measurement fails. */
    static final Duration TIMEOUT = Duration.ofSeconds(20);
    static final long TIMEOUT_NANOS = TIMEOUT.toNanos();
    /** Bytes of a wake-up message: the waker's stamp and padding. */
    static final int MESSAGE = 64;
    /** The value that ends a stream. */
    static final long END = Long.MIN_VALUE;

    private static final VarHandle ARRAY_LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long CANCEL = -1;

    private final BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    private final PrintStream out = System.out;
    private final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private WakeWorker() {
    }

    public static void main(String[] args) throws IOException {
        new WakeWorker().serve();
    }

    private void serve() throws IOException {
        say("hello " + ProcessHandle.current().pid());
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            if (line.isBlank()) {
                continue;
            }
            try {
                Args a = Args.parse(line);
                if (a.verb().equals("quit")) {
                    break;
                }
                run(a);
            } catch (Throwable t) {
                t.printStackTrace();
                say("error " + oneLine(t));
            }
        }
        System.exit(0);
    }

    private void run(Args a) throws Exception {
        switch (a.verb()) {
            case "sleep" -> sleep(a);
            case "wake" -> wake(a);
            case "consume" -> consume(a);
            case "produce" -> produce(a);
            case "fan-recv" -> fanReceive(a);
            case "fan-send" -> fanSend(a);
            case "idle" -> idle(a);
            case "futexv-sleep" -> futexSleep(a);
            case "futexv-wake" -> futexWake(a);
            default -> throw new IllegalArgumentException("unknown command '" + a.verb() + "'");
        }
    }

    // --- 1. one-way wake latency ---------------------------------------------------------------

    private void sleep(Args a) throws IOException {
        int warmup = a.getInt("warmup");
        int total = warmup + a.getInt("samples");
        Histogram h = histogram();
        try (Mailbox mailbox = Mailbox.map(Path.of(a.get("mailbox")))) {
            switch (a.get("kind")) {
                case "futex" -> sleepOnFutex(a, mailbox, warmup, total, h);
                case "loop" -> sleepInLoop(a, mailbox, warmup, total, h);
                case "eventfd" -> sleepOnEventFd(mailbox, warmup, total, h);
                case "pipe" -> sleepOnPipe(mailbox, warmup, total, h);
                default -> throw new IllegalArgumentException("no sleeper kind '" + a.get("kind") + "'");
            }
        }
        say("closed");
    }

    /** Blocks in Subscriber.receive with WaitStrategy.park(): the futex system call, no spinning. */
    private void sleepOnFutex(Args a, Mailbox mailbox, int warmup, int total, Histogram h) {
        try (Registry registry = Registry.connect(Path.of(a.get("socket")));
             Subscriber s = registry.attachByKey(a.getLong("key"), Access.RECV)) {
            s.waitStrategy(WaitStrategy.park());
            byte[] buffer = new byte[MESSAGE];
            MessageInfo info = new MessageInfo();
            sayReady("");
            for (int i = 0; i < total; i++) {
                int r = s.receive(buffer, 0, MESSAGE, info, TIMEOUT);
                long now = System.nanoTime();
                if (r != MESSAGE) {
                    throw new IllegalStateException("sample " + i + ": receive answered " + Outcome.describe(r)
                            + " (no wake within " + TIMEOUT.toSeconds() + " s?)");
                }
                if (i >= warmup && !mailbox.excluded()) {
                    record(h, now - (long) ARRAY_LONG.get(buffer, 0));
                }
                mailbox.acknowledge();
            }
            say("done hist=" + encode(h));
        }
    }

    /** Served by a CompletionLoop that never spins: its subscription's FUTEX_WAIT, or a MSG_RING, wakes it. */
    private void sleepInLoop(Args a, Mailbox mailbox, int warmup, int total, Histogram h) {
        try (Registry registry = Registry.connect(Path.of(a.get("socket")));
             Subscriber s = registry.attachByKey(a.getLong("key"), Access.RECV);
             CompletionLoop loop = CompletionLoop.open(256, WaitStrategy.park(), 16)) {
            Sampler sampler = new Sampler(loop, mailbox, warmup, h);
            loop.receive(s, sampler);
            sampler.warm = loop.stats();
            sayReady("");
            while (sampler.count < total) {
                if (loop.runOnce(TIMEOUT) == 0) {
                    throw new IllegalStateException("sample " + sampler.count + ": the loop was not woken within "
                            + TIMEOUT.toSeconds() + " s");
                }
            }
            say("done hist=" + encode(h) + " " + counters(sampler.warm, loop.stats()));
        }
    }

    /** A loop's handler that records how long after the waker's stamp it ran. */
    private static final class Sampler implements MessageHandler {
        private final CompletionLoop loop;
        private final Mailbox mailbox;
        private final int warmup;
        private final Histogram h;
        int count;
        CompletionLoop.Stats warm;

        Sampler(CompletionLoop loop, Mailbox mailbox, int warmup, Histogram h) {
            this.loop = loop;
            this.mailbox = mailbox;
            this.warmup = warmup;
            this.h = h;
        }

        @Override
        public void onMessage(MemorySegment slot, MessageInfo info) {
            long now = System.nanoTime();
            long stamp = slot.get(JAVA_LONG_UNALIGNED, 0);
            if (count >= warmup && !mailbox.excluded()) {
                record(h, now - stamp);
            }
            if (++count == warmup) {
                warm = loop.stats();
            }
            mailbox.acknowledge();
        }
    }

    /** The loop's counters between two snapshots, as answer words. */
    private static String counters(CompletionLoop.Stats from, CompletionLoop.Stats to) {
        return "wakes=" + (to.wakes() - from.wakes()) + " ringWakes=" + (to.ringWakes() - from.ringWakes())
                + " parks=" + (to.parks() - from.parks()) + " turns=" + (to.turns() - from.turns())
                + " spins=" + (to.spins() - from.spins()) + " messages=" + (to.messages() - from.messages());
    }

    /** Blocks in read(2) of an eventfd; the waker writes its stamp as the eventfd's count. */
    private void sleepOnEventFd(Mailbox mailbox, int warmup, int total, Histogram h) {
        try (OwnedFd efd = EventFd.create(0, EventFd.CLOEXEC);
             Watchdog dog = new Watchdog(() -> EventFd.write(efd.value(), 1))) {
            int fd = efd.value();
            sayReady(" fd=" + fd);
            for (int i = 0; i < total; i++) {
                long stamp = EventFd.read(fd);
                long now = System.nanoTime();
                dog.check(i);
                if (i >= warmup && !mailbox.excluded()) {
                    record(h, now - stamp);
                }
                mailbox.acknowledge();
            }
            say("done hist=" + encode(h));
        }
    }

    /** Blocks in read(2) of a pipe; the waker writes its stamp, 8 bytes. */
    private void sleepOnPipe(Mailbox mailbox, int warmup, int total, Histogram h) {
        try (Arena arena = Arena.ofConfined();
             Pipe pipe = Pipe.open(Pipe.CLOEXEC);
             Watchdog dog = new Watchdog(() -> {
                 MemorySegment junk = Arena.ofAuto().allocate(8, 8);
                 Pipe.write(pipe.writeEnd().value(), junk, 8);
             })) {
            MemorySegment buffer = arena.allocate(8, 8);
            int fd = pipe.readEnd().value();
            sayReady(" fd=" + pipe.writeEnd().value());
            for (int i = 0; i < total; i++) {
                long got = Pipe.read(fd, buffer, 8);
                long now = System.nanoTime();
                while (got > 0 && got < 8) {
                    got += Pipe.read(fd, buffer.asSlice(got), 8 - got);
                }
                if (got != 8) {
                    throw new IllegalStateException("the pipe ended at sample " + i);
                }
                dog.check(i);
                if (i >= warmup && !mailbox.excluded()) {
                    record(h, now - buffer.get(JAVA_LONG, 0));
                }
                mailbox.acknowledge();
            }
            say("done hist=" + encode(h));
        }
    }

    /**
     * Bounds a read(2) that has no timeout of its own: if no sample arrives for {@link #TIMEOUT},
     * it releases the read (writes to the descriptor itself) and the sleeper fails. It sleeps the
     * whole timeout between looks, so that it does not wake during the measurement.
     */
    private static final class Watchdog implements AutoCloseable {
        private final Thread thread;
        private volatile int progress;
        private volatile boolean expired;
        private volatile boolean closed;

        Watchdog(Runnable release) {
            this.thread = Thread.ofPlatform().daemon().name("watchdog").start(() -> {
                int seen = -1;
                while (!closed) {
                    try {
                        Thread.sleep(TIMEOUT);
                    } catch (InterruptedException e) {
                        return;
                    }
                    int now = progress;
                    if (!closed && now == seen) {
                        expired = true;
                        release.run();
                        return;
                    }
                    seen = now;
                }
            });
        }

        /** After read(2) returned with sample {@code i}: fails if the watchdog released it. */
        void check(int i) {
            if (expired) {
                throw new IllegalStateException("sample " + i + ": no wake within " + TIMEOUT.toSeconds() + " s");
            }
            progress = i + 1;
        }

        @Override
        public void close() {
            closed = true;
            thread.interrupt();
        }
    }

    private void wake(Args a) throws IOException {
        int warmup = a.getInt("warmup");
        int total = warmup + a.getInt("samples");
        long pid = a.getLong("pid");
        try (Mailbox mailbox = Mailbox.map(Path.of(a.get("mailbox")));
             Gap gap = new Gap(a.getLong("seed"), pid, new int[] {a.getInt("tid")});
             Poke poke = Poke.open(a, pid)) {
            say("ready");
            awaitGo();
            for (int i = 0; i < total; i++) {
                mailbox.exclude(!gap.pass(i >= warmup));
                poke.wake(System.nanoTime());
                mailbox.awaitAcknowledged(i + 1, TIMEOUT_NANOS);
            }
            say("done " + gap.words());
        }
        say("closed");
    }

    /** The waker's side of one kind of wake: hands the stamp over in the same act that wakes. */
    private abstract static class Poke implements AutoCloseable {
        abstract void wake(long stamp);

        @Override
        public abstract void close();

        static Poke open(Args a, long pid) {
            return switch (a.get("kind")) {
                case "futex", "loop" -> new UipcPoke(Path.of(a.get("socket")), a.getLong("key"));
                case "eventfd" -> new EventFdPoke(take(pid, a.getInt("fd")));
                case "pipe" -> new PipePoke(take(pid, a.getInt("fd")));
                default -> throw new IllegalArgumentException("no waker kind '" + a.get("kind") + "'");
            };
        }
    }

    /** Sends a uipc message (trySend: the commit wakes the parked receiver, by futex or by ring). */
    private static final class UipcPoke extends Poke {
        private final Registry registry;
        private final Subscriber sender;
        private final byte[] message = new byte[MESSAGE];

        UipcPoke(Path socket, long key) {
            this.registry = Registry.connect(socket);
            try {
                this.sender = registry.attachByKey(key, Access.SEND);
            } catch (RuntimeException e) {
                registry.close();
                throw e;
            }
        }

        @Override
        void wake(long stamp) {
            ARRAY_LONG.set(message, 0, stamp);
            int r = sender.trySend(message, 0, MESSAGE, 0, 0);
            if (r != MESSAGE) {
                throw new IllegalStateException("send: " + Outcome.describe(r));
            }
        }

        @Override
        public void close() {
            try {
                sender.close();
            } finally {
                registry.close();
            }
        }
    }

    private static final class EventFdPoke extends Poke {
        private final OwnedFd fd;

        EventFdPoke(OwnedFd fd) {
            this.fd = fd;
        }

        @Override
        void wake(long stamp) {
            EventFd.write(fd.value(), stamp);
        }

        @Override
        public void close() {
            fd.close();
        }
    }

    private static final class PipePoke extends Poke {
        private final OwnedFd fd;
        private final Arena arena = Arena.ofConfined();
        private final MemorySegment buffer = arena.allocate(8, 8);

        PipePoke(OwnedFd fd) {
            this.fd = fd;
        }

        @Override
        void wake(long stamp) {
            buffer.set(JAVA_LONG, 0, stamp);
            if (Pipe.write(fd.value(), buffer, 8) != 8) {
                throw new IllegalStateException("a write of 8 bytes to a pipe was cut short");
            }
        }

        @Override
        public void close() {
            try {
                fd.close();
            } finally {
                arena.close();
            }
        }
    }

    /** Takes descriptor {@code fd} of process {@code pid} (pidfd_getfd: the same user may). */
    private static OwnedFd take(long pid, int fd) {
        try (OwnedFd pidfd = PidFd.open((int) pid)) {
            return PidFd.getFd(pidfd.value(), fd);
        }
    }

    // --- 2. streaming through the loop against a blocking receive -------------------------------

    private void consume(Args a) throws IOException {
        String mode = a.get("mode");
        int size = a.getInt("size");
        try (Registry registry = Registry.connect(Path.of(a.get("socket")));
             Subscriber s = registry.attachByKey(a.getLong("key"), Access.RECV);
             CompletionLoop loop = mode.equals("loop") ? CompletionLoop.open() : null) {
            Consumer c = new Consumer();
            if (loop != null) {
                loop.receive(s, c);
            }
            byte[] buffer = new byte[size];
            MessageInfo info = new MessageInfo();
            say("ready");
            awaitGo();
            consumeUntilEnd(mode, s, loop, c, buffer, info, size);
            say("warm count=" + c.count);
            c.reset();
            CompletionLoop.Stats before = loop != null ? loop.stats() : null;
            consumeUntilEnd(mode, s, loop, c, buffer, info, size);
            say("done end=" + c.end + " count=" + c.count + " sum=" + c.sum
                    + (loop != null ? " " + counters(before, loop.stats()) : ""));
        }
        say("closed");
    }

    private static void consumeUntilEnd(String mode, Subscriber s, CompletionLoop loop, Consumer c, byte[] buffer,
                                        MessageInfo info, int size) {
        switch (mode) {
            case "copy" -> {
                for (;;) {
                    int r = s.receive(buffer, 0, size, info, TIMEOUT);
                    if (r != size) {
                        throw new IllegalStateException("receive: " + Outcome.describe(r));
                    }
                    long v = (long) ARRAY_LONG.get(buffer, 0);
                    if (v == END) {
                        c.end = System.nanoTime();
                        return;
                    }
                    c.count++;
                    c.sum += v;
                }
            }
            case "inplace" -> {
                while (!c.ended) {
                    int r = s.receive(c, info, TIMEOUT);
                    if (r != size) {
                        throw new IllegalStateException("receive: " + Outcome.describe(r));
                    }
                }
            }
            case "loop" -> {
                while (!c.ended) {
                    if (loop.runOnce(TIMEOUT) == 0) {
                        throw new IllegalStateException("the loop had nothing for " + TIMEOUT.toSeconds() + " s after "
                                + c.count + " messages");
                    }
                }
            }
            default -> throw new IllegalArgumentException("no consumer mode '" + mode + "'");
        }
    }

    /** Counts and adds up the messages it is handed in place; notes when the end arrives. */
    private static final class Consumer implements MessageHandler {
        long count;
        long sum;
        long end;
        boolean ended;

        @Override
        public void onMessage(MemorySegment slot, MessageInfo info) {
            long v = slot.get(JAVA_LONG_UNALIGNED, 0);
            if (v == END) {
                end = System.nanoTime();
                ended = true;
            } else {
                count++;
                sum += v;
            }
        }

        void reset() {
            count = 0;
            sum = 0;
            ended = false;
        }
    }

    private void produce(Args a) throws IOException {
        int size = a.getInt("size");
        long warmup = a.getLong("warmup");
        long count = a.getLong("count");
        try (Registry registry = Registry.connect(Path.of(a.get("socket")));
             Subscriber s = registry.attachByKey(a.getLong("key"), Access.SEND)) {
            byte[] message = new byte[size];
            say("ready");
            awaitGo();
            for (long i = 0; i < warmup; i++) {
                send(s, message, size, i);
            }
            send(s, message, size, END);
            say("warm-sent");
            awaitGo();
            long t0 = System.nanoTime();
            for (long i = 0; i < count; i++) {
                send(s, message, size, i);
            }
            long t1 = System.nanoTime();
            send(s, message, size, END);
            say("sent t0=" + t0 + " t1=" + t1);
        }
        say("closed");
    }

    private static void send(Subscriber s, byte[] message, int size, long value) {
        ARRAY_LONG.set(message, 0, value);
        int r = s.send(message, 0, size, 0, 0, TIMEOUT);
        if (r != size) {
            throw new IllegalStateException("send: " + Outcome.describe(r));
        }
    }

    // --- 3. broadcast wake cost -----------------------------------------------------------------

    private void fanReceive(Args a) throws Exception {
        int n = a.getInt("receivers");
        int total = a.getInt("warmup") + a.getInt("samples");
        boolean park = a.get("mode").equals("park");
        List<Subscriber> subscribers = new ArrayList<>();
        try (Registry registry = Registry.connect(Path.of(a.get("socket")));
             Mailbox mailbox = Mailbox.map(Path.of(a.get("mailbox")))) {
            try {
                for (int r = 0; r < n; r++) {
                    subscribers.add(registry.attachByKey(a.getLong("key"), Access.RECV).waitStrategy(WaitStrategy.park()));
                }
                int[] tids = new int[n];
                Throwable[] failures = new Throwable[n];
                CountDownLatch started = new CountDownLatch(n);
                Thread[] threads = new Thread[n];
                for (int r = 0; r < n; r++) {
                    int index = r;
                    Subscriber s = subscribers.get(r);
                    threads[r] = Thread.ofPlatform().name("receiver-" + r).start(() -> {
                        tids[index] = ThreadState.currentTid();
                        started.countDown();
                        try {
                            fanReceiver(s, mailbox, index, n, total, park);
                        } catch (Throwable t) {
                            failures[index] = t;
                        }
                    });
                }
                if (!started.await(TIMEOUT_NANOS, TimeUnit.NANOSECONDS)) {
                    throw new IllegalStateException("the receiver threads did not start within " + TIMEOUT.toSeconds() + " s");
                }
                StringBuilder list = new StringBuilder();
                for (int tid : tids) {
                    list.append(list.isEmpty() ? "" : ",").append(tid);
                }
                say("ready pid=" + ProcessHandle.current().pid() + " tids=" + list);
                long deadline = System.nanoTime() + TIMEOUT_NANOS + total * TimeUnit.MILLISECONDS.toNanos(50);
                for (Thread t : threads) {
                    if (!t.join(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())))) {
                        throw new IllegalStateException(t.getName() + " has not finished within its deadline");
                    }
                }
                for (int r = 0; r < n; r++) {
                    if (failures[r] != null) {
                        throw new IllegalStateException("receiver " + r + ": " + oneLine(failures[r]), failures[r]);
                    }
                }
                say("done");
            } finally {
                for (Subscriber s : subscribers) {
                    s.close();
                }
            }
        }
        say("closed");
    }

    private static void fanReceiver(Subscriber s, Mailbox mailbox, int index, int n, int total, boolean park) {
        byte[] buffer = new byte[MESSAGE];
        MessageInfo info = new MessageInfo();
        for (int i = 0; i < total; i++) {
            int r;
            if (park) {
                r = s.receive(buffer, 0, MESSAGE, info, TIMEOUT);
            } else {
                // Never announces itself: a receiver that polls, so that no sleeper is parked.
                long deadline = System.nanoTime() + TIMEOUT_NANOS;
                while ((r = s.tryReceive(buffer, 0, MESSAGE, info)) == Outcome.EMPTY) {
                    if (System.nanoTime() - deadline > 0) {
                        break;
                    }
                    LockSupport.parkNanos(50_000);
                }
            }
            long now = System.nanoTime();
            if (r != MESSAGE) {
                throw new IllegalStateException("sample " + i + ": receive answered " + Outcome.describe(r));
            }
            mailbox.ran(index, now);
            mailbox.acknowledge(n);
        }
    }

    private void fanSend(Args a) throws IOException {
        int n = a.getInt("receivers");
        int warmup = a.getInt("warmup");
        int total = warmup + a.getInt("samples");
        int[] tids = a.get("tids", "").isEmpty() ? new int[0] : a.getInts("tids");
        Histogram sendCost = histogram();
        Histogram last = histogram();
        try (Registry registry = Registry.connect(Path.of(a.get("socket")));
             Subscriber s = registry.attachByKey(a.getLong("key"), Access.SEND);
             Mailbox mailbox = Mailbox.map(Path.of(a.get("mailbox")));
             Gap gap = new Gap(a.getLong("seed"), a.getLong("pid"), tids)) {
            byte[] message = new byte[MESSAGE];
            say("ready");
            awaitGo();
            for (int i = 0; i < total; i++) {
                boolean counted = i >= warmup;
                boolean asleep = gap.pass(counted);
                long t0 = System.nanoTime();
                ARRAY_LONG.set(message, 0, t0);
                int r = s.trySend(message, 0, MESSAGE, 0, 0);
                long t1 = System.nanoTime();
                if (r != MESSAGE) {
                    throw new IllegalStateException("sample " + i + ": send answered " + Outcome.describe(r));
                }
                mailbox.awaitAcknowledged((i + 1) * n, TIMEOUT_NANOS);
                long lastRan = Long.MIN_VALUE;
                for (int k = 0; k < n; k++) {
                    lastRan = Math.max(lastRan, mailbox.ran(k));
                }
                if (counted && asleep) {
                    record(sendCost, t1 - t0);
                    record(last, lastRan - t0);
                }
            }
            say("done send=" + encode(sendCost) + " last=" + encode(last) + " " + gap.words());
        }
        say("closed");
    }

    // --- 4. idle CPU ----------------------------------------------------------------------------

    private void idle(Args a) throws IOException {
        int n = a.getInt("subscriptions");
        long millis = a.getLong("millis");
        List<Subscriber> subscribers = new ArrayList<>();
        try (Registry registry = Registry.connect(Path.of(a.get("socket")))) {
            try {
                long setup = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    subscribers.add(registry.attachByKey(a.getLong("key"), Access.RECV));
                }
                try (CompletionLoop loop = CompletionLoop.open()) {
                    long[] unexpected = new long[1];
                    MessageHandler handler = (slot, info) -> unexpected[0]++;
                    for (Subscriber s : subscribers) {
                        loop.receive(s, handler);
                    }
                    setup = System.nanoTime() - setup;
                    // Let every subscription park: a few idle turns, then a FUTEX_WAIT each.
                    if (loop.runOnce(Duration.ofMillis(300)) != 0) {
                        throw new IllegalStateException("the idle loop found work while parking: " + loop.stats());
                    }
                    String shape = loop.toString();
                    Path threadStat = Path.of("/proc/thread-self/stat");
                    Path processStat = Path.of("/proc/self/stat");
                    // The readings nest, the finest innermost, so that none counts another's cost.
                    long processTicks = ticks(processStat);
                    long threadTicks = ticks(threadStat);
                    CompletionLoop.Stats before = loop.stats();
                    long wall = System.nanoTime();
                    long threadCpu = threads.getCurrentThreadCpuTime();
                    int work = loop.runOnce(Duration.ofMillis(millis));
                    threadCpu = threads.getCurrentThreadCpuTime() - threadCpu;
                    wall = System.nanoTime() - wall;
                    CompletionLoop.Stats after = loop.stats();
                    threadTicks = ticks(threadStat) - threadTicks;
                    processTicks = ticks(processStat) - processTicks;
                    if (work != 0 || unexpected[0] != 0) {
                        throw new IllegalStateException("the idle loop did work: " + work + " items, "
                                + unexpected[0] + " messages");
                    }
                    say("done wall=" + wall + " threadCpu=" + threadCpu + " threadTicks=" + threadTicks
                            + " processTicks=" + processTicks + " setup=" + setup + " polled=" + polled(shape)
                            + " " + counters(before, after));
                }
            } finally {
                for (Subscriber s : subscribers) {
                    s.close();
                }
            }
        }
        say("closed");
    }

    /** How many subscriptions the loop still polls, from its description "CompletionLoop[N subscriptions, M polled, ...]". */
    private static String polled(String shape) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+) polled").matcher(shape);
        return m.find() ? m.group(1) : "unknown";
    }

    /** utime + stime of a /proc stat file (fields 14 and 15), in clock ticks (1/100 s). */
    static long ticks(Path stat) throws IOException {
        String s = Files.readString(stat);
        String[] fields = s.substring(s.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    // --- 5. FUTEX_WAITV against one FUTEX_WAIT per subscription ---------------------------------

    private void futexSleep(Args a) throws IOException {
        boolean vector = a.get("variant").equals("waitv");
        int words = a.getInt("words");
        int reps = a.getInt("reps");
        int warmup = a.getInt("warmup");
        int total = warmup + a.getInt("samples");
        if (words > Mailbox.MAX_WORDS) {
            throw new IllegalArgumentException("at most " + Mailbox.MAX_WORDS + " words");
        }
        Histogram latency = histogram();
        Histogram rearm = histogram();
        try (Mailbox mailbox = Mailbox.map(Path.of(a.get("mailbox")));
             Arena arena = Arena.ofConfined();
             Ring ring = Ring.open(RingOptions.defaults().withEntries(Math.max(64, Integer.highestOneBit(words) * 2)))) {
            MemorySegment memory = mailbox.memory();
            FutexVector[] vectors = new FutexVector[(words + FutexVector.MAX - 1) / FutexVector.MAX];
            for (int k = 0; k < vectors.length; k++) {
                vectors[k] = new FutexVector(arena, Math.min(FutexVector.MAX, words - k * FutexVector.MAX));
            }
            Completion c = new Completion();
            long[] arm = new long[reps];
            for (int rep = 0; rep < reps; rep++) {
                long t0 = System.nanoTime();
                armAll(ring, mailbox, vectors, words, vector);
                arm[rep] = System.nanoTime() - t0;
                cancelAll(ring, c, vector ? vectors.length : words);
            }
            armAll(ring, mailbox, vectors, words, vector);
            StringBuilder arms = new StringBuilder();
            for (long v : arm) {
                arms.append(arms.isEmpty() ? "" : ",").append(v);
            }
            sayReady(" arm=" + arms);
            for (int i = 0; i < total; i++) {
                ring.submitAndWait(1, TIMEOUT_NANOS);
                long now = System.nanoTime();
                if (!ring.next(c)) {
                    throw new IllegalStateException("sample " + i + ": no wake within " + TIMEOUT.toSeconds() + " s");
                }
                int word;
                if (vector) {
                    if (c.result() < 0) {
                        throw new IllegalStateException("sample " + i + ": FUTEX_WAITV " + c.userData() + " completed with "
                                + Errno.nameOf(c.result()));
                    }
                    word = (int) c.userData() * FutexVector.MAX + c.result();
                } else {
                    if (c.result() != 0) {
                        throw new IllegalStateException("sample " + i + ": FUTEX_WAIT " + c.userData() + " completed with "
                                + Errno.nameOf(c.result()));
                    }
                    word = (int) c.userData();
                }
                if (word != mailbox.which()) {
                    throw new IllegalStateException("sample " + i + ": word " + word + " woke, but the waker rang "
                            + mailbox.which());
                }
                long stamp = mailbox.stamp();
                long r0 = System.nanoTime();
                int value = mailbox.word(word);
                if (vector) {
                    FutexVector v = vectors[word / FutexVector.MAX];
                    v.expect(word % FutexVector.MAX, value);
                    ring.prepare().futexWaitv(v).userData(word / FutexVector.MAX);
                } else {
                    ring.prepare().futexWait(memory, Mailbox.wordOffset(word), value).userData(word);
                }
                ring.submit();
                long r1 = System.nanoTime();
                if (i >= warmup && !mailbox.excluded()) {
                    record(latency, now - stamp);
                    record(rearm, r1 - r0);
                }
                if (ring.next(c)) {
                    throw new IllegalStateException("sample " + i + ": a second completion (user data " + c.userData()
                            + ", result " + c.result() + ") where one wake was rung");
                }
                mailbox.acknowledge();
            }
            say("done latency=" + encode(latency) + " rearm=" + encode(rearm));
        }
        say("closed");
    }

    /** Arms a wait on every word: one FUTEX_WAIT each, or one FUTEX_WAITV per 128; one io_uring_enter. */
    private static void armAll(Ring ring, Mailbox mailbox, FutexVector[] vectors, int words, boolean vector) {
        MemorySegment memory = mailbox.memory();
        if (vector) {
            for (int k = 0; k < vectors.length; k++) {
                FutexVector v = vectors[k];
                v.clear();
                int first = k * FutexVector.MAX;
                for (int j = 0; j < FutexVector.MAX && first + j < words; j++) {
                    v.add(memory, Mailbox.wordOffset(first + j), mailbox.word(first + j));
                }
                ring.prepare().futexWaitv(v).userData(k);
            }
        } else {
            for (int k = 0; k < words; k++) {
                ring.prepare().futexWait(memory, Mailbox.wordOffset(k), mailbox.word(k)).userData(k);
            }
        }
        ring.submit();
    }

    /** Cancels every wait in flight and reaps the {@code expected} cancelled completions. */
    private static void cancelAll(Ring ring, Completion c, int expected) {
        ring.prepare().cancel(0, Sqe.CANCEL_ANY | Sqe.CANCEL_ALL).userData(CANCEL);
        long deadline = System.nanoTime() + TIMEOUT_NANOS;
        int cancelled = 0;
        boolean answered = false;
        while (cancelled < expected || !answered) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new IllegalStateException("cancelling " + expected + " waits: " + cancelled + " cancelled within "
                        + TIMEOUT.toSeconds() + " s");
            }
            ring.submitAndWait(1, left);
            while (ring.next(c)) {
                if (c.userData() == CANCEL) {
                    answered = true;
                } else if (c.result() == -Errno.ECANCELED.number()) {
                    cancelled++;
                } else {
                    throw new IllegalStateException("a wait completed by itself (user data " + c.userData() + ", result "
                            + Errno.nameOf(c.result()) + ") while nobody rang");
                }
            }
        }
    }

    private void futexWake(Args a) throws IOException {
        int words = a.getInt("words");
        int warmup = a.getInt("warmup");
        int total = warmup + a.getInt("samples");
        SplittableRandom pick = new SplittableRandom(a.getLong("seed") ^ 0x5eed_5eedL);
        try (Mailbox mailbox = Mailbox.map(Path.of(a.get("mailbox")));
             Gap gap = new Gap(a.getLong("seed"), a.getLong("pid"), new int[] {a.getInt("tid")})) {
            say("ready");
            awaitGo();
            for (int i = 0; i < total; i++) {
                mailbox.exclude(!gap.pass(i >= warmup));
                int w = pick.nextInt(words);
                mailbox.which(w);
                mailbox.stamp(System.nanoTime());
                mailbox.ring(w);
                mailbox.awaitAcknowledged(i + 1, TIMEOUT_NANOS);
            }
            say("done " + gap.words());
        }
        say("closed");
    }

    // --- plumbing -------------------------------------------------------------------------------

    private void sayReady(String more) {
        say("ready pid=" + ProcessHandle.current().pid() + " tid=" + ThreadState.currentTid() + more);
    }

    static Histogram histogram() {
        return new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
    }

    private static void record(Histogram h, long nanos) {
        h.recordValue(Math.max(0, Math.min(nanos, h.getHighestTrackableValue())));
    }

    private static String encode(Histogram h) {
        ByteBuffer buffer = ByteBuffer.allocate(h.getNeededByteBufferCapacity());
        int n = h.encodeIntoCompressedByteBuffer(buffer);
        return Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(buffer.array(), n));
    }

    private void awaitGo() throws IOException {
        String line = in.readLine();
        if (!"go".equals(line)) {
            throw new IllegalStateException("expected 'go' from the coordinator, got: " + line);
        }
    }

    private void say(String line) {
        out.println(Worker.PROTOCOL + line);
        out.flush();
    }

    private static String oneLine(Throwable t) {
        StringBuilder b = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (!b.isEmpty()) {
                b.append(" <- ");
            }
            b.append(c.getClass().getSimpleName()).append(": ").append(c.getMessage());
        }
        return b.toString().replace('\n', ' ');
    }
}
