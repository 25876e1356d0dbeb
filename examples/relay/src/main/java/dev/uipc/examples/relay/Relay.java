package dev.uipc.examples.relay;

import dev.uipc.channel.Access;
import dev.uipc.channel.CompletionLoop;
import dev.uipc.channel.MessageInfo;
import dev.uipc.channel.Outcome;
import dev.uipc.channel.Registry;
import dev.uipc.channel.Subscriber;
import dev.uipc.uring.Errno;
import dev.uipc.uring.linux.OwnedFd;
import dev.uipc.uring.linux.Sockets;
import dev.uipc.uring.linux.TcpSockets;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetSocketAddress;
import java.nio.ByteOrder;

/**
 * One thread relaying between a TCP connection and two channels, through one
 * {@link CompletionLoop}: frames read from the connection are sent into the inbound channel,
 * and messages received from the outbound channel are written to the connection as frames. A
 * frame is a 4-byte big-endian length and that many bytes: TCP is a stream, a channel carries
 * messages.
 *
 * <p>Nothing blocks and nothing is dropped for lack of room: when the inbound channel is full the
 * relay stops reading the socket until the loop says there is room (TCP then holds the peer back);
 * when the socket cannot take more, it pauses the outbound subscription and the messages wait in
 * their channel. It serves one connection at a time. Messages already taken from the outbound
 * channel but not yet written when the peer disconnects are lost with the connection, as TCP
 * acknowledges nothing; a relay that must not lose them would add acknowledgements to its frames.
 */
public final class Relay implements Runnable, AutoCloseable {
    private static final ValueLayout.OfInt LENGTH = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final int BUDGET = 16;

    private final Registry registry;
    private final long inboundKey;
    private final long outboundKey;
    private final OwnedFd listener;
    private final InetSocketAddress address;
    private volatile CompletionLoop loop;
    private volatile boolean stopping;
    private final java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(1);

    // All below belongs to the relay's thread.
    private Subscriber inbound;
    private Subscriber outbound;
    private CompletionLoop.Subscription inboundSending;
    private CompletionLoop.Subscription outboundReceiving;
    private int maxFrame;
    private OwnedFd connection;
    /** Bytes read from the socket and not yet sent into the inbound channel: [0, readFilled). */
    private MemorySegment readBuffer;
    private int readFilled;
    private boolean readInFlight;
    private boolean waitingForRoom;
    /** Frames from the outbound channel: appended to {@code filling}, written from {@code sending}. */
    private MemorySegment filling;
    private MemorySegment sending;
    private int fillingLength;
    private int sendingLength;
    private int sendingDone;
    private boolean sendInFlight;
    private long framesIn;
    private long framesOut;

    /**
     * A relay listening at {@code address} (port 0: any free one; see {@link #address()}) that
     * sends what it reads into channel {@code inboundKey} and writes what it receives from channel
     * {@code outboundKey}. Both channels must exist; {@link #run()} attaches to them.
     */
    public Relay(Registry registry, InetSocketAddress address, long inboundKey, long outboundKey) {
        this.registry = registry;
        this.inboundKey = inboundKey;
        this.outboundKey = outboundKey;
        this.listener = TcpSockets.listen(address, 16);
        this.address = TcpSockets.localAddress(listener.value());
    }

    /** Where it listens. */
    public InetSocketAddress address() {
        return address;
    }

    /** Frames it has sent into the inbound channel, and taken for the connection: read them after {@link #run()} returns. */
    public long framesIn() {
        return framesIn;
    }

    public long framesOut() {
        return framesOut;
    }

    /** Relays until {@link #close()}; call it on the thread that is to do the relaying. */
    @Override
    public void run() {
        try (Arena a = Arena.ofConfined();
             CompletionLoop l = CompletionLoop.open();
             Subscriber in = registry.attachByKey(inboundKey, Access.SEND);
             Subscriber out = registry.attachByKey(outboundKey, Access.RECV)) {
            inbound = in;
            outbound = out;
            maxFrame = 4 + Math.max(in.maxMessageSize(), out.maxMessageSize());
            readBuffer = a.allocate(Math.max(64 * 1024, 2L * maxFrame));
            filling = a.allocate((long) 2 * BUDGET * maxFrame);
            sending = a.allocate(filling.byteSize());
            loop = l;
            inboundSending = l.send(in, s -> sendFrames());
            outboundReceiving = l.receive(out, this::frameOut);
            outboundReceiving.pause();                    // until a connection is there to write to
            l.accept(listener.value(), (result, flags, op) -> accepted(result));
            started.countDown();
            while (!stopping) {
                l.runOnce(java.time.Duration.ofMillis(500));
            }
        } finally {
            started.countDown();
            closeConnection();
            listener.close();
        }
    }

    /** Waits until the relay serves (its channels attached), at most {@code timeout}. */
    public boolean awaitStarted(java.time.Duration timeout) throws InterruptedException {
        return started.await(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS) && loop != null;
    }

    /** Stops the relay, from any thread; {@link #run()} then returns. */
    @Override
    public void close() {
        stopping = true;
        CompletionLoop l = loop;
        if (l != null) {
            l.stop();
        }
    }

    // --- the connection ---------------------------------------------------------------------------

    private void accepted(int result) {
        if (result < 0) {
            if (!stopping) {
                System.err.println("relay: accept failed: " + Errno.nameOf(result));
                loop.accept(listener.value(), (r, flags, op) -> accepted(r));
            }
            return;
        }
        connection = OwnedFd.adopt(result, "relayed connection");
        TcpSockets.noDelay(connection.value());
        readFilled = 0;
        fillingLength = 0;
        sendingLength = 0;
        sendingDone = 0;
        read();
        outboundReceiving.resume();
    }

    private void closeConnection() {
        if (connection != null) {
            connection.close();
            connection = null;
        }
    }

    /** The peer left or failed: forget it and take the next one once nothing is in flight on it. */
    private void disconnected() {
        outboundReceiving.pause();
        if (readInFlight || sendInFlight) {
            Sockets.shutdown(connection.value());         // ends the operation still in flight
            return;                                       // the other operation's completion comes back here
        }
        closeConnection();
        if (!stopping) {
            loop.accept(listener.value(), (r, flags, op) -> accepted(r));
        }
    }

    // --- TCP to the inbound channel -----------------------------------------------------------

    private void read() {
        if (connection == null || readInFlight || waitingForRoom) {
            return;
        }
        readInFlight = true;
        loop.recv(connection.value(), readBuffer.asSlice(readFilled), (result, flags, op) -> bytesRead(result));
    }

    private void bytesRead(int result) {
        readInFlight = false;
        if (result <= 0) {                                // 0: the peer closed; < 0: it failed
            disconnected();
            return;
        }
        readFilled += result;
        sendFrames();
    }

    /** Sends every whole frame read so far; stops at a full channel until the loop says there is room. */
    private void sendFrames() {
        waitingForRoom = false;
        int at = 0;
        while (readFilled - at >= 4) {
            int length = readBuffer.get(LENGTH, at);
            if (length < 0 || length > inbound.maxMessageSize()) {
                System.err.println("relay: a frame of " + length + " bytes cannot be a message of at most "
                        + inbound.maxMessageSize() + "; dropping the connection");
                readFilled = 0;
                disconnected();
                return;
            }
            if (readFilled - at < 4 + length) {
                break;                                    // the rest of this frame is still on its way
            }
            int r = inbound.trySend(readBuffer, at + 4, length, 0, 0);
            if (r == Outcome.FULL) {
                waitingForRoom = true;
                inboundSending.requestRoom();
                break;
            }
            if (r < 0) {
                throw new IllegalStateException("the inbound channel refused a message: " + Outcome.describe(r));
            }
            framesIn++;
            at += 4 + length;
        }
        if (at > 0) {                                     // no read is in flight into the buffer now
            MemorySegment.copy(readBuffer, at, readBuffer, 0, readFilled - at);
            readFilled -= at;
        }
        if (connection != null) {
            read();
        }
    }

    // --- the outbound channel to TCP ----------------------------------------------------------

    private void frameOut(MemorySegment slot, MessageInfo info) {
        int length = info.length();
        filling.set(LENGTH, fillingLength, length);
        MemorySegment.copy(slot, 0, filling, fillingLength + 4, length);
        fillingLength += 4 + length;
        framesOut++;
        if (filling.byteSize() - fillingLength < maxFrame) {
            outboundReceiving.pause();                    // no room for another: wait for the socket
        }
        write();
    }

    private void write() {
        if (sendInFlight || connection == null) {
            return;
        }
        if (sendingDone == sendingLength) {
            if (fillingLength == 0) {
                return;
            }
            MemorySegment swap = sending;                 // what was filled is written next
            sending = filling;
            filling = swap;
            sendingLength = fillingLength;
            sendingDone = 0;
            fillingLength = 0;
            outboundReceiving.resume();
        }
        sendInFlight = true;
        loop.send(connection.value(), sending.asSlice(sendingDone, sendingLength - sendingDone),
                (result, flags, op) -> written(result));
    }

    private void written(int result) {
        sendInFlight = false;
        if (result < 0) {
            disconnected();
            return;
        }
        sendingDone += result;
        write();
    }

    @Override
    public String toString() {
        return "Relay[" + address + ", " + framesIn + " frames in, " + framesOut + " out]";
    }
}
