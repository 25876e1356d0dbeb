package dev.uipc.channel;

import dev.uipc.uring.Errno;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;

import static dev.uipc.channel.Bytes.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The registry: its directory, ids, keys, listing and status. */
class RegistryTest {
    private final TestRegistry test = new TestRegistry();
    private final Registry registry = test.registry;

    @AfterEach
    void cleanUp() {
        test.close();
        System.clearProperty(Registry.ROOT_PROPERTY);
    }

    @Test
    void theRootIsCreatedStickyAndWorldWritable() throws IOException {
        assertFalse(Files.exists(registry.root()));
        registry.create(ChannelOptions.defaults().withPersistent(true));
        assertEquals(01777, (Integer) Files.getAttribute(registry.root(), "unix:mode") & 07777);
        assertEquals(0666, (Integer) Files.getAttribute(registry.root().resolve(".lock"), "unix:mode") & 07777);
    }

    @Test
    void theRootComesFromThePropertyBeforeTheDefault() {
        if (System.getenv(Registry.ROOT_ENVIRONMENT) == null) {
            assertEquals(Registry.DEFAULT_ROOT, Registry.defaultRoot());
        }
        System.setProperty(Registry.ROOT_PROPERTY, test.root.toString());
        assertEquals(test.root, Registry.defaultRoot());
        assertEquals(test.root, Registry.open().root());
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
        assertEquals(persistent.id(), registry.idOf(2));
        assertThrows(ChannelException.class, () -> registry.idOf(1));
    }

    @Test
    void attachingByKeyZeroIsRefusedWithAReason() {
        ChannelException e = assertThrows(ChannelException.class, () -> registry.attach(0L, Access.RECV));
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
