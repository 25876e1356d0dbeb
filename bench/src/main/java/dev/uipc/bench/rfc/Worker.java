package dev.uipc.bench.rfc;

import dev.uipc.bench.rfc.endpoint.AeronIpc;
import dev.uipc.bench.rfc.endpoint.Receiver;
import dev.uipc.bench.rfc.endpoint.Sender;
import dev.uipc.bench.rfc.endpoint.Tally;
import org.HdrHistogram.Histogram;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.TimeUnit;

/**
 * A worker process: one JVM that the coordinator starts once per run and drives through its
 * standard input, one command per line; it answers on standard output, one line per step. It
 * plays a sender, a receiver, a pinger, a ponger or the Aeron media driver, each measurement anew,
 * on its main thread (a platform thread, as uipc's io_uring wait needs). It stays up between
 * measurements, so that the run pays for JVM start-up once, not once per figure; and it exits
 * when its standard input ends, so that it cannot outlive the coordinator for long.
 *
 * <p>Protocol (coordinator → worker; worker → coordinator):
 * <pre>
 * stream-send WORDS warmup=W count=N   → ready; ← go; → warm-sent; ← go; → sent T0 T1 ALLOCATED; → closed
 * stream-recv WORDS                    → ready; ← go; → warm N; → done TEND N SUM ALLOCATED; ← go; → closed
 * ping out.WORDS in.WORDS warmup=W count=N → ready; ← go; → done HISTOGRAM ALLOCATED; → closed
 * pong out.WORDS in.WORDS warmup=W     → ready; ← go; → done HISTOGRAM ALLOCATED; → closed
 * idle-recv WORDS                      → ready; ← go; → waiting; → done THREAD_CPU_NANOS; → closed
 * idle-send WORDS millis=M             → ready; ← go; → sent; → closed
 * aeron-driver dir=D                   → ready   (the driver runs until the worker exits)
 * any step may answer: error MESSAGE
 * </pre>
 */
public final class Worker {
    /**
     * Marks the protocol's lines, so that whatever else reaches standard output (the JVM's own
     * notices, a profiler's) is not taken for an answer.
     */
    public static final String PROTOCOL = "@ ";

    private final BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    private final PrintStream out = System.out;
    private final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private AutoCloseable driver;

    private Worker() {
    }

    public static void main(String[] args) throws IOException {
        new Worker().serve();
    }

    private void serve() throws IOException {
        say("hello " + ProcessHandle.current().pid());
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            if (line.isBlank()) {
                continue;
            }
            Args a;
            try {
                a = Args.parse(line);
                if (a.verb().equals("quit")) {
                    break;
                }
                run(a);
            } catch (Throwable t) {
                t.printStackTrace();
                say("error " + oneLine(t));
            }
        }
        if (driver != null) {
            try {
                driver.close();
            } catch (Exception ignored) {
                // exiting anyway
            }
        }
        System.exit(0);
    }

    private void run(Args a) throws Exception {
        switch (a.verb()) {
            case "stream-send" -> streamSend(a);
            case "stream-recv" -> streamReceive(a);
            case "ping" -> ping(a);
            case "pong" -> pong(a);
            case "idle-recv" -> idleReceive(a);
            case "idle-send" -> idleSend(a);
            case "aeron-driver" -> {
                if (driver == null) {
                    driver = AeronIpc.launchDriver(a.get("dir"));
                }
                say("ready");
            }
            default -> throw new IllegalArgumentException("unknown command '" + a.verb() + "'");
        }
    }

    private void streamSend(Args a) throws IOException {
        long warmup = a.getLong("warmup");
        long count = a.getLong("count");
        try (Sender s = Endpoints.sender(a)) {
            say("ready");
            awaitGo();
            s.sendSequence(0, warmup);
            s.sendEnd();
            say("warm-sent");
            awaitGo();
            long allocated = allocated();
            long t0 = System.nanoTime();
            s.sendSequence(0, count);
            long t1 = System.nanoTime();
            allocated = allocated() - allocated;
            s.sendEnd();
            say("sent " + t0 + " " + t1 + " " + allocated);
        }
        say("closed");
    }

    private void streamReceive(Args a) throws IOException {
        try (Receiver r = Endpoints.receiver(a)) {
            say("ready");
            awaitGo();
            Tally warm = new Tally();
            r.receiveUntilEnd(warm);
            say("warm " + warm.count);
            Tally timed = new Tally();
            long allocated = allocated();
            r.receiveUntilEnd(timed);
            long end = System.nanoTime();
            allocated = allocated() - allocated;
            say("done " + end + " " + timed.count + " " + timed.sum + " " + allocated);
            // Stay attached until every receiver is done: a uipc multicast sender deals its end
            // markers round-robin over the receivers attached at the time, so one that left
            // early would turn the deal and leave another without its marker.
            awaitGo();
        }
        say("closed");
    }

    private void ping(Args a) throws IOException {
        long warmup = a.getLong("warmup");
        long count = a.getLong("count");
        Histogram h = histogram();
        try (Sender s = Endpoints.sender(a.sub("out")); Receiver r = Endpoints.receiver(a.sub("in"))) {
            say("ready");
            awaitGo();
            for (long i = 0; i < warmup; i++) {
                s.send(System.nanoTime());
                r.receive();
            }
            long allocated = allocated();
            for (long i = 0; i < count; i++) {
                s.send(System.nanoTime());
                long stamp = r.receive();
                h.recordValue(Math.min(System.nanoTime() - stamp, h.getHighestTrackableValue()));
            }
            allocated = allocated() - allocated;
            s.sendEnd();
            say("done " + encode(h) + " " + allocated);
        }
        say("closed");
    }

    private void pong(Args a) throws IOException {
        long warmup = a.getLong("warmup");
        Histogram h = histogram();
        try (Sender s = Endpoints.sender(a.sub("out")); Receiver r = Endpoints.receiver(a.sub("in"))) {
            say("ready");
            awaitGo();
            long allocated = 0;
            for (long i = 0; ; i++) {
                if (i == warmup) {
                    allocated = allocated();
                }
                long stamp = r.receive();
                long now = System.nanoTime();
                if (stamp == Sender.END) {
                    break;
                }
                if (i >= warmup) {
                    h.recordValue(Math.min(now - stamp, h.getHighestTrackableValue()));
                }
                s.send(System.nanoTime());
            }
            allocated = allocated() - allocated;
            say("done " + encode(h) + " " + allocated);
        }
        say("closed");
    }

    private void idleReceive(Args a) throws IOException {
        try (Receiver r = Endpoints.receiver(a)) {
            say("ready");
            awaitGo();
            say("waiting");
            long cpu = threads.getCurrentThreadCpuTime();
            long v = r.receive();
            cpu = threads.getCurrentThreadCpuTime() - cpu;
            if (v != Sender.END) {
                throw new IllegalStateException("an idle receiver got a message: " + v);
            }
            say("done " + cpu);
        }
        say("closed");
    }

    private void idleSend(Args a) throws IOException, InterruptedException {
        try (Sender s = Endpoints.sender(a)) {
            say("ready");
            awaitGo();
            Thread.sleep(a.getLong("millis"));
            s.sendEnd();
            say("sent");
        }
        say("closed");
    }

    private static Histogram histogram() {
        return new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
    }

    private static String encode(Histogram h) {
        ByteBuffer buffer = ByteBuffer.allocate(h.getNeededByteBufferCapacity());
        int n = h.encodeIntoCompressedByteBuffer(buffer);
        return Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(buffer.array(), n));
    }

    private long allocated() {
        return threads.getCurrentThreadAllocatedBytes();
    }

    private void awaitGo() throws IOException {
        String line = in.readLine();
        if (!"go".equals(line)) {
            throw new IllegalStateException("expected 'go' from the coordinator, got: " + line);
        }
    }

    private void say(String line) {
        out.println(PROTOCOL + line);
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
