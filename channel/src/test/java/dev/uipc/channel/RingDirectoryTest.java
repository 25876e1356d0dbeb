package dev.uipc.channel;

import dev.uipc.channel.broker.BrokerAddress;
import dev.uipc.channel.broker.BrokerClient;
import dev.uipc.channel.broker.Requests;
import dev.uipc.channel.waiting.RingDirectory;
import dev.uipc.uring.Errno;
import dev.uipc.uring.ProcessIdentity;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The broker's record of where MSG_RING reaches a subscriber: only a subscriber's own
 * connection may publish it, only members of the channel may ask for it, and it goes when the
 * subscriber leaves — so that no peer can make another wake a ring of its choosing.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RingDirectoryTest {
    private Path directory;
    private Broker broker;
    private Registry registry;
    private BrokerClient stranger;

    @BeforeEach
    void start() throws IOException {
        directory = Files.createTempDirectory("uipc-rings-");
        broker = Broker.start(directory.resolve("broker.sock"));
        registry = Registry.connect(broker.socket());
        stranger = BrokerClient.connect(new BrokerAddress(broker.socket(), BrokerAddress.Kind.EXPLICIT));
    }

    @AfterEach
    void stop() throws IOException {
        stranger.close();
        registry.close();
        broker.close();
        try (var walk = Files.walk(directory)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    @Test
    void onlyTheSubscribersOwnConnectionPublishesAndOnlyMembersAsk() {
        try (Channel ch = registry.create(ChannelOptions.defaults());
             Subscriber receiver = ch.attach(Access.RECV)) {
            int fd = 3;                                  // any number: the broker records, the kernel checks
            receiver.publishRing(fd, 0x1234L);
            int publication = receiver.delivery().memory().subscribers().ringPublicationAcquire(receiver.index());
            assertNotEquals(0, publication, "the broker wrote the publication into the row");

            ChannelException notMember = assertThrows(ChannelException.class,
                    () -> Requests.findRing(stranger, ch.id(), receiver.id()));
            assertEquals(Errno.EACCES, notMember.errno(), notMember.getMessage());

            ChannelException notYours = assertThrows(ChannelException.class,
                    () -> Requests.publishRing(stranger, ch.id(), receiver.id(), 5, 0x666L));
            assertEquals(Errno.ENOENT, notYours.errno(), notYours.getMessage());

            // A member (the stranger attaches) is told, with a pidfd of the subscriber's process.
            Requests.Attachment member = Requests.attach(stranger, ch.id(), 0, Access.SEND);
            try {
                RingDirectory.Published found = Requests.findRing(stranger, ch.id(), receiver.id());
                try (var process = found.process()) {
                    assertEquals(publication, found.publication());
                    assertEquals(fd, found.ringFd());
                    assertEquals(0x1234L, found.token());
                    String fdinfo = Files.readString(Path.of("/proc/self/fdinfo/" + process.value()));
                    assertTrue(fdinfo.contains("Pid:\t" + ProcessIdentity.pid() + "\n"), fdinfo);
                }
                assertNull(Requests.findRing(stranger, ch.id(), member.subscriberId()), "it published none");

                // Withdrawn: gone from the broker and from the row.
                receiver.publishRing(-1, 0);
                assertEquals(0, receiver.delivery().memory().subscribers().ringPublicationAcquire(receiver.index()));
                assertNull(Requests.findRing(stranger, ch.id(), receiver.id()));
                assertEquals(false, registry.snapshot(ch.id()).subscribers().stream()
                        .filter(s -> s.id() == receiver.id()).findFirst().orElseThrow().ringDoorbell());

                // Published again, then the subscriber leaves: the record leaves with it.
                receiver.publishRing(fd, 0x1234L);
                int receiverId = receiver.id();
                receiver.close();
                assertNull(Requests.findRing(stranger, ch.id(), receiverId));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            } finally {
                member.memory().close();
                Requests.detach(stranger, ch.id(), member.subscriberId());
            }
        }
    }
}
