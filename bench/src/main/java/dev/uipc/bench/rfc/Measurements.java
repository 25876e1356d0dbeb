package dev.uipc.bench.rfc;

import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.DataFormatException;

/**
 * Makes one measurement across worker processes and returns its figures: a stream (one sender,
 * N receivers), a ping-pong, or an idle receiver. Every wait has a deadline; any failure kills
 * the workers (see {@link WorkerPool}) and is thrown as a {@link BenchFailure}.
 */
final class Measurements {
    private static final long SETUP = TimeUnit.SECONDS.toNanos(60);

    private final WorkerPool pool;
    private final SuiteEnvironment env;

    Measurements(WorkerPool pool, SuiteEnvironment env) {
        this.pool = pool;
        this.env = env;
    }

    /**
     * One streaming run.
     *
     * @param senderNanos     the sender's time per message, from its first timed send to the
     *                        return of its last: the RFC's "sender-side" figure
     * @param deliveredNanos  from the sender's first timed send until the last receiver has
     *                        the end marker, per message: amortised cost in a pipelined stream
     * @param senderBytes     bytes the sending thread allocated per message
     * @param receiverBytes   bytes allocated per message by the receiving thread that allocated most
     * @param delivered       the fraction of messages that reached their receivers (below 1 only
     *                        for a lossy transport)
     */
    record Stream(double senderNanos, double deliveredNanos, double senderBytes, double receiverBytes,
                  double delivered) {
    }

    /** One ping-pong run: one-way latencies of both directions, and allocation per round trip. */
    record PingPong(Histogram oneWay, double pingerBytes, double pongerBytes) {
    }

    /**
     * One idle run.
     *
     * @param processCpu  CPU time of the whole receiving process (all its threads) over the
     *                    wall-clock interval, from /proc/PID/stat: 1.0 is one core
     * @param threadCpu   CPU time of the waiting thread alone, over the same interval
     * @param driverCpu   CPU time of the Aeron media driver's process, for Aeron; else NaN
     */
    record Idle(double processCpu, double threadCpu, double driverCpu) {
    }

    Stream stream(Contender c, int size, int receivers, Wait wait, long warmup, long count) {
        pool.ensure(receivers, c.transport().isAeron());
        try (Link link = Link.open(c, size, receivers, wait, env)) {
            long deadline = System.nanoTime() + SETUP;
            WorkerProcess s = pool.sender();
            s.send(Args.of("stream-send").withAll(link.senderWords()).with("warmup", warmup).with("count", count).line());
            s.await("ready", deadline);
            List<WorkerProcess> rs = new ArrayList<>();
            for (int i = 0; i < receivers; i++) {
                WorkerProcess r = pool.receiver(i);
                r.send(Args.of("stream-recv").withAll(link.receiverWords(i)).line());
                rs.add(r);
            }
            for (WorkerProcess r : rs) {
                r.await("ready", deadline);
            }
            for (WorkerProcess r : rs) {
                r.send("go");
            }
            s.send("go");
            deadline = System.nanoTime() + phaseDeadline(warmup, receivers, size);
            s.await("warm-sent", deadline);
            for (WorkerProcess r : rs) {
                r.await("warm", deadline);
            }
            s.send("go");
            deadline = System.nanoTime() + phaseDeadline(count, receivers, size);
            String[] sent = s.await("sent", deadline);
            long t0 = Long.parseLong(sent[0]);
            long t1 = Long.parseLong(sent[1]);
            long senderAllocated = Long.parseLong(sent[2]);
            long lastEnd = Long.MIN_VALUE;
            long messages = 0;
            long sum = 0;
            long maxReceiverAllocated = 0;
            List<String> problems = new ArrayList<>();
            long expectedSum = count * (count - 1) / 2;
            for (int i = 0; i < rs.size(); i++) {
                String[] done = rs.get(i).await("done", deadline);
                long end = Long.parseLong(done[0]);
                long n = Long.parseLong(done[1]);
                long s1 = Long.parseLong(done[2]);
                maxReceiverAllocated = Math.max(maxReceiverAllocated, Long.parseLong(done[3]));
                lastEnd = Math.max(lastEnd, end);
                messages += n;
                sum += s1;
                if (c.delivery() != Delivery.MULTICAST && c.transport() != Transport.AGRONA_BROADCAST
                        && (n != count || s1 != expectedSum)) {
                    problems.add("receiver " + i + " got " + n + " messages (values adding up to " + s1 + ") of " + count
                            + " (adding up to " + expectedSum + ")");
                }
            }
            if (c.delivery() == Delivery.MULTICAST && (messages != count || sum != expectedSum)) {
                problems.add("the receivers got " + messages + " messages (values adding up to " + sum + ") of " + count);
            }
            if (!problems.isEmpty()) {
                throw new BenchFailure(c.label() + " lost, repeated or tore messages: " + String.join("; ", problems));
            }
            s.await("closed", deadline);
            for (WorkerProcess r : rs) {
                r.send("go");
            }
            for (WorkerProcess r : rs) {
                r.await("closed", deadline);
            }
            long expectedMessages = c.delivery() == Delivery.MULTICAST ? count : count * receivers;
            return new Stream((double) (t1 - t0) / count, (double) (lastEnd - t0) / count,
                    (double) senderAllocated / count, (double) maxReceiverAllocated / Math.max(1, messages / receivers),
                    (double) messages / expectedMessages);
        } catch (RuntimeException | Error e) {
            pool.reset();
            throw e;
        }
    }

    PingPong pingPong(Contender c, Wait wait, int size, long warmup, long count) {
        pool.ensure(1, c.transport().isAeron());
        try (Link ping = Link.open(c, size, 1, wait, env); Link pong = Link.open(c, size, 1, wait, env)) {
            long deadline = System.nanoTime() + SETUP;
            WorkerProcess pinger = pool.sender();
            WorkerProcess ponger = pool.receiver(0);
            // Each side's sender first: Aeron subscriptions wait in their constructors for a publication.
            ponger.send(Args.of("pong").withAll("out", pong.senderWords()).withAll("in", ping.receiverWords(0))
                    .with("warmup", warmup).line());
            pinger.send(Args.of("ping").withAll("out", ping.senderWords()).withAll("in", pong.receiverWords(0))
                    .with("warmup", warmup).with("count", count).line());
            ponger.await("ready", deadline);
            pinger.await("ready", deadline);
            ponger.send("go");
            pinger.send("go");
            deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120) + (warmup + count) * TimeUnit.MILLISECONDS.toNanos(1);
            String[] a = pinger.await("done", deadline);
            String[] b = ponger.await("done", deadline);
            pinger.await("closed", deadline);
            ponger.await("closed", deadline);
            Histogram h = decode(a[0]);
            h.add(decode(b[0]));
            return new PingPong(h, (double) Long.parseLong(a[1]) / count, (double) Long.parseLong(b[1]) / count);
        } catch (RuntimeException | Error e) {
            pool.reset();
            throw e;
        }
    }

    Idle idle(Contender c, Wait wait, long millis) {
        pool.ensure(1, c.transport().isAeron());
        try (Link link = Link.open(c, 64, 1, wait, env)) {
            long deadline = System.nanoTime() + SETUP;
            WorkerProcess waiter = pool.receiver(0);
            WorkerProcess waker = pool.sender();
            waker.send(Args.of("idle-send").withAll(link.senderWords()).with("millis", millis).line());
            waker.await("ready", deadline);
            waiter.send(Args.of("idle-recv").withAll(link.receiverWords(0)).line());
            waiter.await("ready", deadline);
            waiter.send("go");
            waiter.await("waiting", deadline);
            WorkerProcess driver = c.transport().isAeron() ? pool.driver() : null;
            long wall = System.nanoTime();
            long cpu = cpuNanos(waiter.pid());
            long driverCpu = driver != null ? cpuNanos(driver.pid()) : 0;
            waker.send("go");
            deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis) + SETUP;
            String[] done = waiter.await("done", deadline);
            cpu = cpuNanos(waiter.pid()) - cpu;
            driverCpu = driver != null ? cpuNanos(driver.pid()) - driverCpu : 0;
            wall = System.nanoTime() - wall;
            waker.await("sent", deadline);
            waker.await("closed", deadline);
            waiter.await("closed", deadline);
            return new Idle((double) cpu / wall, Double.parseDouble(done[0]) / wall,
                    driver != null ? (double) driverCpu / wall : Double.NaN);
        } catch (RuntimeException | Error e) {
            pool.reset();
            throw e;
        }
    }

    /** Time for a phase of {@code count} messages to {@code receivers}: generous, a hang's bound, not a speed. */
    private static long phaseDeadline(long count, int receivers, int size) {
        long perMessage = TimeUnit.MICROSECONDS.toNanos(20) + size * 10L;
        return TimeUnit.SECONDS.toNanos(120) + count * Math.max(1, receivers) * perMessage;
    }

    private static Histogram decode(String base64) {
        try {
            return Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(Base64.getDecoder().decode(base64)), 0);
        } catch (DataFormatException e) {
            throw new BenchFailure("a worker sent a histogram that does not decode: " + e.getMessage());
        }
    }

    /**
     * User plus system CPU time of process {@code pid}, all threads, from /proc/PID/stat (fields
     * 14 and 15, in clock ticks of 1/100 s: USER_HZ is 100 on every Linux ABI uipc runs on).
     */
    static long cpuNanos(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
            return ticks * 10_000_000L;
        } catch (IOException e) {
            throw new BenchFailure("could not read /proc/" + pid + "/stat: " + e.getMessage());
        }
    }
}
