package dev.uipc.channel;

import dev.uipc.channel.layout.ControlFileDescriptor;
import dev.uipc.channel.layout.DeliveryWord;
import dev.uipc.channel.layout.MessageDescriptor;
import dev.uipc.channel.layout.RingFileDescriptor;
import dev.uipc.channel.layout.SubscriberDescriptor;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * docs/LAYOUT.md and the descriptor classes agree, field by field: the RFC's uapi header and
 * kernel disagreed (24- vs 32-byte descriptors, descriptors at 144 vs 192), and Aeron's
 * diagrams drifted from its code. This test parses the specification's tables.
 */
class LayoutSpecificationTest {
    private static final Path SPEC = Path.of("..", "docs", "LAYOUT.md");
    private static final Pattern ROW = Pattern.compile("^\\|\\s*(\\d+)\\s*\\|\\s*(\\d+)\\s*\\|\\s*(\\w+)\\s*\\|\\s*(\\w+)\\s*\\|");

    private record Field(long offset, long size, String type, String name) {
    }

    /** The rows of the table under the heading {@code ### heading}. */
    private static List<Field> table(String heading) throws IOException {
        List<String> lines = Files.readAllLines(SPEC);
        int start = lines.indexOf("### " + heading);
        assertTrue(start >= 0, "LAYOUT.md has no section '### " + heading + "'");
        List<Field> fields = new ArrayList<>();
        for (int i = start + 1; i < lines.size() && !lines.get(i).startsWith("#"); i++) {
            Matcher m = ROW.matcher(lines.get(i));
            if (m.find()) {
                fields.add(new Field(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), m.group(3), m.group(4)));
            }
        }
        assertTrue(!fields.isEmpty(), "no rows under " + heading);
        return fields;
    }

    private static void agree(String heading, StructLayout layout) throws IOException {
        List<Field> spec = table(heading);
        List<MemoryLayout> members = layout.memberLayouts();
        assertEquals(members.size(), spec.size(), heading + ": the spec and " + layout + " have different fields");
        long expectedOffset = 0;
        for (int i = 0; i < spec.size(); i++) {
            Field f = spec.get(i);
            MemoryLayout member = members.get(i);
            assertEquals(f.name(), member.name().orElseThrow(), heading + " field " + i);
            assertEquals(f.offset(), expectedOffset, heading + "." + f.name() + " offset (fields must be contiguous)");
            assertEquals(f.offset(), layout.byteOffset(MemoryLayout.PathElement.groupElement(f.name())),
                    heading + "." + f.name() + " offset");
            assertEquals(f.size(), member.byteSize(), heading + "." + f.name() + " size");
            if (!f.type().equals("bytes")) {
                assertEquals(f.size() * 8, Long.parseLong(f.type().substring(1)), heading + "." + f.name() + " type");
            }
            expectedOffset += f.size();
        }
        assertEquals(layout.byteSize(), expectedOffset, heading + " total size");
    }

    @Test
    void ringFileHeaderAgrees() throws IOException {
        agree("Ring header", RingFileDescriptor.LAYOUT);
        assertEquals(4096, RingFileDescriptor.LAYOUT.byteSize());
        assertEquals(128, RingFileDescriptor.TAIL_OFFSET);
    }

    @Test
    void messageDescriptorAgrees() throws IOException {
        agree("Message descriptor", MessageDescriptor.LAYOUT);
        assertEquals(64, MessageDescriptor.LENGTH, "one cache line");
    }

    @Test
    void controlFileHeaderAgrees() throws IOException {
        agree("Control header", ControlFileDescriptor.LAYOUT);
        assertEquals(4096, ControlFileDescriptor.LAYOUT.byteSize());
        for (long hot : new long[] {ControlFileDescriptor.STATE_OFFSET, ControlFileDescriptor.CONSUMER_HEAD_OFFSET,
                ControlFileDescriptor.RECEIVERS_WAITING_OFFSET, ControlFileDescriptor.SENDERS_WAITING_OFFSET,
                ControlFileDescriptor.MEMBERSHIP_EPOCH_OFFSET}) {
            assertEquals(0, hot % 128, "hot word at " + hot + " starts its own 128 bytes");
        }
    }

    @Test
    void subscriberRowAgrees() throws IOException {
        agree("Subscriber row", SubscriberDescriptor.LAYOUT);
        assertEquals(128, SubscriberDescriptor.LENGTH);
        assertEquals(64, SubscriberDescriptor.CURSOR, "the hot line starts at the second cache line");
    }

    @Test
    void deliveryWordAgrees() throws IOException {
        List<String> lines = Files.readAllLines(SPEC);
        String spec = String.join("\n", lines);
        assertTrue(spec.contains("| 63..32 | lap |") && spec.contains("| 31..24 | state |") && spec.contains("| 23..0 | taker |"));
        long word = DeliveryWord.encode(0x12345678, DeliveryWord.TAKEN, 0xABCDEF);
        assertEquals(0x12345678, DeliveryWord.lap(word));
        assertEquals(DeliveryWord.TAKEN, DeliveryWord.state(word));
        assertEquals(0xABCDEF, DeliveryWord.taker(word));
        assertEquals(0x12345678_02ABCDEFL, word);
        String states = "0 OPEN (takeable by `target`, or by anyone if `target` is 0), 1 OPEN_ANY";
        assertTrue(spec.contains(states), "state numbering");
        assertEquals(0, DeliveryWord.OPEN);
        assertEquals(1, DeliveryWord.OPEN_ANY);
        assertEquals(2, DeliveryWord.TAKEN);
        assertEquals(3, DeliveryWord.DONE);
        assertEquals(4, DeliveryWord.SKIPPED);
        assertEquals(5, DeliveryWord.DROPPED);
    }

    @Test
    void magicNumbersAreTheAsciiTheSpecSays() {
        assertEquals("UIPCRING", ascii(RingFileDescriptor.MAGIC));
        assertEquals("UIPCCTRL", ascii(ControlFileDescriptor.MAGIC));
    }

    private static String ascii(long littleEndian) {
        byte[] bytes = java.nio.ByteBuffer.allocate(8).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(littleEndian).array();
        return new String(bytes, java.nio.charset.StandardCharsets.US_ASCII);
    }
}
