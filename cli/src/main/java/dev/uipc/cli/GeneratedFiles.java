package dev.uipc.cli;

import picocli.AutoComplete;
import picocli.CommandLine;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes what the build ships beside the command, from its picocli model, under a directory laid
 * out as {@code /usr/local/share} is: {@code man/man1/uipc.1}, the manual page, and
 * {@code bash-completion/completions/uipc}, the completion script for bash (and zsh, after
 * {@code autoload -U +X bashcompinit && bashcompinit}). The build runs it after compiling
 * (cli/pom.xml); {@code GeneratedFilesTest} checks that what it wrote is current.
 */
public final class GeneratedFiles {
    private GeneratedFiles() {
    }

    /** The manual page, relative to the directory written into. */
    static final Path MAN_PAGE = Path.of("man", "man1", "uipc.1");
    /** The completion script, relative to the directory written into: where bash-completion looks for it. */
    static final Path COMPLETION = Path.of("bash-completion", "completions", "uipc");

    /**
     * Writes the manual page and the completion script from the command's picocli model; the
     * build runs it after compiling.
     *
     * @param args the directory to write into, such as cli/target/share
     * @throws IOException if a file cannot be written
     */
    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            throw new IllegalArgumentException("give the directory to write into");
        }
        Path root = Path.of(args[0]);
        write(root.resolve(MAN_PAGE), manPage());
        write(root.resolve(COMPLETION), completion());
    }

    private static CommandLine model() {
        return Uipc.commandLine(new Uipc.Streams(new ByteArrayInputStream(new byte[0]), new ByteArrayOutputStream(),
                false));
    }

    static String manPage() {
        return ManPage.render(model(), Uipc.Version.number());
    }

    static String completion() {
        return AutoComplete.bash("uipc", model());
    }

    private static void write(Path file, String content) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, content, StandardCharsets.UTF_8);
    }
}
