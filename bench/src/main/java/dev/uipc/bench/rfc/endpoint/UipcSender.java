package dev.uipc.bench.rfc.endpoint;

import dev.uipc.channel.Access;
import dev.uipc.channel.Registry;
import dev.uipc.channel.Status;
import dev.uipc.channel.Subscriber;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * uipc adapter 2 of 3: a sending subscriber. Copies each message in from its own array, as a
 * typical application does ({@code send}, waiting for room as the wait class says, at most a
 * minute: a hang fails the measurement rather than stalling it).
 */
public final class UipcSender implements Sender {
    private static final VarHandle ARRAY_LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long TIMEOUT = TimeUnit.SECONDS.toNanos(60);

    private final Subscriber subscriber;
    private final byte[] message;
    private final int size;
    private final int endMarkers;

    /**
     * @param endMarkers how many end markers end a phase: 1, or one per receiver on a multicast
     *                   channel (which deals messages round-robin, one to each receiver)
     */
    public UipcSender(Path root, long key, String wait, int size, int endMarkers) {
        this.subscriber = Registry.at(root).attach(key, Access.SEND).waitStrategy(UipcChannels.strategy(wait));
        this.message = new byte[size];
        this.size = size;
        this.endMarkers = endMarkers;
    }

    @Override
    public void send(long value) {
        ARRAY_LONG.set(message, 0, value);
        int r = subscriber.send(message, 0, size, 0, 0, TIMEOUT);
        if (r != size) {
            throw new IllegalStateException("uipc send: " + Status.describe(r));
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
        subscriber.close();
    }
}
