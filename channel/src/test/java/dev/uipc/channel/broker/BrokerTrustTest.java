package dev.uipc.channel.broker;

import dev.uipc.channel.Broker;
import dev.uipc.channel.ChannelException;
import dev.uipc.channel.Registry;
import dev.uipc.testkit.ChildJvm;
import dev.uipc.testkit.Eventually;
import dev.uipc.uring.Errno;
import dev.uipc.uring.ProcessIdentity;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Whom a client trusts as its broker: one found by the discovery rule, whose socket's directory
 * only its owner can write, and which runs as the user it must. A fake broker — a socket in a
 * directory others could write, or a process of another user answering where root's should —
 * is refused before a single descriptor is taken from it.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class BrokerTrustTest {
    private static final int STRANGER = 1003;

    private Path directory;

    @BeforeEach
    void makeDirectory() throws IOException {
        directory = Files.createTempDirectory("uipc-trust-");
        Files.setAttribute(directory, "unix:mode", 0755);
    }

    @AfterEach
    void removeIt() throws IOException {
        try (var walk = Files.walk(directory)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    @Test
    void theRuleIsExplicitSocketFirstThenTheSystemBrokerThenTheUsersOwn() {
        BrokerAddress fromProperty = BrokerAddress.resolve("/a/b.sock", Map.of("UIPC_BROKER", "/c/d.sock"));
        assertEquals(new BrokerAddress(Path.of("/a/b.sock"), BrokerAddress.Kind.EXPLICIT, "-Duipc.broker"), fromProperty);
        BrokerAddress fromEnvironment = BrokerAddress.resolve(null, Map.of("UIPC_BROKER", "/c/d.sock"));
        assertEquals(new BrokerAddress(Path.of("/c/d.sock"), BrokerAddress.Kind.EXPLICIT, "UIPC_BROKER"), fromEnvironment);
        ChannelException relative = assertThrows(ChannelException.class,
                () -> BrokerAddress.resolve(null, Map.of("UIPC_BROKER", "run/broker.sock")));
        assertEquals(Errno.EINVAL, relative.errno());
        assertEquals("EINVAL: UIPC_BROKER=run/broker.sock is not an absolute path; name the broker's socket from the "
                + "root, such as /run/myapp/broker.sock, since every peer must find the same one", relative.getMessage());
        if (!Files.exists(BrokerAddress.SYSTEM_SOCKET)) {
            BrokerAddress own = BrokerAddress.resolve(null, Map.of());
            assertEquals(BrokerAddress.Kind.USER, own.kind());
            assertTrue(own.startsOnDemand());
            if (ProcessIdentity.uid() == 0) {
                assertEquals(BrokerAddress.SYSTEM_SOCKET, own.socket(), "root's own broker is the system broker");
            }
        }
    }

    @Test
    void aSocketInADirectoryOthersCanWriteIsRefused() throws IOException {
        try (Broker broker = Broker.start(directory.resolve("broker.sock"))) {
            Files.setAttribute(directory, "unix:mode", 01777);          // now anyone could have put it there
            ChannelException e = assertThrows(ChannelException.class, () -> Registry.connect(broker.socket()));
            assertEquals(Errno.EPERM, e.errno(), e.getMessage());
            assertTrue(e.getMessage().contains("writable by every user"), e.getMessage());
            Files.setAttribute(directory, "unix:mode", 0755);
            Registry.connect(broker.socket()).close();                  // the same broker, trusted again
        }
    }

    @Test
    void aBrokerOfAnotherUserWhereRootsMustBeIsRefused() throws IOException {
        assumeTrue(ProcessIdentity.uid() == 0, "running a broker as another user needs root (setpriv)");
        Files.setAttribute(directory, "unix:uid", STRANGER);
        Path socket = directory.resolve("broker.sock");
        try (ChildJvm fake = ChildJvm.builder(FakeBroker.class).asUser(STRANGER, STRANGER, 022)
                .args(socket.toString()).start()) {
            Eventually.holds(Duration.ofSeconds(30), "the stranger's broker listens", () -> listens(socket));
            Files.setAttribute(directory, "unix:uid", 0);                // the directory now looks like root's
            BrokerAddress system = new BrokerAddress(socket, BrokerAddress.Kind.SYSTEM);
            ChannelException e = assertThrows(ChannelException.class, () -> BrokerClient.connect(system));
            assertEquals(Errno.EPERM, e.errno(), e.getMessage());
            assertTrue(e.getMessage().contains("runs as uid " + STRANGER), e.getMessage());
            ChannelException named = assertThrows(ChannelException.class, () -> Registry.connect(socket));
            assertEquals(Errno.EPERM, named.errno(), "named explicitly, it must be root or the directory's owner: "
                    + named.getMessage());
        }
    }

    /** What a mistaken setting gets: the errno, and a sentence naming the setting and what to do. */
    private static ChannelException mistake(Path socket) {
        BrokerAddress named = new BrokerAddress(socket, BrokerAddress.Kind.EXPLICIT, "UIPC_BROKER");
        ChannelException e = assertThrows(ChannelException.class, () -> BrokerClient.connect(named));
        assertTrue(e.getMessage().contains(socket + " (named by UIPC_BROKER)"), e.getMessage());
        assertEquals(1, e.getMessage().split("\\. ").length, "one sentence: " + e.getMessage());
        return e;
    }

    @Test
    void aSettingThatNamesNoBrokerGetsASentenceSayingWhatToDo() throws IOException {
        ChannelException directory = mistake(this.directory);
        assertEquals(Errno.EISDIR, directory.errno(), directory.getMessage());
        assertTrue(directory.getMessage().contains("name the socket in it, such as " + this.directory.resolve("broker.sock")),
                directory.getMessage());

        Path file = Files.writeString(this.directory.resolve("notes.txt"), "not a socket");
        ChannelException regular = mistake(file);
        assertEquals(Errno.ENOTSOCK, regular.errno(), regular.getMessage());
        assertTrue(regular.getMessage().contains("is a regular file, not a broker's socket"), regular.getMessage());
        assertTrue(regular.getMessage().contains("or unset UIPC_BROKER to use the default broker"), regular.getMessage());

        ChannelException noDirectory = mistake(this.directory.resolve("misspelt").resolve("broker.sock"));
        assertEquals(Errno.ENOENT, noDirectory.errno(), noDirectory.getMessage());
        assertTrue(noDirectory.getMessage().contains("does not exist; start one there (uipc broker --socket "),
                noDirectory.getMessage());

        ChannelException nothing = mistake(this.directory.resolve("broker.sock"));
        assertEquals(Errno.ENOENT, nothing.errno(), nothing.getMessage());
        assertTrue(nothing.getMessage().contains("there is no socket; start one there"), nothing.getMessage());

        // A socket left behind by a broker that is gone: the file is there, nobody listens.
        Path stale = this.directory.resolve("stale.sock");
        try (var channel = java.nio.channels.ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
            channel.bind(java.net.UnixDomainSocketAddress.of(stale));
        }
        ChannelException refused = mistake(stale);
        assertEquals(Errno.ECONNREFUSED, refused.errno(), refused.getMessage());
        assertTrue(refused.getMessage().contains("the socket is there, but what made it has stopped; start one there"),
                refused.getMessage());
    }

    @Test
    void anExplicitBrokerSaysWhenPeersWithoutTheSettingWouldUseAnother() throws IOException {
        Path system = Files.createFile(directory.resolve("system.sock"));     // existence is what the rule looks at
        Path user = directory.resolve("user.sock");
        BrokerAddress named = new BrokerAddress(directory.resolve("mine.sock"), BrokerAddress.Kind.EXPLICIT, "UIPC_BROKER");
        assertEquals("the system broker at " + system + " also runs, and processes that do not set UIPC_BROKER use it, "
                + "so they and this one never see each other's channels", named.otherBroker(system, user));
        Files.delete(system);
        assertEquals(null, named.otherBroker(system, user), "nothing runs elsewhere");
        Files.createFile(user);
        assertTrue(named.otherBroker(system, user).startsWith("this user's own broker at " + user), "their own");
        assertEquals(null, new BrokerAddress(user, BrokerAddress.Kind.EXPLICIT, "UIPC_BROKER").otherBroker(system, user),
                "the setting names the one the rule would find");
        assertEquals(null, new BrokerAddress(user, BrokerAddress.Kind.USER).otherBroker(system, user),
                "only a setting can make peers miss each other");
    }

    private static boolean listens(Path socket) {
        try (var probe = dev.uipc.uring.linux.Sockets.connect(socket, dev.uipc.uring.linux.Sockets.SOCK_SEQPACKET)) {
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** A broker run by someone else. args: socket */
    static final class FakeBroker {
        public static void main(String[] args) {
            Broker.serve(Path.of(args[0]), false, null);
        }
    }
}
