package dev.uipc.channel;

import dev.uipc.channel.layout.ControlFileDescriptor;
import dev.uipc.channel.layout.MessageDescriptor;
import dev.uipc.channel.layout.RingFileDescriptor;
import dev.uipc.uring.Errno;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.Consumer;

import static dev.uipc.channel.Bytes.receiveText;
import static dev.uipc.channel.Bytes.utf8;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Everything read from shared memory is validated before use: a corrupt or hostile file gets
 * a clear error and changes nothing, never an out-of-bounds access or a crash.
 */
class LayoutValidationTest {
    private final TestRegistry test = new TestRegistry();
    private final Registry registry = test.registry;

    @AfterEach
    void cleanUp() {
        test.close();
    }

    private static void tamper(Path file, Consumer<MemorySegment> edit) throws IOException {
        try (Arena arena = Arena.ofConfined();
             FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            edit.accept(channel.map(FileChannel.MapMode.READ_WRITE, 0, channel.size(), arena));
        }
    }

    private void refused(Errno errno, String text, Channel ch) {
        ChannelException e = assertThrows(ChannelException.class, () -> registry.attachById(ch.id(), Access.BOTH).close());
        assertEquals(errno, e.errno(), e.getMessage());
        assertTrue(e.getMessage().contains(text), e.getMessage());
    }

    private Channel channel() {
        return registry.create(ChannelOptions.defaults().withPersistent(true));
    }

    @Test
    void aWrongMagicIsRefused() throws IOException {
        Channel ch = channel();
        tamper(ChannelFiles.ring(registry.root(), ch.id()), m -> m.set(JAVA_LONG, RingFileDescriptor.MAGIC_OFFSET, 42L));
        refused(Errno.EBADMSG, "magic", ch);
    }

    @Test
    void anUnfinishedFileIsRefused() throws IOException {
        Channel ch = channel();
        tamper(ChannelFiles.control(registry.root(), ch.id()), m -> m.set(JAVA_INT, ControlFileDescriptor.VERSION_OFFSET, 0));
        refused(Errno.EBADMSG, "never finished", ch);
    }

    @Test
    void aNewerLayoutVersionIsRefusedWithEproto() throws IOException {
        Channel ch = channel();
        tamper(ChannelFiles.ring(registry.root(), ch.id()), m -> m.set(JAVA_INT, RingFileDescriptor.VERSION_OFFSET, 2));
        refused(Errno.EPROTO, "layout version 2", ch);
    }

    @Test
    void broadcastAndMulticastTogetherAreRefused() throws IOException {
        Channel ch = channel();
        tamper(ChannelFiles.ring(registry.root(), ch.id()), m -> m.set(JAVA_INT, RingFileDescriptor.FLAGS_OFFSET,
                RingFileDescriptor.BROADCAST | RingFileDescriptor.MULTICAST));
        refused(Errno.EBADMSG, "flags", ch);
        tamper(ChannelFiles.ring(registry.root(), ch.id()), m -> m.set(JAVA_INT, RingFileDescriptor.FLAGS_OFFSET, 0xff00));
        refused(Errno.EBADMSG, "flags", ch);
    }

    @Test
    void impossibleGeometryIsRefused() throws IOException {
        Channel ch = channel();
        Path ring = ChannelFiles.ring(registry.root(), ch.id());
        tamper(ring, m -> m.set(JAVA_INT, RingFileDescriptor.ENTRIES_OFFSET, 3));
        refused(Errno.EBADMSG, "power of two", ch);
        tamper(ring, m -> m.set(JAVA_INT, RingFileDescriptor.ENTRIES_OFFSET, 1 << 20));
        refused(Errno.EBADMSG, "entries", ch);
        tamper(ring, m -> {
            m.set(JAVA_INT, RingFileDescriptor.ENTRIES_OFFSET, 64);
            m.set(JAVA_LONG, RingFileDescriptor.DATA_OFFSET_OFFSET, 1L << 40);
        });
        refused(Errno.EBADMSG, "data offset", ch);
    }

    @Test
    void aTruncatedFileIsRefused() throws IOException {
        Channel ch = channel();
        Path ring = ChannelFiles.ring(registry.root(), ch.id());
        try (FileChannel c = FileChannel.open(ring, StandardOpenOption.WRITE)) {
            c.truncate(c.size() - 4096);
        }
        refused(Errno.EBADMSG, "bytes", ch);
        try (FileChannel c = FileChannel.open(ring, StandardOpenOption.WRITE)) {
            c.truncate(100);
        }
        refused(Errno.EBADMSG, "shorter than its header", ch);
    }

    @Test
    void filesOfTwoDifferentChannelsAreNotMixed() throws IOException {
        Channel ch = channel();
        tamper(ChannelFiles.control(registry.root(), ch.id()), m -> m.set(JAVA_LONG, ControlFileDescriptor.INCARNATION_OFFSET, 1L));
        refused(Errno.EBADMSG, "does not match", ch);
    }

    @Test
    void aHeaderNamingAnotherOwnerThanTheFileIsRefused() throws IOException {
        Channel ch = channel();
        tamper(ChannelFiles.ring(registry.root(), ch.id()), m -> m.set(JAVA_INT, RingFileDescriptor.OWNER_UID_OFFSET, 4242));
        refused(Errno.EBADMSG, "owner uid 4242", ch);
    }

    @Test
    void aKeyLinkPointingOutsideTheRegistryNamesNoChannel() throws IOException {
        Files.createDirectories(registry.root());
        Files.createSymbolicLink(ChannelFiles.key(registry.root(), 0x77), Path.of("../../etc/passwd"));
        ChannelException e = assertThrows(ChannelException.class, () -> registry.attach(0x77, Access.RECV));
        assertEquals(Errno.ENOENT, e.errno());
    }

    @Test
    void aMessageWithAnImpossibleLengthIsDroppedNotRead() throws IOException {
        try (Channel ch = registry.create(ChannelOptions.defaults().withMaxMessageSize(64));
             Subscriber s = ch.attach(Access.BOTH)) {
            s.trySend(utf8("first"));
            s.trySend(utf8("second"));
            // A hostile peer rewrites the first message's length beyond the slot.
            tamper(ChannelFiles.ring(registry.root(), ch.id()),
                    m -> m.set(JAVA_INT, RingFileDescriptor.descriptorOffset(0) + MessageDescriptor.MESSAGE_LENGTH, 1 << 30));
            assertEquals("second", receiveText(s), "the bad message is skipped, the next delivered");
            assertEquals(1, ch.snapshot().counters().dropped());
        }
    }

    @Test
    void aTailFarAheadOfTheReceiversDoesNotLeadReceiversOutOfBounds() throws IOException {
        try (Channel ch = registry.create(ChannelOptions.defaults().withEntries(4));
             Subscriber s = ch.attach(Access.BOTH)) {
            tamper(ChannelFiles.ring(registry.root(), ch.id()), m -> m.set(JAVA_LONG, RingFileDescriptor.TAIL_OFFSET, 1L << 50));
            assertEquals(Outcome.EMPTY, s.tryReceive(new byte[8], new MessageInfo()));
            assertEquals(Outcome.FULL, s.trySend(utf8("x")), "the ring looks full to producers, not corrupt");
        }
    }

    @Test
    void aReceiverMapsTheRingReadOnly() {
        try (Channel ch = registry.create(ChannelOptions.defaults());
             Subscriber receiver = ch.attach(Access.RECV)) {
            assertEquals(Outcome.EMPTY, receiver.tryReceive(new byte[8], new MessageInfo()));
            // The mapping itself refuses writes: the kernel (through the JDK's read-only mapping)
            // stops a receiver that goes around the library.
            try (var mapped = ChannelFiles.map(registry.root(), ch.id(), false, true)) {
                MemorySegment ring = mapped.slots().ring();
                assertTrue(ring.isReadOnly());
                assertThrows(IllegalArgumentException.class, () -> ring.set(JAVA_LONG, RingFileDescriptor.TAIL_OFFSET, 5L));
            }
        }
    }
}
