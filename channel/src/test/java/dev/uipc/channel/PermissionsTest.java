package dev.uipc.channel;

import dev.uipc.testkit.ChildJvm;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Permissions enforced by the kernel, not by politeness: peers run as other users (setpriv,
 * no accounts needed) and try both the library and the files directly. The creator runs with
 * umask 077, which must not narrow the modes the channel asked for.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PermissionsTest {
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final int OWNER = 1001;
    private static final int GROUP = 1001;
    private static final int MEMBER = 1002;
    private static final int OUTSIDER = 1003;

    private final TestRegistry test = new TestRegistry().created();
    private final Registry registry = test.registry;

    @BeforeAll
    static void weCanBecomeOtherUsers() {
        assumeTrue(dev.uipc.uring.ProcessIdentity.uid() == 0, "becoming other users needs root (setpriv)");
    }

    @AfterEach
    void cleanUp() {
        test.close();
    }

    /** Creates a channel as OWNER (group GROUP) with umask 077; returns its id. */
    private int createAsOwner(long key, int permissions) {
        try (ChildJvm creator = ChildJvm.builder(Peer.CreateAs.class).asUser(OWNER, GROUP, 077)
                .args(registry.root().toString(), Long.toString(key), Integer.toOctalString(permissions)).start()) {
            assertEquals(0, creator.waitFor(DEADLINE), creator.output());
            return Integer.parseInt(creator.awaitLine("created", DEADLINE).substring(8).trim());
        }
    }

    /** What each attempt of PermissionProbe gave, run as {@code uid} with {@code groups}. */
    private Map<String, String> probe(int id, int uid, int gid, int... groups) {
        try (ChildJvm probe = ChildJvm.builder(Peer.PermissionProbe.class).asUser(uid, gid, 022, groups)
                .args(registry.root().toString(), Integer.toString(id)).start()) {
            assertEquals(0, probe.waitFor(DEADLINE), probe.output());
            Map<String, String> results = new HashMap<>();
            for (String line : probe.stdout().split("\n")) {
                String[] kv = line.split("=", 2);
                if (kv.length == 2) {
                    results.put(kv[0], kv[1].trim());
                }
            }
            return results;
        }
    }

    private static int mode(java.nio.file.Path path) throws IOException {
        return (Integer) Files.getAttribute(path, "unix:mode") & 07777;
    }

    @Test
    void theFilesCarryTheChannelsBitsWhateverTheCreatorsUmask() throws IOException {
        int id = createAsOwner(0x3001, 0640);
        assertEquals(0640, mode(ChannelFiles.ring(registry.root(), id)), "ring: owner rw, group r");
        assertEquals(0660, mode(ChannelFiles.control(registry.root(), id)), "control: rw for every class with access");
        assertEquals(OWNER, (Integer) Files.getAttribute(ChannelFiles.ring(registry.root(), id), "unix:uid"));
        assertEquals(01777, mode(registry.root()) & 01777, "the registry root is sticky and world-writable");
    }

    @Test
    void aGroupMemberWithReadMayReceiveButNotSendNorWriteTheRing() {
        int id = createAsOwner(0x3002, 0640);
        Map<String, String> member = probe(id, MEMBER, MEMBER, GROUP);
        assertEquals("OK", member.get("recv"), member.toString());
        assertEquals("EACCES", member.get("send"), member.toString());
        assertEquals("OK", member.get("ringRead"), member.toString());
        assertEquals("kernel", member.get("ringWrite"), "the kernel keeps a receiver from writing the ring: " + member);
        assertEquals("EPERM", member.get("destroy"), member.toString());
        assertEquals(0, registry.snapshot(id).tail(), "nothing was injected");
    }

    @Test
    void anOutsiderCannotEvenOpenTheFiles() {
        int id = createAsOwner(0x3003, 0640);
        Map<String, String> outsider = probe(id, OUTSIDER, OUTSIDER);
        assertEquals("EACCES", outsider.get("recv"), outsider.toString());
        assertEquals("EACCES", outsider.get("send"), outsider.toString());
        assertEquals("kernel", outsider.get("ringRead"), "the kernel refuses to let it read messages: " + outsider);
        assertEquals("kernel", outsider.get("ringWrite"), outsider.toString());
        assertEquals("EACCES", outsider.get("destroy"), outsider.toString());
    }

    @Test
    void aWriteOnlyGroupMaySendButNotReceive() {
        int id = createAsOwner(0x3004, 0620);
        Map<String, String> member = probe(id, MEMBER, MEMBER, GROUP);
        assertEquals("EACCES", member.get("recv"), member.toString());
        assertEquals("OK", member.get("send"), member.toString());
        // What shared memory cannot prevent: to map the ring writable the file must be readable.
        assertEquals("OK", member.get("ringRead"), member.toString());
        assertEquals(1, registry.snapshot(id).tail(), "its message arrived");
    }

    @Test
    void theOwnerMayDoEverythingIncludingDestroy() {
        int id = createAsOwner(0x3005, 0600);
        Map<String, String> owner = probe(id, OWNER, GROUP);
        assertEquals("OK", owner.get("recv"), owner.toString());
        assertEquals("OK", owner.get("send"), owner.toString());
        assertEquals("OK", owner.get("destroy"), owner.toString());
        assertEquals(0, registry.list().size());
    }
}
