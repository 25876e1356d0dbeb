package dev.uipc.cli;

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
        String json = run.out().trim();
        assertTrue(json.startsWith("{") && json.endsWith("}"), json);
        for (String key : new String[] {"\"kernel\":", "\"available\":true", "\"features\":", "\"lastOp\":",
                "\"checks\":", "\"setupFlags\":", "\"opcodes\":", "\"FUTEX_WAIT\":{\"status\":\"yes\""}) {
            assertTrue(json.contains(key), key + " in " + json);
        }
        assertEquals(1, json.lines().count(), "one line for scripts");
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
        assertTrue(version.out().startsWith("uipc "), version.toString());
    }
}
