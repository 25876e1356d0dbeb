package dev.uipc.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.uipc.channel.Subscriber;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the command line accepts, and the sentence it gives for what it does not. */
class ArgumentsTest extends WithBroker {
    private static String refusal(Runnable conversion) {
        return assertThrows(CommandLine.TypeConversionException.class, conversion::run).getMessage();
    }

    @Test
    void durationsAreExactAndSaidBackAsWritten() {
        assertEquals(Duration.ofNanos(10_000), Arguments.parseDuration("10us"));
        assertEquals(Duration.ofNanos(10_000), Arguments.parseDuration("10\u00b5s"));
        assertEquals(Duration.ofMillis(1100), Arguments.parseDuration("1.1s"), "no binary rounding");
        assertEquals(Duration.ofSeconds(90), Arguments.parseDuration("1.5m"));
        assertEquals(Duration.ofSeconds(3), Arguments.parseDuration("3"));
        assertEquals(Subscriber.FOREVER, Arguments.parseDuration("forever"));
        for (String written : new String[] {"10us", "1.5s", "250ns", "500ms", "2s", "1.5m", "1h", "1.5us", "0s"}) {
            assertEquals(written, Arguments.describe(Arguments.parseDuration(written)), written);
        }
        assertEquals("forever", Arguments.describe(Subscriber.FOREVER));
        assertTrue(refusal(() -> Arguments.parseDuration("0.5ns")).contains("the smallest step is a nanosecond"));
        assertTrue(refusal(() -> Arguments.parseDuration("999999999h")).contains("say forever for no limit"));
        assertTrue(refusal(() -> Arguments.parseDuration("-1s")).contains("is not a duration"));
        assertTrue(refusal(() -> Arguments.parseDuration("1e3s")).contains("is not a duration"));
        assertTrue(refusal(() -> Arguments.parseDuration("s")).contains("is not a duration"));
        assertTrue(refusal(() -> Arguments.parseDuration("10 parsecs")).contains("is not a duration"));
    }

    @Test
    void keyZeroIsRefusedNotSilentlyNoKey() {
        assertTrue(refusal(() -> Arguments.parseKey("0")).contains("0 would mean no key: leave --key out for that"));
        assertTrue(refusal(() -> Arguments.parseKey("0x0")).contains("leave --key out"));
        assertEquals(-1L, Arguments.parseKey("0xffffffffffffffff"));
        assertEquals(-1L, Arguments.parseKey("18446744073709551615"));
        assertTrue(refusal(() -> Arguments.parseKey("-1")).contains("is not a key"));
        CliRun create = fails(64, "EINVAL", "create", "--key", "0");
        assertTrue(create.err().contains("leave --key out"), create.toString());
        assertEquals(0, registry.list().size(), "nothing was created");
        fails(64, "EINVAL", "send", "--key", "0", "x");
    }

    @Test
    void aTagIsNotAKeyAndMayBeNegative() {
        create("--key", "0x70");
        ok("send", "--key", "0x70", "--tag", "-1", "minus one");
        ok("send", "--key", "0x70", "--tag", "0", "zero");
        JsonNode minusOne = ok("recv", "--key", "0x70", "--json").json();
        assertEquals("18446744073709551615", minusOne.path("tag").bigIntegerValue().toString(),
                "the same 64 bits, unsigned: " + minusOne);
        assertEquals(0, ok("recv", "--key", "0x70", "--json").json().path("tag").asLong());
        CliRun bad = fails(64, "EINVAL", "send", "--key", "0x70", "--tag", "lots", "x");
        assertTrue(bad.err().contains("'lots' is not a tag"), bad.toString());
        assertFalse(bad.err().contains("key"), "a tag is not called a key: " + bad);
    }

    @Test
    void idsAreCheckedAsIds() {
        CliRun negative = fails(64, "EINVAL", "recv", "--id", "-1");
        assertTrue(negative.err().contains("'-1' is not a channel id"), negative.toString());
        assertFalse(negative.err().contains("4294967295"), negative.toString());
        fails(64, "EINVAL", "stat", "--id", "0");
        create("--key", "0x71");
        CliRun target = fails(64, "EINVAL", "send", "--key", "0x71", "--target", "-2", "x");
        assertTrue(target.err().contains("'-2' is not a subscriber id"), target.toString());
    }

    @Test
    void usageErrorsHaveOnePrefix() {
        CliRun missing = CliRun.of("send", "x");
        assertEquals(64, missing.status(), missing.toString());
        assertTrue(missing.err().startsWith("EINVAL: Missing required argument"), missing.toString());
        assertFalse(missing.err().contains("Error:"), "the errno name is the prefix, once: " + missing);
    }
}
