package dev.uipc.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The one JDK story. The JDK discovery that ./uipc, ./run-tests and bench/run share
 * (scripts/env.sh): a new-enough JAVA_HOME wins, else the newest new-enough JDK under the JVM
 * directory, else a new-enough javac on PATH, else a message naming what it looked at. "New
 * enough" is the POM's {@code uipc.jdk}, which is also the release the build compiles for, and a
 * Maven build started on an older JDK stops with one sentence saying which JDK it needs.
 */
class LauncherTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Path THIS_JDK = Path.of(System.getProperty("java.home"));
    /** The JDK uipc needs, as the POM says; every expectation below is relative to it. */
    private static final int REQUIRED = Integer.parseInt(pomProperty("uipc.jdk"));

    private record Result(int status, String out, String err) {
    }

    private static String pomProperty(String name) {
        try {
            Document pom = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(ROOT.resolve("pom.xml").toFile());
            var properties = pom.getDocumentElement().getElementsByTagName("properties").item(0);
            for (var node = properties.getFirstChild(); node != null; node = node.getNextSibling()) {
                if (name.equals(node.getNodeName())) {
                    return node.getTextContent().strip();
                }
            }
            throw new AssertionError("the parent POM has no property " + name);
        } catch (Exception e) {
            throw new AssertionError("cannot read the parent POM", e);
        }
    }

    private static Result run(Path dir, Map<String, String> env, String... command)
            throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
        pb.environment().remove("JAVA_HOME");
        pb.environment().remove("MAVEN_OPTS");      // env.sh's flags for a new JDK would stop an old one
        pb.environment().putAll(env);
        Process p = pb.start();
        p.getOutputStream().close();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "did not finish: " + String.join(" ", command));
        return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim(),
                new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    private static Result findJdk(Map<String, String> env) throws IOException, InterruptedException {
        return run(ROOT, env, "bash", "-c", ". scripts/env.sh && echo \"$UIPC_JAVA_HOME\"");
    }

    /** A fake JDK directory whose release file says {@code version}. */
    private static Path fakeJdk(Path dir, String name, String version) throws IOException {
        Path home = fakeJdkWithoutReleaseFile(dir, name, "exit 0");
        Files.writeString(home.resolve("release"), "JAVA_VERSION=\"" + version + "\"\n");
        return home;
    }

    /** A fake JDK directory with no release file, whose java runs {@code javaScript}. */
    private static Path fakeJdkWithoutReleaseFile(Path dir, String name, String javaScript) throws IOException {
        Path home = dir.resolve(name);
        Files.createDirectories(home.resolve("bin"));
        for (String tool : new String[] {"java", "javac"}) {
            Path bin = home.resolve("bin").resolve(tool);
            Files.writeString(bin, "#!/bin/sh\n" + (tool.equals("java") ? javaScript : "exit 0") + "\n");
            assertTrue(bin.toFile().setExecutable(true));
        }
        return home;
    }

    @Test
    void theRequiredJdkIsThePomsOneValue() throws Exception {
        assertEquals("${uipc.jdk}", pomProperty("maven.compiler.release"), "the build compiles for the JDK it requires");
        Result r = run(ROOT, Map.of("JAVA_HOME", THIS_JDK.toString()), "bash", "-c", ". scripts/env.sh && echo \"$UIPC_MIN_JDK\"");
        assertEquals(0, r.status(), r.err());
        assertEquals(Integer.toString(REQUIRED), r.out(), "env.sh reads the POM's uipc.jdk");
        assertTrue(Runtime.version().feature() >= REQUIRED, "these tests themselves run on " + Runtime.version());
    }

    @Test
    void aNewEnoughJavaHomeWins() throws Exception {
        Result r = findJdk(Map.of("JAVA_HOME", THIS_JDK.toString()));
        assertEquals(0, r.status(), r.err());
        assertEquals(THIS_JDK.toString(), r.out());
    }

    @Test
    void aJavaHomeOneReleaseTooOldIsPassedOverForTheNewestJdkInTheDirectory(@TempDir Path jvms) throws Exception {
        Path almost = fakeJdk(jvms, "jdk-" + (REQUIRED - 1), (REQUIRED - 1) + ".0.2");
        fakeJdk(jvms, "jdk-17", "17.0.15");
        fakeJdk(jvms, "temurin-" + REQUIRED, REQUIRED + ".0.3");
        Path newest = fakeJdk(jvms, "jdk-" + (REQUIRED + 1), (REQUIRED + 1) + "+7");
        fakeJdk(jvms, "jdk-8", "1.8.0_412");
        Result r = findJdk(Map.of("JAVA_HOME", almost.toString(), "UIPC_JVM_DIR", jvms.toString(), "PATH", "/usr/bin:/bin"));
        assertEquals(0, r.status(), r.err());
        assertEquals(newest.toString(), r.out());
    }

    @Test
    void aNewEnoughJavacOnPathServesWhenNothingElseDoes(@TempDir Path dir) throws Exception {
        Path jvms = Files.createDirectories(dir.resolve("jvm"));
        fakeJdk(jvms, "jdk-" + (REQUIRED - 1), (REQUIRED - 1) + ".0.1");
        Path elsewhere = fakeJdk(dir, "opt-jdk", REQUIRED + ".0.1");
        Result r = findJdk(Map.of("UIPC_JVM_DIR", jvms.toString(), "PATH", elsewhere.resolve("bin") + ":/usr/bin:/bin"));
        assertEquals(0, r.status(), r.err());
        assertEquals(elsewhere.toString(), r.out());
    }

    @Test
    void withoutAReleaseFileItAsksTheJavaBinary(@TempDir Path jvms) throws Exception {
        fakeJdkWithoutReleaseFile(jvms, "old", "echo 'openjdk version \"" + (REQUIRED - 1) + ".0.2\" 2025-07-15' >&2");
        Path asked = fakeJdkWithoutReleaseFile(jvms, "new",
                "echo 'openjdk version \"" + REQUIRED + ".0.1\" 2025-10-21 LTS' >&2");
        Result r = findJdk(Map.of("UIPC_JVM_DIR", jvms.toString(), "PATH", "/usr/bin:/bin"));
        assertEquals(0, r.status(), r.err());
        assertEquals(asked.toString(), r.out());
    }

    @Test
    void withoutAnyNewEnoughJdkItSaysWhichItNeedsAndWhatItLookedAt(@TempDir Path jvms) throws Exception {
        Path almost = fakeJdk(jvms, "jdk-" + (REQUIRED - 1), (REQUIRED - 1) + ".0.2");
        fakeJdk(jvms, "jdk-17", "17.0.15");
        Result r = findJdk(Map.of("JAVA_HOME", almost.toString(), "UIPC_JVM_DIR", jvms.toString(),
                "PATH", "/bin:" + jvms.resolve("jdk-17/bin")));
        assertEquals(127, r.status(), r.out());
        List<String> lines = r.err().lines().toList();
        assertEquals(2, lines.size(), r.err());
        assertEquals("uipc: needs a JDK " + REQUIRED + " or newer and found none; install one (for example Temurin "
                + REQUIRED + " under " + jvms + ") or point JAVA_HOME at one.", lines.get(0));
        assertTrue(lines.get(1).startsWith("uipc: looked at: JAVA_HOME=" + almost + " (JDK " + (REQUIRED - 1) + ")"),
                r.err());
        assertTrue(lines.get(1).contains("jdk-17 (JDK 17)") && lines.get(1).contains("javac on PATH"), r.err());
    }

    @Test
    void aJavaHomeThatIsNoJdkIsNamedAsSuch(@TempDir Path dir) throws Exception {
        Path jvms = Files.createDirectories(dir.resolve("jvm"));
        Path notAJdk = Files.createDirectories(dir.resolve("jre-without-javac"));
        Result r = findJdk(Map.of("JAVA_HOME", notAJdk.toString(), "UIPC_JVM_DIR", jvms.toString(), "PATH", "/bin"));
        assertEquals(127, r.status(), r.out());
        assertTrue(r.err().contains("looked at: JAVA_HOME=" + notAJdk + " (not a JDK)"), r.err());
    }

    @Test
    void aMavenBuildOnAnOlderJdkStopsWithOneSentenceSayingWhichItNeeds() throws Exception {
        Optional<Path> old = installedJdkOlderThanRequired();
        assumeTrue(old.isPresent(), "no JDK older than " + REQUIRED + " is installed to start Maven with");
        Optional<Path> mvn = onPath("mvn");
        assumeTrue(mvn.isPresent(), "no mvn on PATH");
        List<String> command = new ArrayList<>(List.of(mvn.get().toString(), "-B", "-N", "-o", "validate"));
        String repository = System.getProperty("uipc.maven.repo.local");
        if (repository != null) {
            command.add("-Dmaven.repo.local=" + repository);      // the enforcer this build just ran, offline
        }
        Map<String, String> env = new HashMap<>();
        env.put("JAVA_HOME", old.get().toString());
        Result r = run(ROOT, env, command.toArray(String[]::new));
        assertTrue(r.status() != 0, r.out());
        List<String> sentences = r.out().lines().filter(l -> l.contains("uipc needs JDK")).toList();
        assertEquals(1, sentences.size(), r.out());
        String sentence = sentences.getFirst().replaceFirst("^\\[ERROR\\] ", "");
        assertTrue(sentence.startsWith("uipc needs JDK " + REQUIRED + " or newer to build, but this Maven runs on Java "),
                sentence);
        assertTrue(sentence.endsWith("point JAVA_HOME at a JDK " + REQUIRED + " or newer, or use ./run-tests, which finds one."),
                sentence);
        assertFalse(r.out().contains("release version") || r.out().contains("COMPILATION ERROR"),
                "stopped before compiling: " + r.out());
    }

    private static Optional<Path> installedJdkOlderThanRequired() throws IOException {
        Path jvms = Path.of("/usr/lib/jvm");
        if (!Files.isDirectory(jvms)) {
            return Optional.empty();
        }
        try (Stream<Path> homes = Files.list(jvms)) {
            return homes.filter(home -> !Files.isSymbolicLink(home) && Files.isExecutable(home.resolve("bin/java")))
                    .filter(home -> featureOf(home).filter(v -> v >= 11 && v < REQUIRED).isPresent())
                    .findFirst();
        }
    }

    /** The feature release a JDK's release file states, if it has one. */
    private static Optional<Integer> featureOf(Path home) {
        try {
            for (String line : Files.readAllLines(home.resolve("release"))) {
                if (line.startsWith("JAVA_VERSION=\"")) {
                    String version = line.substring("JAVA_VERSION=\"".length());
                    return Optional.of(Integer.parseInt(version.split("[.\"+_-]")[0]));
                }
            }
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    private static Optional<Path> onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, program);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
