package dev.uipc.uring.linux;

import dev.uipc.testkit.ChildJvm;
import dev.uipc.uring.ErrnoException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** setsid(2) in a child JVM, as a broker started on demand calls it, seen from outside through /proc. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SessionTest {
    private static final Duration DEADLINE = Duration.ofSeconds(20);

    @Test
    void aChildLeavesItsParentsSessionAndCannotDoSoTwice() throws IOException {
        long ours = sessionOf(ProcessHandle.current().pid());
        try (ChildJvm child = ChildJvm.start(Detacher.class)) {
            child.awaitLine("detached", DEADLINE);
            long theirs = sessionOf(child.pid());
            assertEquals(child.pid(), theirs, "the child leads a session of its own");
            assertNotEquals(ours, theirs);
            child.send("again");
            assertEquals(0, child.waitFor(DEADLINE), child.output());
            assertTrue(child.stdout().contains("detached " + child.pid()), child.output());
            assertTrue(child.stdout().contains("again EPERM") && child.stdout().contains("leads a process group"),
                    "a session leader cannot start another, and the message says why: " + child.output());
        }
    }

    /** Field 6 of /proc/PID/stat: the session id. */
    private static long sessionOf(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        return Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[3]);
    }

    /** Starts a session, says so, then, told "again", tries a second time. */
    static final class Detacher {
        public static void main(String[] args) throws IOException {
            System.out.println("detached " + Session.create());
            if ("again".equals(new java.io.BufferedReader(new java.io.InputStreamReader(System.in)).readLine())) {
                try {
                    Session.create();
                    System.out.println("again ok");
                } catch (ErrnoException e) {
                    System.out.println("again " + e.error() + ": " + e.getMessage());
                }
            }
        }
    }
}
