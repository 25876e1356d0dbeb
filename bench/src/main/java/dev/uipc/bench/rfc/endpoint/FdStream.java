package dev.uipc.bench.rfc.endpoint;

import dev.uipc.uring.linux.OwnedFd;
import dev.uipc.uring.linux.PidFd;
import dev.uipc.uring.linux.Pipe;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;

/**
 * Pipes and Unix stream sockets, through the uring module's system calls (the same Java-to-kernel
 * path uipc takes): one write(2) per message and receiver, read(2) until the message is complete.
 * Both block in the kernel when they must wait. The descriptors are the coordinator's, taken
 * with pidfd_getfd(2).
 */
public final class FdStream {
    private FdStream() {
    }

    /** Takes descriptor {@code fd} of process {@code pid}. */
    static OwnedFd take(int pid, int fd) {
        try (OwnedFd pidfd = PidFd.open(pid)) {
            return PidFd.getFd(pidfd.value(), fd);
        }
    }

    /**
     * Views of one buffer from each offset, made on first use, so that finishing a partial read
     * or write allocates nothing once warm.
     */
    private static final class Slices {
        private final MemorySegment whole;
        private final MemorySegment[] from;

        Slices(MemorySegment whole) {
            this.whole = whole;
            this.from = new MemorySegment[(int) whole.byteSize()];
        }

        MemorySegment from(long offset) {
            if (offset == 0) {
                return whole;
            }
            MemorySegment s = from[(int) offset];
            if (s == null) {
                s = whole.asSlice(offset);
                from[(int) offset] = s;
            }
            return s;
        }
    }

    /** Writes each message once to each of its descriptors: one per receiver. */
    public static final class FdSender implements Sender {
        private final OwnedFd[] fds;
        private final int[] numbers;
        private final Arena arena = Arena.ofConfined();
        private final MemorySegment message;
        private final Slices slices;
        private final int size;

        public FdSender(int pid, int[] theirFds, int size) {
            this.fds = new OwnedFd[theirFds.length];
            this.numbers = new int[theirFds.length];
            for (int i = 0; i < theirFds.length; i++) {
                fds[i] = take(pid, theirFds[i]);
                numbers[i] = fds[i].value();
            }
            this.size = size;
            this.message = arena.allocate(size, 8);
            this.slices = new Slices(message);
        }

        @Override
        public void send(long value) {
            message.set(JAVA_LONG_UNALIGNED, 0, value);
            for (int fd : numbers) {
                long written = 0;
                while (written < size) {
                    written += Pipe.write(fd, slices.from(written), size - written);
                }
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
            send(END);
        }

        @Override
        public void close() {
            for (OwnedFd fd : fds) {
                fd.close();
            }
            arena.close();
        }
    }

    /** Reads whole messages from one descriptor, copying each into its buffer (as the kernel must). */
    public static final class FdReceiver implements Receiver {
        private final OwnedFd fd;
        private final int number;
        private final Arena arena = Arena.ofConfined();
        private final MemorySegment buffer;
        private final Slices slices;
        private final int size;

        public FdReceiver(int pid, int theirFd, int size) {
            this.fd = take(pid, theirFd);
            this.number = fd.value();
            this.size = size;
            this.buffer = arena.allocate(size, 8);
            this.slices = new Slices(buffer);
        }

        @Override
        public long receive() {
            long got = 0;
            while (got < size) {
                long r = Pipe.read(number, slices.from(got), size - got);
                if (r == 0) {
                    throw new IllegalStateException("end of stream in the middle of a measurement");
                }
                got += r;
            }
            return buffer.get(JAVA_LONG_UNALIGNED, 0);
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
            fd.close();
            arena.close();
        }
    }
}
