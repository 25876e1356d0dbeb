package dev.uipc.channel.broker;

import dev.uipc.channel.Access;
import dev.uipc.uring.ErrnoException;
import dev.uipc.uring.linux.FileStatus;
import dev.uipc.uring.linux.MemFd;
import dev.uipc.uring.linux.OwnedFd;

import java.lang.foreign.Arena;
import java.nio.file.Path;

/**
 * A peer that attaches to receive only and then, holding the descriptors the broker passed it,
 * tries every way it knows to take memory away from the other peers or to write where it may
 * not. Prints "attack=OUTCOME" per attempt: OK if it worked, else the errno the kernel answered.
 * args: socket id
 */
final class HostilePeer {
    private HostilePeer() {
    }

    interface Attempt {
        void run();
    }

    static String outcome(Attempt attempt) {
        try {
            attempt.run();
            return "OK";
        } catch (ErrnoException e) {
            return e.error().name();
        } catch (RuntimeException e) {
            return e.getClass().getSimpleName();
        }
    }

    public static void main(String[] args) {
        BrokerAddress address = new BrokerAddress(Path.of(args[0]), BrokerAddress.Kind.EXPLICIT);
        try (BrokerClient client = BrokerClient.connect(address)) {
            BrokerClient.Reply reply = client.call(new BrokerProtocol.Attach(Integer.parseInt(args[1]), 0, Access.RECV),
                    BrokerProtocol.ATTACH_FDS);
            BrokerProtocol.readAttach(reply.data());
            OwnedFd ring = reply.fds()[0];
            OwnedFd ctl = reply.fds()[1];
            long ringSize = FileStatus.of(ring.value()).size();
            long ctlSize = FileStatus.of(ctl.value()).size();
            System.out.println("attached");
            System.out.println("truncateRing=" + outcome(() -> MemFd.truncate(ring.value(), 0)));
            System.out.println("shrinkControl=" + outcome(() -> MemFd.truncate(ctl.value(), 4096)));
            System.out.println("growControl=" + outcome(() -> MemFd.allocate(ctl.value(), ctlSize * 2)));
            System.out.println("freezeControl=" + outcome(() -> MemFd.addSeals(ctl.value(), MemFd.SEAL_WRITE)));
            System.out.println("mapRingWritable=" + outcome(() -> {
                try (Arena arena = Arena.ofConfined()) {
                    MemFd.mapReadWrite(ring.value(), ringSize, arena);
                }
            }));
            System.out.println("reopenRingWritable=" + outcome(() -> MemFd.reopen(ring.value(), OwnedFd.O_RDWR).close()));
            System.out.println("ringStillWhole=" + (FileStatus.of(ring.value()).size() == ringSize));
            System.out.println("controlStillWhole=" + (FileStatus.of(ctl.value()).size() == ctlSize));
        }
    }
}
