package dev.uipc.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.uipc.channel.Access;
import dev.uipc.channel.Subscriber;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code uipc recv} with several channels: one completion loop serves them all, each message is
 * labelled with its channel, and --count, --timeout and -idle count across them.
 */
class SeveralChannelsTest extends WithBroker {
    private void send(long key, String... messages) {
        try (Subscriber sender = registry.attachByKey(key, Access.SEND)) {
            for (String m : messages) {
                assertTrue(sender.trySend(m.getBytes(StandardCharsets.UTF_8)) > 0);
            }
        }
    }

    @Test
    void messagesWaitingOnTwoChannelsArriveLabelledEachChannelInOrder() {
        create("--key", "0x20");
        int second = create("--key", "0x21");
        send(0x20, "a1", "a2");
        send(0x21, "b1", "b2", "b3");
        CliRun recv = ok("recv", "--key", "0x20", "--id", Integer.toString(second), "--count", "0");
        List<String> a = new ArrayList<>();
        List<String> b = new ArrayList<>();
        for (String line : recv.out().split("\n")) {
            if (line.startsWith("key 0x20: ")) {
                a.add(line.substring(10));
            } else if (line.startsWith("channel " + second + ": ")) {
                b.add(line.substring(("channel " + second + ": ").length()));
            } else {
                throw new AssertionError("an unlabelled line: '" + line + "' in " + recv);
            }
        }
        assertEquals(List.of("a1", "a2"), a, recv.toString());
        assertEquals(List.of("b1", "b2", "b3"), b, recv.toString());
        assertTrue(recv.err().contains("attached: subscriber ") && recv.err().contains("(key 0x20)"), recv.toString());
    }

    @Test
    void aWaitingReceiveIsWokenByWhicheverChannelSpeaksAndCountsAcrossThem() throws Exception {
        create("--key", "0x22");
        create("--key", "0x23");
        CompletableFuture<CliRun> recv = CompletableFuture.supplyAsync(() -> CliRun.of("recv", "--key", "0x22",
                "--key", "0x23", "--count", "2", "--timeout", "30s", "--json"));
        Thread.sleep(500);                                   // it attaches and parks both subscriptions
        send(0x23, "from 23");
        Thread.sleep(100);
        send(0x22, "from 22");
        CliRun done = recv.get(30, TimeUnit.SECONDS);
        assertEquals(0, done.status(), done.toString());
        ObjectMapper mapper = new ObjectMapper();
        List<String> got = new ArrayList<>();
        for (String line : done.out().split("\n")) {
            JsonNode m = mapper.readTree(line);
            got.add(m.path("channel").asInt() + "=" + m.path("text").asText());
        }
        assertEquals(List.of(registry.idOf(0x23) + "=from 23", registry.idOf(0x22) + "=from 22"), got, done.toString());
    }

    @Test
    void countStopsAtExactlySoManyAndLeavesTheRest() {
        create("--key", "0x24");
        create("--key", "0x25");
        send(0x24, "x1", "x2", "x3");
        send(0x25, "y1", "y2", "y3");
        CliRun recv = ok("recv", "--key", "0x24", "--key", "0x25", "--count", "4");
        assertEquals(4, recv.out().split("\n").length, recv.toString());
        assertEquals(2, registry.snapshot(registry.idOf(0x24)).queued() + registry.snapshot(registry.idOf(0x25)).queued(),
                "the other two stay queued");
    }

    @Test
    void limitsAndMistakesAcrossSeveralChannels() {
        create("--key", "0x26");
        create("--key", "0x27");
        CliRun idle = fails(110, "ETIMEDOUT", "recv", "--key", "0x26", "--key", "0x27", "--idle", "200ms");
        assertTrue(idle.err().contains("no message on 2 channels (key 0x26, key 0x27) for 200ms"), idle.toString());
        fails(11, "EAGAIN", "recv", "--key", "0x26", "--key", "0x27");
        CliRun raw = fails(64, "EINVAL", "recv", "--key", "0x26", "--key", "0x27", "--raw");
        assertTrue(raw.err().contains("cannot say which channel"), raw.toString());
        fails(64, "EINVAL", "recv");
        ok("recv", "--key", "0x26", "--key", "0x27", "--count", "0");      // nothing there: drained, exit 0
    }
}
