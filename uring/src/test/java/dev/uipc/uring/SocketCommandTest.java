package dev.uipc.uring;

import dev.uipc.uring.linux.Pipe;
import dev.uipc.uring.linux.Sockets;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.MemoryLayout;
import java.util.concurrent.TimeUnit;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * URING_CMD with typed socket commands, checked against the answers of the plain ioctl and
 * getsockopt system calls on the same socket.
 */
class SocketCommandTest {
    @BeforeAll
    static void socketCommandsAreHere() {
        assumeTrue(IoUring.isAvailable(), IoUring.unavailabilityCause());
        try (Ring ring = Ring.open(2)) {
            assumeTrue(ring.probe().supports(Opcode.URING_CMD), "URING_CMD needs Linux 5.19");
        }
    }

    private static int run(Ring ring, int fd, DriverCommand command, long userData) {
        ring.prepare().uringCmd(fd, command).userData(userData);
        return RingTest.await(ring, userData).result();
    }

    @Test
    void siocinqReportsTheBytesQueuedOnASocket() {
        try (Arena arena = Arena.ofConfined(); Ring ring = Ring.open(8); Sockets.Pair pair = TcpLoopback.pair()) {
            int reader = pair.second().value();
            assertEquals(0, run(ring, reader, SocketCommand.inputQueued(), 1), "nothing sent yet");
            Pipe.write(pair.first().value(), arena.allocate(1234), 1234);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (TcpLoopback.inputQueued(reader) < 1234 && System.nanoTime() < deadline) {
                Thread.onSpinWait();          // loopback delivery may lag the write by a softirq
            }
            assertEquals(1234, TcpLoopback.inputQueued(reader), "ioctl(SIOCINQ)");
            assertEquals(1234, run(ring, reader, SocketCommand.inputQueued(), 2), "URING_CMD SIOCINQ");
            Pipe.read(reader, arena.allocate(1000), 1000);
            assertEquals(234, run(ring, reader, SocketCommand.inputQueued(), 3), "after reading 1000");
        }
    }

    @Test
    void siocoutqMatchesTheIoctlWhileThePeerDoesNotRead() {
        try (Arena arena = Arena.ofConfined(); Ring ring = Ring.open(8); Sockets.Pair pair = TcpLoopback.pair()) {
            int writer = pair.first().value();
            TcpLoopback.setSocketOption(pair.second().value(), SocketCommand.SO_RCVBUF, 4096);
            TcpLoopback.setSocketOption(writer, SocketCommand.SO_SNDBUF, 65536);
            MemorySegment chunk = arena.allocate(65536);
            // Fill the peer's small receive window so that data stays in our send queue.
            int writerNonBlocking = writer;
            for (int i = 0; i < 64; i++) {
                ring.prepare().send(writerNonBlocking, chunk, TcpLoopback.MSG_DONTWAIT).userData(100 + i);
                if (RingTest.await(ring, 100 + i).result() < 0) {
                    break;
                }
            }
            int settled = -1;
            int viaIoctl = TcpLoopback.outputQueued(writer);
            for (int i = 0; i < 100 && settled != viaIoctl; i++) {
                settled = viaIoctl;
                Thread.onSpinWait();
                viaIoctl = TcpLoopback.outputQueued(writer);
            }
            assertTrue(viaIoctl > 0, "the send queue should hold unread bytes");
            assertEquals(viaIoctl, run(ring, writer, SocketCommand.outputQueued(), 4));
        }
    }

    @Test
    void getsockoptAgreesWithTheSystemCall() {
        try (Arena arena = Arena.ofConfined(); Ring ring = Ring.open(8); Sockets.Pair pair = TcpLoopback.pair()) {
            int fd = pair.first().value();
            MemorySegment value = arena.allocate(JAVA_INT);
            assertEquals(4, run(ring, fd, SocketCommand.getsockopt(SocketCommand.SOL_SOCKET, SocketCommand.SO_TYPE, value), 5),
                    "completes with the option's length");
            assertEquals(Sockets.SOCK_STREAM, value.get(JAVA_INT, 0));
            assertEquals(TcpLoopback.socketOption(fd, SocketCommand.SO_RCVBUF),
                    run(ring, fd, SocketCommand.getsockopt(SocketCommand.SOL_SOCKET, SocketCommand.SO_RCVBUF, value), 6) == 4
                            ? value.get(JAVA_INT, 0) : -1);
        }
    }

    @Test
    void socketCommandsOnSomethingElseFail() {
        try (Ring ring = Ring.open(8); Pipe pipe = Pipe.open(Pipe.CLOEXEC)) {
            int result = run(ring, pipe.readEnd().value(), SocketCommand.inputQueued(), 7);
            assertEquals(-Errno.EOPNOTSUPP.number(), result, "a pipe has no socket commands: " + Errno.nameOf(result));
        }
    }

    @Test
    void aCommandWhosePayloadDoesNotFitIsRefused() {
        DriverCommand tooBig = new DriverCommand() {
            @Override
            public int commandOp() {
                return 0x99;
            }

            @Override
            public MemoryLayout payloadLayout() {
                return MemoryLayout.sequenceLayout(3, java.lang.foreign.ValueLayout.JAVA_LONG);
            }

            @Override
            public void writePayload(CommandFields fields) {
                fields.commandLong(0, 1).commandLong(8, 2).commandLong(16, 3);
            }
        };
        try (Ring ring = Ring.open(8)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ring.prepare().uringCmd(0, tooBig));
            assertTrue(e.getMessage().contains("SQE128"), e.getMessage());
        }
        try (Ring wide = Ring.open(RingOptions.defaults().withEntries(8).withFlags(SetupFlag.DEFAULT | SetupFlag.SQE128))) {
            Sqe sqe = wide.prepare().uringCmd(0, tooBig);            // 24 bytes fit in 80
            assertEquals(Opcode.URING_CMD, sqe.opcode());
        }
    }
}
