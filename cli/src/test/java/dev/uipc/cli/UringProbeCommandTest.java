package dev.uipc.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UringProbeCommandTest {
    @Test
    void probePrintsATableOfWhatWorks() {
        CliRun run = CliRun.of("uring", "probe");
        assertEquals(0, run.status(), run.toString());
        for (String expected : new String[] {"kernel", "features", "futex-wait-woken-by-syscall", "futex-waitv",
                "msg-ring-across-processes", "registered-waits", "SINGLE_ISSUER", "DEFER_TASKRUN", "FUTEX_WAITV"}) {
            assertTrue(run.out().contains(expected), expected + "\n" + run);
        }
        assertTrue(run.err().isEmpty(), run.toString());
    }

    @Test
    void probeJsonIsOneObjectWithEverySection() {
        CliRun run = CliRun.of("uring", "probe", "--json");
        assertEquals(0, run.status(), run.toString());
        JsonNode json = run.json();                                  // one object on one line, for scripts
        assertTrue(json.isObject(), run.toString());
        assertEquals(CliRun.PROJECT_VERSION, json.path("version").asText(), run.toString());
        assertTrue(json.path("available").asBoolean(), run.toString());
        for (String member : new String[] {"kernel", "machine", "features", "lastOp", "checks", "setupFlags", "opcodes"}) {
            assertTrue(json.has(member), member + " in " + json);
        }
        assertTrue(json.path("features").path("names").isArray(), run.toString());
        assertEquals("yes", json.path("opcodes").path("FUTEX_WAIT").path("status").asText(), run.toString());
        assertEquals("yes", json.path("checks").path("futex-waitv").path("status").asText(), run.toString());
    }

    @Test
    void aBadCommandLineIsAUsageErrorOnStderr() {
        CliRun run = CliRun.of("uring", "probe", "--jsn");
        assertEquals(ExitStatus.USAGE, run.status(), run.toString());
        assertTrue(run.err().startsWith("EINVAL: "), run.toString());
        assertTrue(run.err().contains("--json"), "suggests the option meant: " + run);
        assertTrue(run.out().isEmpty(), run.toString());
    }

    @Test
    void noCommandAtAllIsAUsageError() {
        CliRun run = CliRun.of();
        assertEquals(ExitStatus.USAGE, run.status(), run.toString());
        assertTrue(run.err().startsWith("EINVAL: "), run.toString());
    }

    @Test
    void helpAndVersionSucceed() {
        CliRun help = CliRun.of("--help");
        assertEquals(0, help.status(), help.toString());
        assertTrue(help.out().contains("uring"), help.toString());
        CliRun version = CliRun.of("--version");
        assertEquals(0, version.status(), version.toString());
        assertEquals("uipc " + CliRun.PROJECT_VERSION + ", Java " + Runtime.version() + "\n", version.out(),
                "the POM's version, from the resource the build filters");
    }
}
