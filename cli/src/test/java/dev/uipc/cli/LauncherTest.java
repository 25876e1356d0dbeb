package dev.uipc.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The JDK discovery that ./uipc and ./run-tests share (scripts/env.sh): a new-enough
 * JAVA_HOME wins, else the newest JDK under the JVM directory, else a message naming what it
 * looked at.
 */
class LauncherTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Path THIS_JDK = Path.of(System.getProperty("java.home"));

    private record Result(int status, String out, String err) {
    }

    private static Result findJdk(Map<String, String> env) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", ". scripts/env.sh && echo \"$UIPC_JAVA_HOME\"")
                .directory(ROOT.toFile());
        pb.environment().remove("JAVA_HOME");
        pb.environment().putAll(env);
        Process p = pb.start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "env.sh did not finish");
        return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim(),
                new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    /** A fake JDK directory whose release file says {@code version}. */
    private static Path fakeJdk(Path dir, String name, String version) throws IOException {
        Path home = dir.resolve(name);
        Files.createDirectories(home.resolve("bin"));
        for (String tool : new String[] {"java", "javac"}) {
            Path bin = home.resolve("bin").resolve(tool);
            Files.writeString(bin, "#!/bin/sh\nexit 0\n");
            bin.toFile().setExecutable(true);
        }
        Files.writeString(home.resolve("release"), "JAVA_VERSION=\"" + version + "\"\n");
        return home;
    }

    @Test
    void aNewEnoughJavaHomeWins() throws Exception {
        Result r = findJdk(Map.of("JAVA_HOME", THIS_JDK.toString()));
        assertEquals(0, r.status(), r.err());
        assertEquals(THIS_JDK.toString(), r.out());
    }

    @Test
    void anOldJavaHomeIsPassedOverForTheNewestJdkInTheDirectory(@TempDir Path jvms) throws Exception {
        Path old = fakeJdk(jvms, "jdk-17", "17.0.15");
        fakeJdk(jvms, "jdk-22", "22.0.2");
        Path newest = fakeJdk(jvms, "temurin-25", "25.0.3");
        fakeJdk(jvms, "jdk-8", "1.8.0_412");
        Result r = findJdk(Map.of("JAVA_HOME", old.toString(), "UIPC_JVM_DIR", jvms.toString(), "PATH", "/usr/bin:/bin"));
        assertEquals(0, r.status(), r.err());
        assertEquals(newest.toString(), r.out());
    }

    @Test
    void withoutAnyNewEnoughJdkItSaysWhatItLookedAt(@TempDir Path jvms) throws Exception {
        fakeJdk(jvms, "jdk-17", "17.0.15");
        Result r = findJdk(Map.of("UIPC_JVM_DIR", jvms.toString(), "PATH", "/bin:" + jvms.resolve("jdk-17/bin")));
        assertEquals(127, r.status(), r.out());
        assertTrue(r.err().contains("needs a JDK 22 or newer"), r.err());
        assertTrue(r.err().contains("JAVA_HOME (not set)") && r.err().contains("jdk-17 (JDK 17)"), r.err());
    }
}
