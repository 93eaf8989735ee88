package io.openlive.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.openlive.server.api.ApiJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.List;
import java.util.Map;

/** {@code openlive room create|list|deliver}: live rooms, for people and (with {@code --json}) for scripts. */
@Command(name = "room", mixinStandardHelpOptions = true, description = "Create, list and deliver live rooms.",
        subcommands = {RoomCommand.Create.class, RoomCommand.ListRooms.class, RoomCommand.Deliver.class})
final class RoomCommand {
    @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a room and print its id, stream key and URLs.")
    static final class Create extends AdminCommand {
        @Option(names = "--title", required = true, description = "Room title.")
        String title;
        @Option(names = "--apps", split = ",", description = "Host app ids to deliver the room to, comma-separated.")
        List<String> apps = List.of();
        @Option(names = "--scheduled-at", description = "When the show starts, ISO-8601 (2026-12-01T20:00:00Z).")
        String scheduledAt;
        @Option(names = "--public-host", defaultValue = "127.0.0.1", description = "Host name printed in URLs (default: ${DEFAULT-VALUE}).")
        String host;

        @Override
        public Integer call() {
            ObjectNode body = ApiJson.MAPPER.createObjectNode().put("title", title);
            if (scheduledAt != null) {
                body.put("scheduledAt", scheduledAt);
            }
            apps.forEach(body.putArray("apps")::add);
            try (Backend b = target.open()) {
                ObjectNode room = withUrls((ObjectNode) b.call("room.create", Map.of(), "", body), host, b.endpoints());
                Output.print(spec, json, room, out -> {
                    out.printf("room %s \"%s\"%n  stream key %s%n  publish    %s%n  play       %s%n", room.path("id").asText(),
                            room.path("title").asText(), room.path("streamKey").asText(), room.path("publishUrl").asText(), room.path("flvUrl").asText());
                    room.path("deliveries").forEach(d -> out.printf("  delivered  to host app %s%n", d.path("appId").asText()));
                });
            }
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List rooms, newest first.")
    static final class ListRooms extends AdminCommand {
        @Option(names = "--limit", defaultValue = "100", description = "Most rooms to list, up to 200 (default: ${DEFAULT-VALUE}).")
        int limit;

        @Override
        public Integer call() {
            try (Backend b = target.open()) {
                JsonNode page = b.call("room.list", Map.of(), "?limit=" + Math.max(1, Math.min(limit, 200)), null);
                ArrayNode rooms = ApiJson.MAPPER.createArrayNode();
                JsonNode endpoints = b.endpoints();
                page.path("items").forEach(r -> rooms.add(withUrls((ObjectNode) r, "127.0.0.1", endpoints)));
                Output.print(spec, json, rooms, out -> {
                    out.printf("%-12s %-10s %s%n", "ID", "STATE", "TITLE");
                    rooms.forEach(r -> out.printf("%-12s %-10s %s%n", r.path("id").asText(), r.path("state").asText(), r.path("title").asText()));
                });
            }
            return 0;
        }
    }

    @Command(name = "deliver", mixinStandardHelpOptions = true, description = "Deliver a room to a host app, bound to one of its instances.")
    static final class Deliver extends AdminCommand {
        @Parameters(index = "0", description = "Room id.")
        String roomId;
        @Option(names = "--app", required = true, description = "Host app id.")
        String appId;
        @Option(names = "--instance", description = "Instance id of that app to bind (none: delivered without components).")
        String instanceId;

        @Override
        public Integer call() {
            ObjectNode body = ApiJson.MAPPER.createObjectNode();
            if (instanceId != null) {
                body.put("instanceId", instanceId);
            }
            try (Backend b = target.open()) {
                JsonNode d = b.call("room.deliver", Map.of("roomId", roomId, "appId", appId), "", body);
                Output.print(spec, json, d, out -> out.printf("room %s delivered to %s%s%n", roomId, appId,
                        instanceId == null ? "" : " with instance " + instanceId));
            }
            return 0;
        }
    }

    /** The server's own URLs when it reports them; offline, those of {@code openlive serve}'s default ports on {@code host}. */
    private static ObjectNode withUrls(ObjectNode room, String host, JsonNode endpoints) {
        String rtmp = endpoints != null ? endpoints.path("rtmp").asText() : "rtmp://" + host + ":1935/live";
        String http = endpoints != null ? endpoints.path("http").asText() : "http://" + host + ":8080";
        if (room.path("streamKey").isTextual()) {
            room.put("publishUrl", rtmp + "/" + room.path("streamKey").asText());
        }
        room.put("flvUrl", http + "/live/" + room.path("id").asText() + ".flv");
        return room;
    }
}
