package dev.uipc.testkit;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * A copy of a class path that every user can read, for child JVMs run under other uids: the
 * build's own class path usually lies under a home directory (the Maven repository) that only
 * its owner may enter. Made once per class path per JVM, under /tmp, removed at exit.
 */
final class StagedClassPath {
    private StagedClassPath() {
    }

    private static final ConcurrentHashMap<String, String> STAGED = new ConcurrentHashMap<>();

    static String readableByEveryone(String classPath) {
        return STAGED.computeIfAbsent(classPath, StagedClassPath::stage);
    }

    private static String stage(String classPath) {
        try {
            Path dir = Files.createTempDirectory(Path.of("/tmp"), "uipc-classpath-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
            Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(dir)));
            List<String> staged = new ArrayList<>();
            int n = 0;
            for (String entry : classPath.split(File.pathSeparator)) {
                if (entry.isEmpty()) {
                    continue;
                }
                Path source = Path.of(entry);
                if (!Files.exists(source)) {
                    continue;
                }
                Path target = dir.resolve((n++) + "-" + source.getFileName());
                copy(source, target);
                staged.add(target.toString());
            }
            return String.join(File.pathSeparator, staged);
        } catch (IOException e) {
            throw new UncheckedIOException("could not stage the class path for another user", e);
        }
    }

    private static void copy(Path source, Path target) throws IOException {
        if (Files.isDirectory(source)) {
            try (Stream<Path> walk = Files.walk(source)) {
                for (Path p : walk.toList()) {
                    Path to = target.resolve(source.relativize(p).toString());
                    if (Files.isDirectory(p)) {
                        Files.createDirectories(to);
                        Files.setPosixFilePermissions(to, PosixFilePermissions.fromString("rwxr-xr-x"));
                    } else {
                        Files.copy(p, to, StandardCopyOption.REPLACE_EXISTING);
                        Files.setPosixFilePermissions(to, PosixFilePermissions.fromString("rw-r--r--"));
                    }
                }
            }
        } else {
            Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
            Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-r--r--"));
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort at exit
        }
    }
}
