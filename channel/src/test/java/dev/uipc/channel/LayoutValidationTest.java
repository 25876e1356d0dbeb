package dev.uipc.channel;

import dev.uipc.channel.layout.ControlFileDescriptor;
import dev.uipc.channel.layout.MessageDescriptor;
import dev.uipc.channel.layout.RingFileDescriptor;
import dev.uipc.uring.Errno;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.uipc.channel.layout.ChannelGeometry;
import dev.uipc.channel.memory.ChannelFormat;
import dev.uipc.channel.memory.ChannelHeader;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
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
    private final TestBroker test = new TestBroker();
    private final Registry registry = test.registry;

    @AfterEach
    void cleanUp() {
        test.close();
    }

    /** Which of a channel's two memories to tamper with. */
    private enum Part { RING, CONTROL }

    /** The hostile peer of each channel, attached before its first tampering and kept. */
    private final java.util.Map<Integer, Subscriber> hostile = new java.util.HashMap<>();

    /** Writes into a channel's memory as a hostile peer that may send would: through its own mapping. */
    private void tamper(Channel ch, Part part, Consumer<MemorySegment> edit) {
        Subscriber peer = hostile.computeIfAbsent(ch.id(), id -> registry.attachById(id, Access.BOTH));
        var memory = peer.delivery().memory();
        edit.accept(part == Part.RING ? memory.slots().ring() : memory.controlSegment());
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
    void aWrongMagicIsRefused() {
        Channel ch = channel();
        tamper(ch, Part.RING, m -> m.set(JAVA_LONG, RingFileDescriptor.MAGIC_OFFSET, 42L));
        refused(Errno.EBADMSG, "magic", ch);
    }

    @Test
    void anUnfinishedFileIsRefused() {
        Channel ch = channel();
        tamper(ch, Part.CONTROL, m -> m.set(JAVA_INT, ControlFileDescriptor.VERSION_OFFSET, 0));
        refused(Errno.EBADMSG, "never finished", ch);
    }

    @Test
    void aNewerLayoutVersionIsRefusedWithEproto() {
        Channel ch = channel();
        tamper(ch, Part.RING, m -> m.set(JAVA_INT, RingFileDescriptor.VERSION_OFFSET, 2));
        refused(Errno.EPROTO, "layout version 2", ch);
    }

    @Test
    void broadcastAndMulticastTogetherAreRefused() {
        Channel ch = channel();
        tamper(ch, Part.RING, m -> m.set(JAVA_INT, RingFileDescriptor.FLAGS_OFFSET,
                RingFileDescriptor.BROADCAST | RingFileDescriptor.MULTICAST));
        refused(Errno.EBADMSG, "flags", ch);
        tamper(ch, Part.RING, m -> m.set(JAVA_INT, RingFileDescriptor.FLAGS_OFFSET, 0xff00));
        refused(Errno.EBADMSG, "flags", ch);
    }

    @Test
    void impossibleGeometryIsRefused() {
        Channel ch = channel();
        tamper(ch, Part.RING, m -> m.set(JAVA_INT, RingFileDescriptor.ENTRIES_OFFSET, 3));
        refused(Errno.EBADMSG, "power of two", ch);
        tamper(ch, Part.RING, m -> m.set(JAVA_INT, RingFileDescriptor.ENTRIES_OFFSET, 1 << 20));
        refused(Errno.EBADMSG, "entries", ch);
        tamper(ch, Part.RING, m -> {
            m.set(JAVA_INT, RingFileDescriptor.ENTRIES_OFFSET, 64);
            m.set(JAVA_LONG, RingFileDescriptor.DATA_OFFSET_OFFSET, 1L << 40);
        });
        refused(Errno.EBADMSG, "data offset", ch);
    }

    @Test
    void memoryShorterThanItsHeaderSaysIsRefused() {
        ChannelGeometry g = new ChannelGeometry(64, 4096, 64);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ring = arena.allocate(ChannelFormat.ringLength(g), 4096);
            MemorySegment ctl = arena.allocate(ChannelFormat.controlLength(g), 4096);
            ChannelFormat.write(ring, ctl, new ChannelHeader(9, 1, 0, 0, g, 0600, 0, 0, 1, 0, 0));
            ChannelException shorter = assertThrows(ChannelException.class,
                    () -> ChannelFormat.validate(9, ring.asSlice(0, ring.byteSize() - 4096), ctl, Arena.ofConfined()));
            assertEquals(Errno.EBADMSG, shorter.errno());
            assertTrue(shorter.getMessage().contains("bytes"), shorter.getMessage());
            ChannelException tiny = assertThrows(ChannelException.class,
                    () -> ChannelFormat.validate(9, ring.asSlice(0, 100), ctl, Arena.ofConfined()));
            assertTrue(tiny.getMessage().contains("shorter than its header"), tiny.getMessage());
        }
    }

    @Test
    void filesOfTwoDifferentChannelsAreNotMixed() {
        Channel ch = channel();
        tamper(ch, Part.CONTROL, m -> m.set(JAVA_LONG, ControlFileDescriptor.INCARNATION_OFFSET, 1L));
        refused(Errno.EBADMSG, "does not match", ch);
    }

    @Test
    void aMessageWithAnImpossibleLengthIsDroppedNotRead() {
        try (Channel ch = registry.create(ChannelOptions.defaults().withMaxMessageSize(64));
             Subscriber s = ch.attach(Access.BOTH)) {
            s.trySend(utf8("first"));
            s.trySend(utf8("second"));
            // A hostile peer rewrites the first message's length beyond the slot.
            tamper(ch, Part.RING,
                    m -> m.set(JAVA_INT, RingFileDescriptor.descriptorOffset(0) + MessageDescriptor.MESSAGE_LENGTH, 1 << 30));
            assertEquals("second", receiveText(s), "the bad message is skipped, the next delivered");
            assertEquals(1, ch.snapshot().counters().dropped());
        }
    }

    @Test
    void aTailFarAheadOfTheReceiversDoesNotLeadReceiversOutOfBounds() {
        try (Channel ch = registry.create(ChannelOptions.defaults().withEntries(4));
             Subscriber s = ch.attach(Access.BOTH)) {
            tamper(ch, Part.RING, m -> m.set(JAVA_LONG, RingFileDescriptor.TAIL_OFFSET, 1L << 50));
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
            MemorySegment ring = receiver.delivery().memory().slots().ring();
            assertTrue(ring.isReadOnly());
            assertThrows(IllegalArgumentException.class, () -> ring.set(JAVA_LONG, RingFileDescriptor.TAIL_OFFSET, 5L));
        }
    }
}
