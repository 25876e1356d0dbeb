package dev.uipc.bench.rfc.endpoint;

import dev.uipc.channel.Access;
import dev.uipc.channel.MessageHandler;
import dev.uipc.channel.MessageInfo;
import dev.uipc.channel.Registry;
import dev.uipc.channel.Outcome;
import dev.uipc.channel.Subscriber;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.Duration;

import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;

/**
 * uipc adapter 3 of 3: a receiving subscriber, which either copies each message into its own
 * array ({@code receive(byte[] ...)}) or reads its first 8 bytes where it lies in the ring
 * ({@code receive(MessageHandler ...)}). Waits at most a minute per message.
 */
public final class UipcReceiver implements Receiver, MessageHandler {
    private static final VarHandle ARRAY_LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    /** How long one send or receive may wait: a constant, so that the timed loops allocate nothing. */
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final Registry registry;
    private final Subscriber subscriber;
    private final boolean inPlace;
    private final byte[] buffer;
    private final int size;
    private final MessageInfo info = new MessageInfo();
    private long value;

    public UipcReceiver(Path socket, long key, String wait, int size, boolean inPlace) {
        this.registry = Registry.connect(socket);
        try {
            this.subscriber = registry.attachByKey(key, Access.RECV).waitStrategy(UipcChannels.strategy(wait));
        } catch (RuntimeException e) {
            registry.close();
            throw e;
        }
        this.inPlace = inPlace;
        this.buffer = new byte[size];
        this.size = size;
    }

    @Override
    public void onMessage(MemorySegment slot, MessageInfo ignored) {
        value = slot.get(JAVA_LONG_UNALIGNED, 0);
    }

    @Override
    public long receive() {
        int r = inPlace ? subscriber.receive(this, info, TIMEOUT) : subscriber.receive(buffer, 0, size, info, TIMEOUT);
        if (r != size) {
            throw new IllegalStateException("uipc receive: " + Outcome.describe(r));
        }
        return inPlace ? value : (long) ARRAY_LONG.get(buffer, 0);
    }

    @Override
    public void receiveUntilEnd(Tally tally) {
        long count = 0;
        long sum = 0;
        for (long v = receive(); v != END; v = receive()) {
            count++;
            sum += v;
        }
        tally.count += count;
        tally.sum += sum;
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
