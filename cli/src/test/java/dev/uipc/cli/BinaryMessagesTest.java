package dev.uipc.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Messages are bytes: what {@code send} reads from a file or stdin arrives byte for byte, and
 * {@code recv} gives the same bytes back, raw, NUL-separated, or in JSON as base64.
 */
class BinaryMessagesTest extends WithBroker {
    /** Every byte value, in an order that puts NUL, newline, CR, 0x80 and 0xff next to text. */
    private static byte[] everyByte() {
        byte[] all = new byte[256];
        for (int i = 0; i < 256; i++) {
            all[i] = (byte) (i * 167 + 13);                  // 167 is odd: a permutation of 0..255
        }
        return all;
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    @Test
    void aFileArrivesByteForByteRawAndInJson() throws IOException {
        create("--key", "0x50", "--max-size", "64k");
        Random random = new Random(0x5eed);
        for (int size : new int[] {0, 1, 255, 256, 4095, 65536}) {
            byte[] payload = size == 256 ? everyByte() : new byte[size];
            if (size != 256) {
                random.nextBytes(payload);
            }
            Path file = directory.resolve("payload-" + size);
            Files.write(file, payload);
            ok("send", "--key", "0x50", "--file", file.toString());
            ok("send", "--key", "0x50", "--file", file.toString());
            assertArrayEquals(payload, ok("recv", "--key", "0x50", "--raw").outBytes(), "raw, " + size + " bytes");
            JsonNode json = ok("recv", "--key", "0x50", "--json").json();
            assertArrayEquals(payload, Base64.getDecoder().decode(json.path("base64").asText()), "base64, " + size);
            assertEquals(size, json.path("length").asInt(), json.toString());
        }
    }

    @Test
    void jsonGivesTheTextWhenTheBytesAreUtf8AndNullWhenNot() throws IOException {
        create("--key", "0x51");
        String text = "grüße \"quoted\" back\\slash\nnew line\ttab \u0001 € \uD83D\uDE00";
        Path file = directory.resolve("text");
        Files.writeString(file, text, StandardCharsets.UTF_8);
        ok("send", "--key", "0x51", "--file", file.toString());
        JsonNode message = ok("recv", "--key", "0x51", "--json").json();
        assertEquals(text, message.path("text").asText(), "one layer of escaping, JSON's: " + message);
        ok(CliRun.withInput(new byte[] {'o', 'k', (byte) 0xff, (byte) 0xfe}, "send", "--key", "0x51", "--file", "-"));
        message = ok("recv", "--key", "0x51", "--json").json();
        assertTrue(message.path("text").isNull(), "not UTF-8, so no text: " + message);
        assertArrayEquals(new byte[] {'o', 'k', (byte) 0xff, (byte) 0xfe},
                Base64.getDecoder().decode(message.path("base64").asText()));
    }

    @Test
    void wholeStdinIsOneMessage() {
        create("--key", "0x52");
        byte[] input = concat("line one\nline two\r\n".getBytes(StandardCharsets.UTF_8), everyByte());
        ok(CliRun.withInput(input, "send", "--key", "0x52", "--file", "-"));
        assertArrayEquals(input, ok("recv", "--key", "0x52", "--raw").outBytes());
        fails(11, "EAGAIN", "recv", "--key", "0x52");                       // one message, not several
    }

    @Test
    void nulSeparatedRecordsRoundTripThroughSendAndRecvDashZero() {
        create("--key", "0x53");
        byte[] record1 = "has\nnewlines\n".getBytes(StandardCharsets.UTF_8);
        byte[] record2 = new byte[] {(byte) 0xff, '\r', '\n', (byte) 0x80};
        byte[] record3 = new byte[0];
        byte[] input = concat(record1, new byte[] {0}, record2, new byte[] {0}, record3, new byte[] {0});
        ok(CliRun.withInput(input, "send", "--key", "0x53", "-0"));
        CliRun recv = ok("recv", "--key", "0x53", "--count", "0", "-0");
        assertArrayEquals(input, recv.outBytes(), "three records, each with its NUL, byte for byte");
    }

    @Test
    void aLastRecordWithoutItsTerminatorCounts() {
        create("--key", "0x54");
        ok(CliRun.withInput("a\0b", "send", "--key", "0x54", "-0"));
        assertEquals("a\nb\n", ok("recv", "--key", "0x54", "--count", "0").out());
    }

    @Test
    void stdinLinesKeepBytesThatAreNotUtf8() {
        create("--key", "0x55");
        byte[] line = {'x', (byte) 0xff, (byte) 0xc3, 'y'};
        ok(CliRun.withInput(concat(line, new byte[] {'\n'}, "two\r\n".getBytes(StandardCharsets.UTF_8)),
                "send", "--key", "0x55"));
        assertArrayEquals(line, ok("recv", "--key", "0x55", "--raw").outBytes(), "not U+FFFD");
        assertEquals("two\n", ok("recv", "--key", "0x55").out(), "the CR before the newline is not part of the line");
    }

    @Test
    void theDefaultOutputEscapesWhatIsNotText() {
        create("--key", "0x56");
        ok(CliRun.withInput(new byte[] {'a', 0, '\\', (byte) 0xff, '\n'}, "send", "--key", "0x56"));
        assertEquals("a\\x00\\\\\\xff\n", ok("recv", "--key", "0x56").out());
        ok(CliRun.withInput(new byte[] {(byte) 0xc3, (byte) 0xbc, (byte) 0xff, 'z', '\n'}, "send", "--key", "0x56"));
        assertEquals("\u00fc\\xffz\n", ok("recv", "--key", "0x56").out(), "the UTF-8 around a bad byte stays text");
    }

    @Test
    void aFileOverTheMaximumSendsNothingAndSaysSo() throws IOException {
        create("--key", "0x57", "--max-size", "16");
        Path small = directory.resolve("small");
        Path big = directory.resolve("big");
        Files.write(small, new byte[16]);
        Files.write(big, new byte[17]);
        CliRun r = fails(90, "EMSGSIZE", "send", "--key", "0x57", "--file", small.toString(), "--file", big.toString());
        assertTrue(r.err().contains("nothing was sent"), r.toString());
        assertEquals(0, registry.snapshotByKey(0x57).tail(), "not even the first file");
        CliRun missing = fails(2, "ENOENT", "send", "--key", "0x57", "--file", directory.resolve("nope").toString());
        assertTrue(missing.err().contains("no file " + directory.resolve("nope")), missing.toString());
        fails(21, "EISDIR", "send", "--key", "0x57", "--file", directory.toString());
        CliRun tooLong = fails(90, "EMSGSIZE", CliRun.withInput("short\n" + "x".repeat(17) + "\n", "send", "--key",
                "0x57"));
        assertTrue(tooLong.err().contains("line 2 of stdin is over the channel's maximum of 16 bytes; sent 1 (line 1)"),
                tooLong.toString());
    }

    @Test
    void messagesComeOneWayAtATime() throws IOException {
        create("--key", "0x58");
        Path file = directory.resolve("f");
        Files.write(file, new byte[] {1});
        CliRun both = fails(22, "EINVAL", "send", "--key", "0x58", "--file", file.toString(), "argument");
        assertTrue(both.err().contains("one way"), both.toString());
        fails(64, "EINVAL", "recv", "--key", "0x58", "--raw", "--json");
        assertEquals(0, registry.snapshotByKey(0x58).tail());
    }

    @Test
    void manyRandomPayloadsRoundTripThroughStdinAndRecvRaw() {
        create("--key", "0x59", "--entries", "64", "--max-size", "1k");
        Random random = new Random(42);
        List<byte[]> payloads = new java.util.ArrayList<>();
        for (int i = 0; i < 40; i++) {
            byte[] p = new byte[random.nextInt(1025)];
            random.nextBytes(p);
            payloads.add(p);
        }
        for (byte[] p : payloads) {
            ok(CliRun.withInput(p, "send", "--key", "0x59", "--file", "-"));
        }
        for (byte[] p : payloads) {
            assertArrayEquals(p, ok("recv", "--key", "0x59", "--raw").outBytes());
        }
    }
}
