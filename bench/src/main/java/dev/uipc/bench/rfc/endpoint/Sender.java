package dev.uipc.bench.rfc.endpoint;

/**
 * The sending end of a measurement, in a worker process. Each message is the measurement's size;
 * its first 8 bytes hold a value (a sequence number, or a timestamp in ping-pong).
 *
 * <p>Every implementation writes its own {@link #sendSequence} loop, so that the timed loop of
 * each transport is compiled for that transport alone: a worker runs every transport in turn, and
 * a loop shared through this interface would become a megamorphic call site.
 */
public interface Sender extends AutoCloseable {
    /** The value that ends a phase: a receiver returns from its loop when it reads it. */
    long END = Long.MIN_VALUE;

    /** Sends one message holding {@code value}, waiting for room as the wait class says. */
    void send(long value);

    /** Sends {@code count} messages holding {@code first}, {@code first + 1}, ... */
    void sendSequence(long first, long count);

    /** Ends a phase so that every receiver reads {@link #END} next (after the messages before it). */
    void sendEnd();

    @Override
    void close();
}
