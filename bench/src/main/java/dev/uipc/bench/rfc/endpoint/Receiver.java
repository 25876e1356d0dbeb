package dev.uipc.bench.rfc.endpoint;

/**
 * The receiving end of a measurement, in a worker process. Each implementation writes its own
 * {@link #receiveUntilEnd} loop, for the reason given in {@link Sender}.
 */
public interface Receiver extends AutoCloseable {
    /** The value that ends a phase. */
    long END = Sender.END;

    /** Waits for the next message; returns the value in its first 8 bytes ({@link Sender#END} at a phase's end). */
    long receive();

    /** Receives until {@link Sender#END}, counting the messages and adding up their values. */
    void receiveUntilEnd(Tally tally);

    @Override
    void close();
}
