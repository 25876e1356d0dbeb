package dev.uipc.bench.rfc.endpoint;

/** What a receiver counted in one phase: messages, the sum of their values, and any it lost. */
public final class Tally {
    public long count;
    public long sum;
    /** Messages the transport dropped (only a lossy one: Agrona's broadcast, when a receiver is lapped). */
    public long lost;

    void add(long value) {
        count++;
        sum += value;
    }
}
