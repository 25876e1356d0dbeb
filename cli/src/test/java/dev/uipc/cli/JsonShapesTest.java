package dev.uipc.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.uipc.channel.Access;
import dev.uipc.channel.Subscriber;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every JSON output has the shape docs/JSON.md gives it: the tables there are read, and each
 * object printed must have exactly the members they list, in their order, of their types.
 */
class JsonShapesTest extends WithBroker {
    private static final Path SPEC = Path.of("..", "docs", "JSON.md");

    /** One documented member: its name and its type as the table writes it. */
    private record Member(String name, String type) {
    }

    /** The tables of docs/JSON.md by their headings ("create", "CHANNEL", ...). */
    private static Map<String, List<Member>> shapes() throws IOException {
        Map<String, List<Member>> shapes = new LinkedHashMap<>();
        List<Member> current = null;
        for (String line : Files.readAllLines(SPEC)) {
            if (line.startsWith("### ")) {
                current = new ArrayList<>();
                shapes.put(line.substring(4).trim(), current);
            } else if (current != null && line.startsWith("| ") && !line.startsWith("| member ")) {
                String[] cells = line.split("\\|");
                current.add(new Member(cells[1].trim(), cells[2].trim()));
            }
        }
        return shapes;
    }

    private final Map<String, List<Member>> shapes;

    JsonShapesTest() throws IOException {
        shapes = shapes();
    }

    /** Checks {@code node} against the shape called {@code name}, and its parts against theirs. */
    private void conforms(String name, JsonNode node) {
        List<Member> members = shapes.get(name);
        assertNotNull(members, "docs/JSON.md has a table for " + name);
        assertTrue(node.isObject(), name + " is an object: " + node);
        assertEquals(members.stream().map(Member::name).toList(), names(node),
                name + ": the members docs/JSON.md lists, in its order: " + node);
        for (Member m : members) {
            hasType(name + "." + m.name(), m.type(), node.get(m.name()));
        }
    }

    private void hasType(String where, String type, JsonNode value) {
        if (type.endsWith(" or null")) {
            if (value.isNull()) {
                return;
            }
            type = type.substring(0, type.length() - " or null".length());
        }
        if (type.startsWith("array of ")) {
            assertTrue(value.isArray(), where + " is an array: " + value);
            for (JsonNode element : value) {
                hasType(where + "[]", type.substring("array of ".length()), element);
            }
        } else if (type.startsWith("object of ") && type.endsWith(" by name")) {
            assertTrue(value.isObject(), where + " is an object: " + value);
            for (Map.Entry<String, JsonNode> entry : value.properties()) {
                hasType(where + "." + entry.getKey(), type.substring("object of ".length(), type.length() - " by name".length()),
                        entry.getValue());
            }
        } else {
            switch (type) {
                case "string" -> assertTrue(value.isTextual(), where + " is a string: " + value);
                case "number" -> assertTrue(value.isIntegralNumber(), where + " is an integer: " + value);
                case "boolean" -> assertTrue(value.isBoolean(), where + " is a boolean: " + value);
                default -> {
                    assertTrue(type.equals(type.toUpperCase()), where + ": docs/JSON.md names an unknown type " + type);
                    conforms(type, value);
                }
            }
        }
    }

    @Test
    void everyCommandsJsonHasItsDocumentedShape() {
        int id = create("--key", "0x80");
        try (Subscriber both = registry.attachById(id, Access.BOTH); Subscriber sender = registry.attachById(id, Access.SEND)) {
            both.trySend(new byte[] {1, 2, 3}, 0, 3, -1, 0);
            conforms("create", ok("create", "--key", "0x81", "--json").json());
            conforms("ls", ok("ls", "--json").json());
            JsonNode stat = ok("stat", "--key", "0x80", "--json").json();
            conforms("stat", stat);
            assertEquals(2, stat.path("channel").path("subscribers").size(), "subscribers were checked: " + stat);
            assertTrue(stat.path("channel").path("subscribers").get(1).path("position").isNull(), "a sender's: " + stat);
            conforms("recv", ok("recv", "--key", "0x80", "--json").json());
            for (JsonNode line : ok("stat", "--key", "0x80", "--json", "--watch", "--interval", "1ms", "--times", "2")
                    .jsonLines()) {
                conforms("stat", line);
            }
        }
        JsonNode probe = ok("uring", "probe", "--json").json();
        conforms("uring probe", probe);
        assertTrue(probe.path("checks").size() > 0, "checks were checked: " + probe);
    }

    @Test
    void theVersionAndFormatBeginEveryObject() {
        create("--key", "0x82");
        for (JsonNode object : List.of(ok("create", "--json").json(), ok("ls", "--json").json(),
                ok("stat", "--key", "0x82", "--json").json(), ok("uring", "probe", "--json").json())) {
            assertEquals(List.of("version", "format"), names(object).subList(0, 2), object.toString());
            assertEquals(CliRun.PROJECT_VERSION, object.path("version").asText());
            assertEquals(Json.FORMAT, object.path("format").asInt());
        }
    }

    @Test
    void createLsAndStatShowTheSameChannelTheSameWay() {
        JsonNode created = ok("create", "--key", "0x83", "--mode", "multicast", "--perm", "0640", "--json").json()
                .path("channel");
        JsonNode listed = ok("ls", "--json").json().path("channels").get(0);
        JsonNode stated = ok("stat", "--key", "0x83", "--json").json().path("channel");
        // The one difference is true to life: create's own connection was open when it looked.
        assertTrue(created.path("creatorAlive").asBoolean(), created.toString());
        assertFalse(listed.path("creatorAlive").asBoolean(), listed.toString());
        ((ObjectNode) created).put("creatorAlive", false);
        assertEquals(created, listed);
        assertEquals(listed, stated);
        assertEquals(names(created), names(listed), "and in the same order");
    }

    @Test
    void theSpecificationHasEveryShapeItNames() {
        for (String name : List.of("create", "ls", "stat", "recv", "uring probe", "CHANNEL", "SUBSCRIBER", "COUNTERS",
                "FEATURES", "SUPPORT")) {
            assertTrue(shapes.containsKey(name) && !shapes.get(name).isEmpty(), name + " in " + shapes.keySet());
        }
    }
}
