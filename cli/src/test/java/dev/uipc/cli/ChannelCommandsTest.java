package dev.uipc.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every channel subcommand, in-process, against a broker of the test's own (named by the
 * {@code uipc.broker} property, as a user would name one): what it prints, its exit status (the
 * errno number), and its errors on stderr, bad input included.
 */
class ChannelCommandsTest extends WithBroker {
    @Test
    void createPrintsTheIdAndTheChannelPersists() {
        int id = create("--key", "0x1234");
        assertEquals(1, id);
        assertEquals(2, create("--key", "4661", "--mode", "broadcast", "--entries", "16", "--max-size", "64k",
                "--perm", "0660"));
        JsonNode json = ok("create", "--mode", "MULTICAST", "--json").json();
        assertEquals(CliRun.PROJECT_VERSION, json.path("version").asText(), json.toString());
        assertEquals(List.of("version", "format", "broker", "channel"), names(json), json.toString());
        JsonNode channel = json.path("channel");
        assertEquals(3, channel.path("id").asInt(), json.toString());
        assertEquals("multicast", channel.path("mode").asText(), json.toString());
        assertEquals("0600", channel.path("permissions").asText(), json.toString());
        assertTrue(channel.path("persistent").asBoolean(), json.toString());
        assertTrue(channel.path("key").isNull(), "no key is null: " + json);
        assertEquals(broker.socket().toString(), json.path("broker").asText());
        assertEquals(1, registry.snapshot(1).id(), "persists after the command exits");
    }

    @Test
    void createRefusesBadInput() {
        CliRun inUse;
        create("--key", "0x99");
        inUse = fails(17, "EEXIST", "create", "--key", "153");          // 153 = 0x99
        assertTrue(inUse.err().contains("in use by channel 1"), inUse.toString());
        fails(22, "EINVAL", "create", "--entries", "3");
        fails(22, "EINVAL", "create", "--max-size", "2m");
        fails(64, "EINVAL", "create", "--perm", "rw");
        fails(64, "EINVAL", "create", "--mode", "anycast");
        fails(64, "EINVAL", "create", "--key", "0xZZ");
        fails(64, "EINVAL", "create", "--entries", "lots");
    }

    @Test
    void sendThenRecvAMessage() {
        create("--key", "0x10");
        ok("send", "--key", "0x10", "--tag", "0xabc", "hello world");
        CliRun recv = ok("recv", "--key", "0x10");
        assertEquals("hello world\n", recv.out());
        assertTrue(recv.err().startsWith("attached: subscriber "), recv.toString());
    }

    @Test
    void sendEachArgumentOrEachStdinLine() {
        int id = create();
        ok("send", "--id", Integer.toString(id), "one", "two");
        CliRun piped = CliRun.withInput("three\nfour\n", "send", "--id", Integer.toString(id));
        assertEquals(0, piped.status(), piped.toString());
        CliRun recv = ok("recv", "--id", Integer.toString(id), "--count", "4");
        assertEquals("one\ntwo\nthree\nfour\n", recv.out());
    }

    @Test
    void recvJsonCarriesTheMessagesMetadata() {
        create("--key", "0x11");
        ok("send", "--key", "0x11", "--tag", "42", "tab\there");
        JsonNode message = ok("recv", "--key", "0x11", "--json").json();
        assertEquals(CliRun.PROJECT_VERSION, message.path("version").asText(), message.toString());
        assertEquals(0, message.path("id").asLong(), message.toString());
        assertEquals(8, message.path("length").asInt(), message.toString());
        assertEquals(42, message.path("tag").asLong(), message.toString());
        assertTrue(message.path("sender").isIntegralNumber(), message.toString());
        assertEquals(ProcessHandle.current().pid(), message.path("pid").asLong(), message.toString());
        assertEquals(dev.uipc.uring.ProcessIdentity.uid(), message.path("uid").asInt(), message.toString());
        assertFalse(message.path("truncated").asBoolean(), message.toString());
        assertEquals("tab\there", message.path("text").asText(), "the text, with JSON's escaping alone: " + message);
        assertEquals("dGFiCWhlcmU=", message.path("base64").asText(), "the bytes: " + message);
    }

    @Test
    void recvTruncatesToMaxLenAndEscapesControlCharacters() {
        create("--key", "0x12");
        ok("send", "--key", "0x12", "abcdefgh");
        assertEquals("abc\n", ok("recv", "--key", "0x12", "--max-len", "3").out());
        ok("send", "--key", "0x12", "line\nbreak\\");
        assertEquals("line\\nbreak\\\\\n", ok("recv", "--key", "0x12").out());
    }

    @Test
    void withoutTimeoutsSendAndRecvNeverWait() {
        create("--key", "0x13", "--entries", "2");
        CliRun empty = fails(11, "EAGAIN", "recv", "--key", "0x13");
        assertTrue(empty.err().contains("no message on channel 1"), empty.toString());
        ok("send", "--key", "0x13", "a", "b");
        CliRun full = fails(105, "ENOBUFS", "send", "--key", "0x13", "c");
        assertTrue(full.err().contains("ENOBUFS: channel 1 is full (2 of 2 slots)"), full.toString());
    }

    @Test
    void timeoutsWaitThenReportEtimedout() {
        create("--key", "0x14", "--entries", "1");
        long start = System.nanoTime();
        CliRun recv = fails(110, "ETIMEDOUT", "recv", "--key", "0x14", "--timeout", "100ms");
        assertTrue(System.nanoTime() - start >= 90_000_000L, "it waited");
        assertTrue(recv.err().contains("within 100ms"), recv.toString());
        ok("send", "--key", "0x14", "x");
        CliRun send = fails(110, "ETIMEDOUT", "send", "--key", "0x14", "--timeout", "50ms", "y");
        assertTrue(send.err().contains("stayed full (1 of 1 slots) for 50ms"), send.toString());
        fails(64, "EINVAL", "recv", "--key", "0x14", "--timeout", "soon");
    }

    @Test
    void aPartialSendSaysWhichMessagesWereSent() {
        create("--key", "0x17", "--entries", "1");
        CliRun args = fails(105, "ENOBUFS", "send", "--key", "0x17", "a", "b", "c");
        assertTrue(args.err().contains("channel 1 is full (1 of 1 slots); sent 1 of 3 (argument 1); not sent: "
                + "arguments 2 to 3; retry"), args.toString());
        assertEquals("a\n", ok("recv", "--key", "0x17").out(), "the one it says was sent");
        ok("send", "--key", "0x17", "x");
        CliRun none = fails(105, "ENOBUFS", "send", "--key", "0x17", "y", "z");
        assertTrue(none.err().contains("nothing was sent (not sent: arguments 1 to 2)"), none.toString());
        ok("recv", "--key", "0x17");
        CliRun lines = fails(110, "ETIMEDOUT", CliRun.withInput("one\ntwo\nthree\n", "send", "--key", "0x17",
                "--timeout", "20ms"));
        assertTrue(lines.err().contains("stayed full (1 of 1 slots) for 20ms; sent 1 (line 1); not sent: line 2 and "
                + "any after it on stdin"), lines.toString());
    }

    @Test
    void aTargetedSendReachesOnlyItsTarget() {
        int id = create("--key", "0x15");
        // Attach a receiver through the library, as a second process would, to learn its id.
        try (var receiver = registry.attachById(id, dev.uipc.channel.Access.RECV)) {
            ok("send", "--key", "0x15", "--target", Integer.toString(receiver.id()), "private");
            fails(11, "EAGAIN", "recv", "--key", "0x15");                  // another receiver cannot take it
            byte[] buffer = new byte[16];
            int n = receiver.tryReceive(buffer, new dev.uipc.channel.MessageInfo());
            assertEquals("private", new String(buffer, 0, n));
        }
        CliRun unknown = fails(2, "ENOENT", "send", "--key", "0x15", "--target", "9999", "x");
        assertTrue(unknown.err().contains("no attached receiver with subscriber id 9999"), unknown.toString());
    }

    @Test
    void unknownChannelsAreEnoent() {
        fails(2, "ENOENT", "send", "--id", "77", "x");
        fails(2, "ENOENT", "recv", "--key", "0x77");
        fails(2, "ENOENT", "stat", "--id", "77");
        fails(2, "ENOENT", "destroy", "--key", "77");
    }

    @Test
    void exactlyOneOfIdAndKeyIsRequired() {
        fails(64, "EINVAL", "send", "x");
        fails(64, "EINVAL", "send", "--id", "1", "--key", "1", "x");
        fails(64, "EINVAL", "recv");                                       // recv takes several, but at least one
        fails(64, "EINVAL", "stat");
    }

    @Test
    void messagesOverTheMaximumAreEmsgsize() {
        create("--key", "0x16", "--max-size", "4");
        CliRun big = fails(90, "EMSGSIZE", "send", "--key", "0x16", "12345");
        assertTrue(big.err().contains("5 bytes") && big.err().contains("maximum of 4"), big.toString());
    }

    @Test
    void lsShowsOneRowPerChannel() {
        assertTrue(ok("ls").out().startsWith("no channels (broker at " + broker.socket() + ")"));
        create("--key", "0x20", "--mode", "broadcast", "--entries", "8", "--perm", "0640");
        create();
        CliRun ls = ok("ls");
        String[] lines = ls.out().split("\n");
        assertEquals(3, lines.length, ls.toString());
        assertTrue(lines[0].matches("ID\\s+KEY\\s+MODE\\s+ENTRIES\\s+MAXSIZE\\s+PERM\\s+OWNER\\s+SUBS\\s+QUEUED"), lines[0]);
        assertTrue(lines[1].matches("1\\s+0x20\\s+broadcast\\s+8\\s+4096\\s+rw-r-----\\s+root\\s+0\\s+0"), lines[1]);
        assertTrue(lines[2].matches("2\\s+-\\s+unicast\\s+64\\s+4096\\s+rw-------\\s+root\\s+0\\s+0"), lines[2]);
        JsonNode json = ok("ls", "--json").json().path("channels");
        assertTrue(json.isArray() && json.size() == 2, json.toString());
        assertEquals(1, json.get(0).path("id").asInt(), json.toString());
        assertEquals("0x20", json.get(0).path("key").asText(), json.toString());
        assertEquals("broadcast", json.get(0).path("mode").asText(), json.toString());
        assertEquals("0640", json.get(0).path("permissions").asText(), json.toString());
        assertTrue(json.get(1).path("key").isNull(), json.toString());
    }

    @Test
    void statShowsPositionsSubscribersAndCounters() {
        int id = create("--key", "0x30", "--entries", "4");
        ok("send", "--key", "0x30", "a", "b");
        try (var receiver = registry.attachById(id, dev.uipc.channel.Access.RECV)) {
            CliRun stat = ok("stat", "--key", "0x30");
            assertTrue(stat.out().contains("channel 1 (key 0x30): unicast, 4 entries"), stat.toString());
            assertTrue(stat.out().contains("positions: tail 2, head 0, queued 2"), stat.toString());
            assertTrue(stat.out().contains(Integer.toString(receiver.id())) && stat.out().contains("RECV"), stat.toString());
            assertTrue(stat.out().contains("counters: full 0"), stat.toString());
            JsonNode top = ok("stat", "--id", Integer.toString(id), "--json").json();
            assertEquals(CliRun.PROJECT_VERSION, top.path("version").asText(), top.toString());
            JsonNode json = top.path("channel");
            assertEquals(id, json.path("id").asInt(), json.toString());
            assertEquals(2, json.path("queued").asLong(), json.toString());
            JsonNode subscriber = json.path("subscribers").get(0);
            assertEquals(receiver.id(), subscriber.path("id").asInt(), json.toString());
            assertEquals("recv", subscriber.path("access").asText(), json.toString());
            assertEquals(0, json.path("counters").path("full").asLong(), json.toString());
            CliRun watch = ok("stat", "--id", Integer.toString(id), "--json", "--watch", "--interval", "10ms", "--times", "3");
            List<JsonNode> objects = watch.jsonLines();
            assertEquals(3, objects.size(), watch.toString());
            for (JsonNode object : objects) {
                assertEquals(CliRun.PROJECT_VERSION, object.path("version").asText(), watch.toString());
                assertEquals(2, object.path("channel").path("queued").asLong(), watch.toString());
            }
        }
    }

    @Test
    void statWatchClearsTheScreenOnlyOnATerminal() {
        create("--key", "0x31");
        String[] watch = {"stat", "--key", "0x31", "--watch", "--interval", "10ms", "--times", "3"};
        CliRun piped = ok(watch);
        assertFalse(piped.out().contains("\033"), "no escape sequences into a pipe or file: " + piped);
        assertEquals(3, piped.out().split("\n\n").length, "three refreshes, a blank line apart: " + piped);
        assertEquals(3, piped.out().lines().filter(l -> l.startsWith("every 10ms, at ")).count(), piped.toString());
        CliRun terminal = CliRun.onTerminal(watch);
        assertEquals(0, terminal.status(), terminal.toString());
        assertEquals(3, terminal.out().split(java.util.regex.Pattern.quote(StatCommand.CLEAR_SCREEN), -1).length - 1,
                "a terminal is cleared before each refresh: " + terminal);
        assertFalse(ok("stat", "--key", "0x31").out().contains("\033"), "nor without --watch");
    }

    @Test
    void statExplainsItsMarkers() {
        int id = create("--key", "0x32");
        try (var sender = registry.attachById(id, dev.uipc.channel.Access.SEND)) {
            CliRun stat = ok("stat", "--key", "0x32");
            assertTrue(stat.out().contains("'-' as a position: the subscriber only sends"), stat.toString());
            assertFalse(stat.out().contains("'!'"), "a marker not shown is not explained: " + stat);
        }
        // A subscriber whose process has gone while the broker judges its claim, as the broker reports one.
        var gone = new dev.uipc.channel.ChannelSnapshot.SubscriberSnapshot(4096, 1234, 0, dev.uipc.channel.Access.SEND,
                -1, 0, false, 3, 0, false, 0, false, null, 0);
        var live = registry.snapshot(id);
        var snapshot = new dev.uipc.channel.ChannelSnapshot(live.id(), live.key(), live.mode(), live.entries(),
                live.maxMessageSize(), live.maxSubscribers(), live.permissions(), live.ownerUid(), live.ownerGid(),
                live.creatorPid(), live.creatorAlive(), live.persistent(), live.isPrivate(), live.destroyed(),
                live.createdMillis(), live.tail(), live.head(), live.queued(), List.of(gone), live.counters());
        String text = SnapshotText.statText(snapshot, broker.socket());
        assertTrue(text.contains("1234!"), text);
        assertTrue(text.contains("'!' after a pid: that process has gone and the broker is still judging the claim"),
                text);
        assertTrue(ok("stat", "--help").out().contains("'!' after a pid"), "--help explains it too");
    }

    @Test
    void destroyRemovesTheChannelAndASecondDestroyIsEnoent() {
        int id = create("--key", "0x40");
        ok("destroy", "--key", "0x40");
        fails(2, "ENOENT", "destroy", "--id", Integer.toString(id));
        fails(2, "ENOENT", "recv", "--key", "0x40");
        assertTrue(ok("ls").out().startsWith("no channels"));
    }

    @Test
    void recvOnADestroyedChannelIsEpipeOnceDrained() {
        int id = create("--key", "0x41");
        ok("send", "--key", "0x41", "last");
        try (var receiver = registry.attachById(id, dev.uipc.channel.Access.RECV)) {
            ok("destroy", "--key", "0x41");
            byte[] buffer = new byte[8];
            assertEquals(4, receiver.tryReceive(buffer, new dev.uipc.channel.MessageInfo()));
            assertEquals(dev.uipc.channel.Outcome.CLOSED, receiver.tryReceive(buffer, new dev.uipc.channel.MessageInfo()));
        }
    }

    @Test
    void demoShowsAllThreeModesAndCleansUp() {
        CliRun demo = ok("demo", "--messages", "60", "--receivers", "2");
        String out = demo.out();
        assertTrue(out.contains("== unicast") && out.contains("== broadcast") && out.contains("== multicast"), out);
        assertTrue(out.contains("60 + 5 targeted = 65 messages, each delivered exactly once in all"), out);
        assertTrue(out.contains("2 receivers x 60 messages = 120 deliveries"), out);
        assertTrue(out.contains("60 messages spread evenly: 30 each"), out);
        assertTrue(out.contains("ID") && out.contains("RECEIVED"), "a stat table: " + out);
        assertFalse(Files.exists(Path.of("/tmp", "uipc-demo-" + ProcessHandle.current().pid())),
                "the demo's broker and its directory are gone");
    }
}
