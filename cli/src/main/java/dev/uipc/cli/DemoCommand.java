package dev.uipc.cli;

import dev.uipc.channel.Access;
import dev.uipc.channel.Broker;
import dev.uipc.channel.Channel;
import dev.uipc.channel.ChannelOptions;
import dev.uipc.channel.MessageInfo;
import dev.uipc.channel.Mode;
import dev.uipc.channel.Registry;
import dev.uipc.channel.Outcome;
import dev.uipc.channel.Subscriber;
import dev.uipc.uring.Errno;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * {@code uipc demo}: the three delivery modes across real processes, for a newcomer. For each
 * mode it creates a channel in a private registry, starts receivers as child processes, sends
 * them messages, shows the channel's stat table, destroys it, and prints what each receiver
 * got. Cleans up after itself.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Show unicast, broadcast and multicast across real processes: receivers run as child "
                + "processes; the counts per receiver show how each mode delivers. Cleans up after itself.")
final class DemoCommand implements Callable<Integer> {
    private static final Duration DEADLINE = Duration.ofSeconds(20);

    @Option(names = "--messages", defaultValue = "300", description = "Messages per mode. Default: ${DEFAULT-VALUE}.")
    int messages;

    @Option(names = "--receivers", defaultValue = "3", description = "Receiver processes. Default: ${DEFAULT-VALUE}.")
    int receivers;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private record Child(Process process, BufferedReader stdout, int subscriber) {
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        if (messages < 1 || receivers < 1 || receivers > 16) {
            throw new Uipc.UsageException("give --messages 1 or more and --receivers 1 to 16");
        }
        PrintWriter out = spec.commandLine().getOut();
        Path root = Path.of("/tmp", "uipc-demo-" + ProcessHandle.current().pid());
        Files.createDirectories(root);
        Files.setAttribute(root, "unix:mode", 0700);
        Path socket = root.resolve("broker.sock");
        List<Child> children = new ArrayList<>();
        try (Broker broker = Broker.start(socket);
             Registry registry = Registry.connect(broker.socket())) {
            out.printf("uipc demo: %d receiver processes per mode, %d messages each time, through a broker of its own "
                    + "at %s%n%n", receivers, messages, socket);
            for (Mode mode : Mode.values()) {
                demo(registry, mode, children, out);
                children.clear();
            }
            out.println("Everything is cleaned up. Try it yourself in two terminals:");
            out.println("  ./uipc create --key 0x1234                # prints the channel id");
            out.println("  ./uipc recv --key 0x1234 --timeout 60s    # terminal 1");
            out.println("  ./uipc send --key 0x1234 hello            # terminal 2");
            out.println("  ./uipc stat --key 0x1234; ./uipc destroy --key 0x1234");
            return ExitStatus.OK;
        } finally {
            for (Child child : children) {
                child.process().destroyForcibly();
            }
            deleteTree(root);
        }
    }

    private void demo(Registry registry, Mode mode, List<Child> children, PrintWriter out)
            throws IOException, InterruptedException {
        out.printf("== %s: %s%n", mode.name().toLowerCase(Locale.ROOT), explain(mode));
        try (Channel ch = registry.create(ChannelOptions.of(mode).withEntries(64).withMaxMessageSize(256))) {
            for (int i = 0; i < receivers; i++) {
                children.add(startReceiver(registry.brokerSocket(), ch.id()));
            }
            int targeted = mode == Mode.UNICAST ? 5 : 0;
            try (Subscriber sender = ch.attach(Access.SEND)) {
                for (int i = 0; i < messages; i++) {
                    byte[] text = ("message " + i).getBytes(StandardCharsets.UTF_8);
                    check(sender.send(text, 0, text.length, i, 0, DEADLINE));
                }
                for (int i = 0; i < targeted; i++) {
                    byte[] text = ("just for you " + i).getBytes(StandardCharsets.UTF_8);
                    check(sender.send(text, 0, text.length, 0, children.getFirst().subscriber(), DEADLINE));
                }
            }
            long deadline = System.nanoTime() + DEADLINE.toNanos();
            while (ch.snapshot().queued() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            out.print(indent(SnapshotText.statText(ch.snapshot(), registry.brokerSocket())));
            ch.destroy();                   // the receivers see CLOSED and report
            long total = 0;
            for (int i = 0; i < children.size(); i++) {
                Child child = children.get(i);
                String report = child.stdout().readLine();
                if (!child.process().waitFor(10, TimeUnit.SECONDS) || report == null || !report.startsWith("received ")) {
                    throw new IllegalStateException("demo receiver " + (i + 1) + " did not finish: " + report);
                }
                String[] words = report.split(" ");
                long got = Long.parseLong(words[1]);
                total += got;
                out.printf("  receiver %d (pid %d, subscriber %d) received %d messages%s%n", i + 1, child.process().pid(),
                        child.subscriber(), got, words.length > 3 && !words[3].equals("0")
                                ? ", " + words[3] + " of them sent to it alone" : "");
            }
            out.printf("  %s%n%n", conclusion(mode, total, targeted));
        }
    }

    private static void check(int result) {
        if (result < 0) {
            throw new dev.uipc.channel.ChannelException(Errno.ETIMEDOUT, "demo send: " + Outcome.describe(result));
        }
    }

    private static String explain(Mode mode) {
        return switch (mode) {
            case UNICAST -> "each message goes to one receiver, whichever takes it first; targeted ones only to their target";
            case BROADCAST -> "every receiver gets every message, written once into the ring";
            case MULTICAST -> "each message goes to one receiver, round-robin";
        };
    }

    private String conclusion(Mode mode, long total, int targeted) {
        return switch (mode) {
            case UNICAST -> String.format("%d + %d targeted = %d messages, each delivered exactly once in all",
                    messages, targeted, total);
            case BROADCAST -> String.format("%d receivers x %d messages = %d deliveries", receivers, messages, total);
            case MULTICAST -> String.format("%d messages spread evenly: %d each", total, messages / receivers);
        };
    }

    private static String indent(String text) {
        return text.lines().map(line -> "  " + line).reduce("", (a, b) -> a + b + "\n");
    }

    private Child startReceiver(Path socket, int id) throws IOException {
        List<String> command = new ArrayList<>(javaCommand());
        command.addAll(List.of("demo-receiver", socket.toString(), Integer.toString(id)));
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader stdout = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String line = stdout.readLine();
        if (line == null || !line.startsWith("attached ")) {
            process.destroyForcibly();
            throw new IllegalStateException("a demo receiver did not start: " + line);
        }
        return new Child(process, stdout, Integer.parseInt(line.substring("attached ".length()).trim()));
    }

    /** How to start this same program again: the same java, module path or class path, and native access. */
    static List<String> javaCommand() {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        Module module = DemoCommand.class.getModule();
        String modulePath = System.getProperty("jdk.module.path");
        command.addAll(List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto"));
        if (module.isNamed() && modulePath != null) {
            command.addAll(List.of("--enable-native-access=dev.uipc.uring", "--module-path", modulePath,
                    "--module", "dev.uipc.cli/" + Uipc.class.getName()));
        } else {
            command.addAll(List.of("--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                    Uipc.class.getName()));
        }
        return command;
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cleaning up " + root, e);
        }
    }

    /** The demo's receiver process: receives until the channel is destroyed, then reports. */
    @Command(name = "demo-receiver", hidden = true)
    static final class Receiver implements Callable<Integer> {
        @Parameters(index = "0")
        Path socket;

        @Parameters(index = "1")
        int id;

        @Override
        public Integer call() {
            try (Registry registry = Registry.connect(socket);
                 Subscriber sub = registry.attachById(id, Access.RECV)) {
                System.out.println("attached " + sub.id());
                System.out.flush();
                byte[] buffer = new byte[sub.maxMessageSize()];
                MessageInfo info = new MessageInfo();
                long received = 0;
                long targeted = 0;
                for (;;) {
                    int r = sub.receive(buffer, 0, buffer.length, info, Duration.ofSeconds(30));
                    if (r == Outcome.CLOSED || r == Outcome.TIMED_OUT) {
                        break;
                    }
                    received++;
                    if (info.target() == sub.id() && mode(sub) == Mode.UNICAST) {
                        targeted++;
                    }
                }
                System.out.println("received " + received + " targeted " + targeted);
                return ExitStatus.OK;
            }
        }

        private static Mode mode(Subscriber sub) {
            return sub.mode();
        }
    }
}
