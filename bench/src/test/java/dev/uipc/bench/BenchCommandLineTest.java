package dev.uipc.bench;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A command line that does not parse gets a sentence and exit status 64, never a stack trace. */
class BenchCommandLineTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return Bench.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    }

    @Test
    void helpOfEachBenchmarkPrintsItsUsage() {
        assertEquals(0, run("streaming", "--help"), err.toString());
        assertTrue(out.toString().contains("Usage: bench/run streaming"), out.toString());
        assertEquals(0, run("rfc", "--help"), err.toString());
        assertTrue(out.toString().contains("--quick"), out.toString());
        assertEquals(0, run("wake", "--help"), err.toString());
        assertTrue(out.toString().contains("Usage: bench/run wake"), out.toString());
        assertTrue(out.toString().contains("FUTEX_WAITV"), out.toString());
    }

    @Test
    void anUnknownOptionIsASentence() {
        assertEquals(Bench.USAGE, run("streaming", "--bogus"));
        assertTrue(err.toString().contains("Unknown option: '--bogus'"), err.toString());
        assertFalse(err.toString().contains("Exception"), err.toString());
        assertFalse(err.toString().contains("\tat "), err.toString());
    }

    @Test
    void valuesThatMakeNoSenseAreSentences() {
        assertEquals(Bench.USAGE, run("rfc", "--sections", "9"));
        assertTrue(err.toString().contains("there are sections 1 to 7, not 9"), err.toString());
        assertEquals(Bench.USAGE, run("rfc", "--wait", "park"));
        assertTrue(err.toString().contains("--wait must be spin or spin-then-park"), err.toString());
        assertEquals(Bench.USAGE, run("wake", "--sections", "6"));
        assertTrue(err.toString().contains("there are sections 1 to 5, not 6"), err.toString());
        assertEquals(Bench.USAGE, run("wake", "--samples", "3", "--runs", "5"));
        assertTrue(err.toString().contains("--samples at least --runs"), err.toString());
        assertEquals(Bench.USAGE, run("streaming", "--transports", "carrier-pigeon"));
        assertTrue(err.toString().contains("no transport 'carrier-pigeon'"), err.toString());
        assertFalse(err.toString().contains("\tat "), err.toString());
    }

    @Test
    void noBenchmarkNamedIsASentence() {
        assertEquals(Bench.USAGE, run());
        assertTrue(err.toString().contains("name a benchmark"), err.toString());
    }
}
