package dev.uipc.bench.rfc.endpoint;

/**
 * What a receiver counted in one phase: messages and the sum of their values, which the
 * coordinator checks (and, for a lossy transport, turns into the share delivered).
 */
public final class Tally {
    public long count;
    public long sum;
}
