package dev.uipc.channel;

import dev.uipc.testkit.ChildJvm;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The RFC's permission model, enforced by the broker on the credentials the kernel gives it:
 * peers run as other users (setpriv, no accounts needed) — the owner, a member of the owner's
 * group, and an outsider — against channels with every shape of permission bits, and each of
 * receive, send and destroy is allowed or refused exactly as the bits say.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PermissionsTest {
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final int OWNER = 1001;
    private static final int GROUP = 1001;
    private static final int MEMBER = 1002;
    private static final int OUTSIDER = 1003;
    /** Each class gets read, write, both, or nothing across these. */
    private static final int[] MODES = {0640, 0620, 0606, 0660, 0604, 0600, 0466, 0200};

    private final TestBroker test = new TestBroker();
    private final Registry registry = test.registry;

    @BeforeAll
    static void weCanBecomeOtherUsers() {
        assumeTrue(dev.uipc.uring.ProcessIdentity.uid() == 0, "becoming other users needs root (setpriv)");
    }

    @AfterEach
    void cleanUp() {
        test.close();
    }

    /** Creates one channel per mode as OWNER (group GROUP), with umask 077; returns their ids. */
    private List<Integer> createAsOwner() {
        String[] args = new String[MODES.length + 1];
        args[0] = test.socket.toString();
        for (int i = 0; i < MODES.length; i++) {
            args[i + 1] = Integer.toOctalString(MODES[i]);
        }
        try (ChildJvm creator = ChildJvm.builder(Peer.CreateAs.class).asUser(OWNER, GROUP, 077).args(args).start()) {
            assertEquals(0, creator.waitFor(DEADLINE), creator.output());
            List<Integer> ids = new ArrayList<>();
            for (String line : creator.stdout().split("\n")) {
                if (line.startsWith("created ")) {
                    ids.add(Integer.parseInt(line.substring(8).trim()));
                }
            }
            assertEquals(MODES.length, ids.size(), creator.output());
            return ids;
        }
    }

    /** What each attempt of PermissionProbe gave, run as {@code uid} with {@code groups}. */
    private Map<String, String> probe(List<Integer> ids, int uid, int gid, int... groups) {
        List<String> args = new ArrayList<>(List.of(test.socket.toString()));
        ids.forEach(id -> args.add(Integer.toString(id)));
        try (ChildJvm probe = ChildJvm.builder(Peer.PermissionProbe.class).asUser(uid, gid, 022, groups)
                .args(args.toArray(String[]::new)).start()) {
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

    @Test
    void everyClassMayDoExactlyWhatItsBitsSay() {
        List<Integer> ids = createAsOwner();
        for (int i = 0; i < ids.size(); i++) {
            assertEquals(OWNER, registry.snapshot(ids.get(i)).ownerUid(), "the owner is who created it, by the kernel's word");
            assertEquals(MODES[i] & 0666, registry.snapshot(ids.get(i)).permissions());
        }
        // The owner goes last: its destroys succeed.
        check("a member of the owner's group", ids, probe(ids, MEMBER, MEMBER, GROUP), 3, false);
        check("an outsider", ids, probe(ids, OUTSIDER, OUTSIDER), 0, false);
        long sent = ids.stream().mapToLong(id -> registry.snapshot(id).tail()).sum();
        check("the owner", ids, probe(ids, OWNER, GROUP), 6, true);
        assertEquals(0, registry.list().size(), "the owner destroyed them all");
        assertEquals(expectedSends(3) + expectedSends(0), sent, "exactly the permitted sends arrived");
    }

    private static long expectedSends(int shift) {
        long n = 0;
        for (int mode : MODES) {
            if (((mode >> shift) & 2) != 0) {
                n++;
            }
        }
        return n;
    }

    private static void check(String who, List<Integer> ids, Map<String, String> got, int shift, boolean owner) {
        for (int i = 0; i < ids.size(); i++) {
            int bits = (MODES[i] >> shift) & 7;
            int id = ids.get(i);
            String mode = String.format("%04o", MODES[i]);
            assertEquals((bits & 4) != 0 ? "OK" : "EACCES", got.get(id + ".recv"), who + " receiving, " + mode + ": " + got);
            assertEquals((bits & 2) != 0 ? "OK" : "EACCES", got.get(id + ".send"), who + " sending, " + mode + ": " + got);
            assertEquals(owner ? "OK" : "EPERM", got.get(id + ".destroy"), who + " destroying, " + mode + ": " + got);
        }
    }

    /**
     * Regression: in the named-file registry, a second user could not create a channel in a
     * registry another user had set up (the id counter belonged to the first). Any user creates
     * in a shared broker, and each channel belongs to its creator.
     */
    @Test
    void secondAndThirdUsersCreateAndAttachInTheSameBroker() {
        int members = createOne(MEMBER, 0666);
        int outsiders = createOne(OUTSIDER, 0666);
        assertEquals(MEMBER, registry.snapshot(members).ownerUid());
        assertEquals(OUTSIDER, registry.snapshot(outsiders).ownerUid());
        Map<String, String> outsider = probe(List.of(members), OUTSIDER, OUTSIDER);
        assertEquals("OK", outsider.get(members + ".recv"), outsider.toString());
        assertEquals("OK", outsider.get(members + ".send"), outsider.toString());
        assertEquals("EPERM", outsider.get(members + ".destroy"), "only the owner destroys: " + outsider);
        Map<String, String> member = probe(List.of(outsiders), MEMBER, MEMBER);
        assertEquals("OK", member.get(outsiders + ".send"), member.toString());
        assertEquals(1, registry.snapshot(members).tail());
        assertEquals(1, registry.snapshot(outsiders).tail());
    }

    private int createOne(int uid, int permissions) {
        try (ChildJvm creator = ChildJvm.builder(Peer.CreateAs.class).asUser(uid, uid, 022)
                .args(test.socket.toString(), Integer.toOctalString(permissions)).start()) {
            assertEquals(0, creator.waitFor(DEADLINE), creator.output());
            return Integer.parseInt(creator.awaitLine("created", DEADLINE).substring(8).trim());
        }
    }
}
