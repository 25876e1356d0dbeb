package dev.uipc.bench.jmh;

import dev.uipc.uring.CompletionHandler;
import dev.uipc.uring.Ring;
import dev.uipc.uring.RingOptions;
import dev.uipc.uring.SetupFlag;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.util.concurrent.TimeUnit;

/**
 * The cost of one NOP submitted and completed: the floor under every io_uring operation uipc
 * makes. Reported per NOP; the batch of 32 amortises one io_uring_enter over 32 NOPs.
 *
 * <p>Each JMH thread owns its state, and Thread-scoped setup runs on that thread, so the
 * SINGLE_ISSUER ring is created by the thread that submits to it.
 *
 * <pre>bench/run NopBenchmark</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class NopBenchmark {
    /** default: SINGLE_ISSUER|DEFER_TASKRUN|TASKRUN_FLAG; registered: the same with a registered ring fd; plain: no flags. */
    @Param({"default", "registered", "plain"})
    public String ring;

    private Ring uring;
    private Blackhole sink;
    private final CompletionHandler consume = (result, flags, userData) -> sink.consume(userData + result);

    @Setup(Level.Trial)
    public void open(Blackhole blackhole) {
        sink = blackhole;
        RingOptions options = RingOptions.defaults().withEntries(64);
        uring = Ring.open(switch (ring) {
            case "default" -> options;
            case "registered" -> options.withRegisteredRingFd(true);
            case "plain" -> options.withFlags(SetupFlag.NO_SQARRAY);
            default -> throw new IllegalArgumentException(ring);
        });
    }

    @TearDown(Level.Trial)
    public void close() {
        uring.close();
    }

    @Benchmark
    public int batchOf1() {
        uring.prepare().nop().userData(1);
        uring.submitAndWait(1);
        return uring.drain(consume);
    }

    @Benchmark
    @OperationsPerInvocation(32)
    public int batchOf32() {
        for (int i = 0; i < 32; i++) {
            uring.prepare().nop().userData(i);
        }
        uring.submitAndWait(32);
        return uring.drain(consume);
    }
}
