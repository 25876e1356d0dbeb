package dev.uipc.channel;

import dev.uipc.uring.Errno;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static dev.uipc.channel.Bytes.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The registry, a connection to the broker: ids, keys, listing, snapshots, and what closing it does. */
class RegistryTest {
    private final TestBroker test = new TestBroker();
    private final Registry registry = test.registry;

    @AfterEach
    void cleanUp() {
        test.close();
    }

    @Test
    void closingARegistryDetachesItsSubscribersAndDestroysItsChannelsUnlessPersistent() {
        Registry other = test.connect();
        Channel temporary = other.create(ChannelOptions.defaults().withKey(0x71));
        other.create(ChannelOptions.defaults().withKey(0x72).withPersistent(true));
        Subscriber attached = other.attachByKey(0x72, Access.BOTH);
        try (Subscriber mine = registry.attachByKey(0x71, Access.RECV)) {
            assertEquals(2, registry.snapshotByKey(0x72).subscribers().size() + registry.snapshotByKey(0x71)
                    .subscribers().size());
            other.close();
            ChannelException gone = assertThrows(ChannelException.class, () -> registry.snapshotByKey(0x71));
            assertEquals(Errno.ENOENT, gone.errno(), "the closed registry's channel died with it");
            assertTrue(registry.snapshotByKey(0x72).subscribers().isEmpty(), "its subscriber was detached");
            assertTrue(mine.channelDestroyed(), "and a subscriber of the dead channel learns so");
            ChannelException detached = assertThrows(ChannelException.class, () -> attached.trySend(utf8("x")));
            assertEquals(Errno.ENOENT, detached.errno());
            ChannelException closed = assertThrows(ChannelException.class, () -> other.create(ChannelOptions.defaults()));
            assertEquals(Errno.ENOTCONN, closed.errno());
        }
        registry.destroyByKey(0x72);
        assertThrows(ChannelException.class, temporary::destroy, "already destroyed");
    }

    @Test
    void idsAreAllocatedInOrderAndNeverReused() {
        Channel a = registry.create(ChannelOptions.defaults());
        Channel b = registry.create(ChannelOptions.defaults());
        assertEquals(1, a.id());
        assertEquals(2, b.id());
        b.close();
        a.close();
        assertEquals(3, registry.create(ChannelOptions.defaults()).id(), "a destroyed channel's id is not reused");
    }

    @Test
    void aKeyInUseIsEexistAndFreeAgainAfterDestroy() {
        Channel ch = registry.create(ChannelOptions.defaults().withKey(0xABC));
        ChannelException e = assertThrows(ChannelException.class, () -> registry.create(ChannelOptions.defaults().withKey(0xABC)));
        assertEquals(Errno.EEXIST, e.errno());
        assertTrue(e.getMessage().contains("0xabc") && e.getMessage().contains("channel " + ch.id()), e.getMessage());
        ch.close();
        assertEquals(ch.id() + 1, registry.create(ChannelOptions.defaults().withKey(0xABC)).id());
    }

    @Test
    void listAndStatusDescribeTheChannels() {
        try (Channel ch = registry.create(ChannelOptions.of(Mode.BROADCAST).withKey(0x55).withEntries(8)
                .withMaxMessageSize(100).withPermissions(0640).withMaxSubscribers(3));
             Subscriber s = ch.attach(Access.BOTH)) {
            s.trySend(utf8("one"));
            s.trySend(utf8("two"));
            ChannelSnapshot status = registry.list().getFirst();
            assertEquals(ch.id(), status.id());
            assertEquals(0x55, status.key());
            assertEquals(Mode.BROADCAST, status.mode());
            assertEquals(8, status.entries());
            assertEquals(100, status.maxMessageSize());
            assertEquals(3, status.maxSubscribers());
            assertEquals(0640, status.permissions());
            assertEquals(2, status.tail());
            assertEquals(2, status.queued());
            assertTrue(status.creatorAlive());
            ChannelSnapshot.SubscriberSnapshot sub = status.subscribers().getFirst();
            assertEquals(s.id(), sub.id());
            assertEquals(ProcessHandle.current().pid(), sub.pid());
            assertEquals(Access.BOTH, sub.access());
            assertEquals(2, sub.lag());
            assertEquals(2, sub.sent());
            assertEquals(registry.snapshotByKey(0x55).id(), ch.id());
        }
    }

    @Test
    void aChannelsCreatorHandleDestroysItUnlessPersistent() {
        Channel temporary = registry.create(ChannelOptions.defaults().withKey(1));
        Channel persistent = registry.create(ChannelOptions.defaults().withKey(2).withPersistent(true));
        temporary.close();
        persistent.close();
        assertEquals(1, registry.list().size());
        assertEquals(persistent.id(), registry.snapshotByKey(2).id());
        assertThrows(ChannelException.class, () -> registry.snapshotByKey(1));
    }

    @Test
    void attachingByKeyZeroIsRefusedWithAReason() {
        ChannelException e = assertThrows(ChannelException.class, () -> registry.attachByKey(0L, Access.RECV));
        assertEquals(Errno.EINVAL, e.errno());
        ChannelException none = assertThrows(ChannelException.class, () -> registry.attachById(0, Access.RECV));
        assertEquals(Errno.ENOENT, none.errno());
    }

    @Test
    void permissionBitsOutside0666AreIgnoredAsInTheRfc() {
        try (Channel ch = registry.create(ChannelOptions.defaults().withPermissions(0777))) {
            assertEquals(0666, ch.snapshot().permissions());
        }
    }
}
