package dev.uipc.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The manual page and the completion script that the build writes into target/share (cli/pom.xml
 * runs {@link GeneratedFiles} after compiling): they are there, current, complete, and they work —
 * troff reads the page without a warning, bash completes commands, options and modes.
 */
class GeneratedFilesTest {
    private static final Path SHARE = Path.of("target", "share");

    private static CommandLine model() {
        return Uipc.commandLine(new Uipc.Streams(new ByteArrayInputStream(new byte[0]), new ByteArrayOutputStream(),
                false));
    }

    @Test
    void theBuildWroteThemAndTheyAreCurrent() throws IOException {
        Path page = SHARE.resolve(GeneratedFiles.MAN_PAGE);
        Path script = SHARE.resolve(GeneratedFiles.COMPLETION);
        assertTrue(Files.isRegularFile(page), "the build writes " + page.toAbsolutePath());
        assertTrue(Files.isRegularFile(script), "the build writes " + script.toAbsolutePath());
        assertEquals(GeneratedFiles.manPage(), Files.readString(page), "the page is the model's, as built");
        assertEquals(GeneratedFiles.completion(), Files.readString(script), "the script is the model's, as built");
    }

    @Test
    void thePageDocumentsEveryCommandAndOption() {
        String page = GeneratedFiles.manPage();
        List<CommandLine> commands = ManPage.commands(model());
        assertTrue(commands.size() >= 9, "create, send, recv, ls, stat, destroy, broker, demo, uring, uring probe: "
                + commands.size());
        for (CommandLine command : commands) {
            String name = command.getCommandSpec().qualifiedName();
            assertTrue(page.contains(".SS \"" + ManPage.escape(name) + "\""), name);
            for (OptionSpec option : command.getCommandSpec().options()) {
                if (!option.hidden()) {
                    assertTrue(page.contains("\\fB" + ManPage.escape(option.longestName()) + "\\fR"),
                            name + " " + option.longestName());
                }
            }
        }
        assertTrue(!page.contains("demo-receiver"), "hidden commands stay hidden");
        for (String section : new String[] {".SH NAME", ".SH SYNOPSIS", ".SH \"EXIT STATUS\"", ".SH ENVIRONMENT",
                "UIPC_BROKER", ".SH FILES"}) {
            assertTrue(page.contains(section), section);
        }
    }

    @Test
    void troffReadsThePageWithoutAWarning() throws IOException, InterruptedException {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/groff")), "groff is not installed");
        Process groff = new ProcessBuilder("groff", "-man", "-Tutf8", "-ww", "-z").redirectErrorStream(true).start();
        groff.getOutputStream().write(GeneratedFiles.manPage().getBytes(StandardCharsets.UTF_8));
        groff.getOutputStream().close();
        String output = new String(groff.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(groff.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, groff.exitValue(), output);
        assertEquals("", output, "no warnings");
    }

    /** What the completion script offers for the words typed so far (the last one being completed). */
    private static String complete(String... words) throws IOException, InterruptedException {
        String line = String.join(" ", words);
        String script = "source " + SHARE.resolve(GeneratedFiles.COMPLETION) + " 2>/dev/null\n"
                + "COMP_WORDS=(" + line + "); COMP_CWORD=" + (words.length - 1) + "; COMP_LINE='" + line + "'; "
                + "COMP_POINT=${#COMP_LINE}\n"
                + "_complete_uipc uipc '" + words[words.length - 1] + "' '" + words[words.length - 2] + "' 2>/dev/null\n"
                + "echo \"${COMPREPLY[*]}\"\n";
        Process bash = new ProcessBuilder("bash", "--norc", "-c", script).redirectErrorStream(true).start();
        String output = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertTrue(bash.waitFor(30, TimeUnit.SECONDS));
        return output;
    }

    @Test
    void bashCompletesCommandsOptionsAndModes() throws IOException, InterruptedException {
        assertEquals("send", complete("uipc", "se"));
        assertEquals("--raw", complete("uipc", "recv", "--ra"));
        assertEquals("broadcast", complete("uipc", "create", "--mode", "b"));
        assertEquals("probe", complete("uipc", "uring", "p"));
    }
}
