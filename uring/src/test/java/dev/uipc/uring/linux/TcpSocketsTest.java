package dev.uipc.uring.linux;

import dev.uipc.uring.Completion;
import dev.uipc.uring.ErrnoException;
import dev.uipc.uring.Errno;
import dev.uipc.uring.Ring;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.InputStream;
import java.io.OutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** TCP sockets as descriptors: listening, accepting through an io_uring, and talking to the JDK's sockets. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TcpSocketsTest {
    @Test
    void aRingAcceptsAConnectionFromTheJdkAndReadsWhatItSent() throws Exception {
        try (OwnedFd listener = TcpSockets.listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
             Ring ring = Ring.open(8); Arena arena = Arena.ofConfined()) {
            InetSocketAddress bound = TcpSockets.localAddress(listener.value());
            assertEquals(InetAddress.getLoopbackAddress(), bound.getAddress());
            assertTrue(bound.getPort() > 0, "the kernel picked a port: " + bound);
            ring.prepare().accept(listener.value(), Sockets.SOCK_CLOEXEC).userData(1);
            ring.submit();
            try (Socket client = new Socket(bound.getAddress(), bound.getPort())) {
                Completion c = new Completion();
                ring.submitAndWait(1);
                assertTrue(ring.next(c));
                assertTrue(c.result() >= 0, "accepted: " + c);
                try (OwnedFd connection = OwnedFd.adopt(c.result(), "accepted")) {
                    client.getOutputStream().write("hello".getBytes(StandardCharsets.UTF_8));
                    MemorySegment buffer = arena.allocate(64);
                    ring.prepare().recv(connection.value(), buffer, 0).userData(2);
                    ring.submitAndWait(1);
                    assertTrue(ring.next(c));
                    assertEquals(5, c.result());
                    assertEquals("hello", new String(buffer.asSlice(0, 5).toArray(JAVA_BYTE), StandardCharsets.UTF_8));
                }
            }
        }
    }

    @Test
    void aConnectedSocketTalksToAJdkServerOverIpv4AndIpv6() throws Exception {
        for (InetAddress loopback : new InetAddress[] {InetAddress.getByName("127.0.0.1"), InetAddress.getByName("::1")}) {
            try (ServerSocket server = new ServerSocket(0, 4, loopback);
                 OwnedFd client = TcpSockets.connect(new InetSocketAddress(loopback, server.getLocalPort()));
                 Socket accepted = server.accept(); Arena arena = Arena.ofConfined()) {
                MemorySegment message = arena.allocateFrom("ping", StandardCharsets.UTF_8);
                assertEquals(5, Pipe.write(client.value(), message, 5));
                InputStream in = accepted.getInputStream();
                byte[] got = in.readNBytes(5);
                assertEquals("ping\0", new String(got, StandardCharsets.UTF_8));
                OutputStream out = accepted.getOutputStream();
                out.write(1);
                assertEquals(loopback, TcpSockets.localAddress(client.value()).getAddress());
            }
        }
    }

    @Test
    void aTakenPortAndARefusedConnectionSaySo() throws Exception {
        try (OwnedFd listener = TcpSockets.listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1)) {
            InetSocketAddress bound = TcpSockets.localAddress(listener.value());
            ErrnoException taken = assertThrows(ErrnoException.class, () -> TcpSockets.listen(bound, 1));
            assertEquals(Errno.EADDRINUSE, taken.error(), taken.getMessage());
        }
        int free;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            free = s.getLocalPort();
        }
        ErrnoException refused = assertThrows(ErrnoException.class,
                () -> TcpSockets.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), free)));
        assertEquals(Errno.ECONNREFUSED, refused.error(), refused.getMessage());
    }
}
