package dev.uipc.bench.wake;

import org.HdrHistogram.Histogram;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Every figure of one {@code bench/run wake}, accumulated over its runs, and why any is missing. */
final class WakeResults {

    // --- 1. one-way wake latency ---------------------------------------------------------------

    /** How the sleeper of section 1 sleeps, and how the waker wakes it. */
    enum Sleeper {
        FUTEX("futex", "`Subscriber.receive`, `park()`: futex(2) FUTEX_WAIT", "uipc send: futex(2) FUTEX_WAKE",
                WakeSession.Role.SLEEPER),
        LOOP_FUTEX("loop", "`CompletionLoop`, `park()`, ring doorbells off: io_uring FUTEX_WAIT",
                "uipc send: futex(2) FUTEX_WAKE", WakeSession.Role.SLEEPER_FUTEX),
        LOOP_RING("loop", "`CompletionLoop`, `park()`, ring doorbells on: io_uring_enter",
                "uipc send: io_uring MSG_RING", WakeSession.Role.SLEEPER),
        EVENTFD("eventfd", "read(2) of an eventfd", "write(2) of the eventfd", WakeSession.Role.SLEEPER),
        PIPE("pipe", "read(2) of a pipe", "write(2) of 8 bytes", WakeSession.Role.SLEEPER);

        final String kind;
        final String sleeps;
        final String wakes;
        final WakeSession.Role role;

        Sleeper(String kind, String sleeps, String wakes, WakeSession.Role role) {
            this.kind = kind;
            this.sleeps = sleeps;
            this.wakes = wakes;
            this.role = role;
        }

        boolean isUipc() {
            return this == FUTEX || this == LOOP_FUTEX || this == LOOP_RING;
        }

        boolean isLoop() {
            return this == LOOP_FUTEX || this == LOOP_RING;
        }

        String id() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }

    /** The samples of one way of sleeping, over every run. */
    static final class Latency {
        final Histogram histogram = WakeWorker.histogram();
        /** Counted samples by what the waker saw before waking: asleep at once, asleep after waiting longer, never. */
        long asleep;
        long later;
        long never;
        /** Sends of every run (warm-up too), and the channel's wake counter over them. */
        long sends;
        long channelWakes;
        /** The loop's counters over the counted samples (excluded ones too). */
        long counted;
        long loopWakes;
        long loopRingWakes;
        long loopParks;
        int runs;
    }

    final Map<Sleeper, Latency> latency = new LinkedHashMap<>();

    // --- 2. streaming ---------------------------------------------------------------------------

    /** How the consumer of section 2 takes its messages. */
    enum Consumer {
        RECEIVE_COPY("copy", "`receive(byte[])`, copy-out", WakeSession.Role.SLEEPER),
        RECEIVE_IN_PLACE("inplace", "`receive(MessageHandler)`, in place", WakeSession.Role.SLEEPER),
        LOOP_RING("loop", "`CompletionLoop` handler, ring doorbells on", WakeSession.Role.SLEEPER),
        LOOP_FUTEX("loop", "`CompletionLoop` handler, ring doorbells off", WakeSession.Role.SLEEPER_FUTEX);

        final String mode;
        final String label;
        final WakeSession.Role role;

        Consumer(String mode, String label, WakeSession.Role role) {
            this.mode = mode;
            this.label = label;
            this.role = role;
        }

        boolean isLoop() {
            return mode.equals("loop");
        }

        String id() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }

    record StreamKey(Consumer consumer, int size) {
    }

    /** One run of a stream: messages per second, and wakes and loop counters per message. */
    record StreamRun(double rate, double channelWakesPerMessage, double loopParksPerMessage, double loopWakesPerMessage,
                     double loopRingWakesPerMessage, double loopTurnsPerMessage) {
    }

    final Map<StreamKey, List<StreamRun>> streams = new LinkedHashMap<>();

    // --- 3. broadcast wake cost -----------------------------------------------------------------

    /** Receivers on the broadcast channel; whether they park (else one polls); whether the sender batches its wakes. */
    record FanKey(int receivers, boolean parked, boolean batched) {
        String label() {
            return parked ? receivers + " parked, " + (batched ? "one io_uring batch" : "one futex call each")
                    : "nobody parked (" + receivers + " polling)";
        }

        String id() {
            return parked ? receivers + "-parked-" + (batched ? "batched" : "one-each") : "nobody-parked";
        }
    }

    static final class FanOut {
        final Histogram send = WakeWorker.histogram();
        final Histogram last = WakeWorker.histogram();
        long asleep;
        long later;
        long never;
        long sends;
        long wakes;
    }

    final Map<FanKey, FanOut> fanOuts = new LinkedHashMap<>();

    // --- 4. idle --------------------------------------------------------------------------------

    /** One idle loop: wall time, CPU of its thread (clock_gettime, and /proc ticks) and of its process (ticks). */
    record Idle(int subscriptions, long wallNanos, long threadCpuNanos, long threadTicks, long processTicks, long turns,
                long parks, String polled, long setupNanos) {
    }

    final Map<Integer, Idle> idles = new LinkedHashMap<>();

    // --- 5. FUTEX_WAITV against FUTEX_WAIT ------------------------------------------------------

    static final class Vector {
        final Histogram latency = WakeWorker.histogram();
        final Histogram rearm = WakeWorker.histogram();
        final List<Long> arms = new ArrayList<>();
        long asleep;
        long later;
        long never;
    }

    /** By variant: "wait" (one FUTEX_WAIT per word) or "waitv" (one FUTEX_WAITV per 128 words). */
    final Map<String, Vector> vectors = new LinkedHashMap<>();

    // --- what is missing ------------------------------------------------------------------------

    /** Every figure planned, by a name for people, and why it is missing (absent: it is not). */
    final List<String> planned = new ArrayList<>();
    final Map<String, String> failures = new LinkedHashMap<>();

    static double median(double[] values) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
