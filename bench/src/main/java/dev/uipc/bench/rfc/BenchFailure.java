package dev.uipc.bench.rfc;

/** A measurement that could not be made: a worker failed, hung or died. The message says which and why. */
public final class BenchFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public BenchFailure(String message) {
        super(message);
    }
}
