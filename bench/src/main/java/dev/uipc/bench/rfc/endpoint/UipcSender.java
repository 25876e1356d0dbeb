package dev.uipc.bench.rfc.endpoint;

import dev.uipc.channel.Access;
import dev.uipc.channel.Registry;
import dev.uipc.channel.Outcome;
import dev.uipc.channel.Subscriber;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.Duration;

/**
 * uipc adapter 2 of 3: a sending subscriber. Copies each message in from its own array, as a
 * typical application does ({@code send}, waiting for room as the wait class says, at most a
 * minute: a hang fails the measurement rather than stalling it).
 */
public final class UipcSender implements Sender {
    private static final VarHandle ARRAY_LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    /** How long one send or receive may wait: a constant, so that the timed loops allocate nothing. */
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final Registry registry;
    private final Subscriber subscriber;
    private final byte[] message;
    private final int size;
    private final int endMarkers;

    /**
     * @param endMarkers how many end markers end a phase: 1, or one per receiver on a multicast
     *                   channel (which deals messages round-robin, one to each receiver)
     */
    public UipcSender(Path socket, long key, String wait, int size, int endMarkers) {
        this.registry = Registry.connect(socket);
        try {
            this.subscriber = registry.attachByKey(key, Access.SEND).waitStrategy(UipcChannels.strategy(wait));
        } catch (RuntimeException e) {
            registry.close();
            throw e;
        }
        this.message = new byte[size];
        this.size = size;
        this.endMarkers = endMarkers;
    }

    @Override
    public void send(long value) {
        ARRAY_LONG.set(message, 0, value);
        int r = subscriber.send(message, 0, size, 0, 0, TIMEOUT);
        if (r != size) {
            throw new IllegalStateException("uipc send: " + Outcome.describe(r));
        }
    }

    @Override
    public void sendSequence(long first, long count) {
        for (long i = 0; i < count; i++) {
            send(first + i);
        }
    }

    @Override
    public void sendEnd() {
        for (int i = 0; i < endMarkers; i++) {
            send(END);
        }
    }

    @Override
    public void close() {
        try {
            subscriber.close();
        } finally {
            registry.close();
        }
    }
}
