package io.openlive.server.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.openlive.engine.room.Room;
import io.openlive.server.store.Database;
import io.openlive.server.store.JdbcRoomStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Clock;
import java.util.List;

/** {@code openlive room create|list}: rooms in the embedded store, for people and (with {@code --json}) for scripts. */
@Command(name = "room", mixinStandardHelpOptions = true, description = "Create and list live rooms.",
        subcommands = {RoomCommand.Create.class, RoomCommand.ListRooms.class})
final class RoomCommand {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a room and print its id, stream key and URLs.")
    static final class Create implements java.util.concurrent.Callable<Integer> {
        @Mixin
        StoreOptions store;
        @Option(names = "--title", required = true, description = "Room title.")
        String title;
        @Option(names = "--json", description = "Print JSON for scripts.")
        boolean json;
        @Option(names = "--public-host", defaultValue = "127.0.0.1", description = "Host name printed in URLs.")
        String host;
        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            if (title.isBlank() || title.length() > 200) {
                throw new IllegalArgumentException("--title must be 1 to 200 characters");
            }
            Room room;
            try (Database db = store.open()) {
                room = new JdbcRoomStore(db, Clock.systemUTC()).create(title);
            }
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                out.println(JSON.writeValueAsString(node(room, host)));
            } else {
                out.printf("room %s \"%s\"%n  stream key %s%n  publish    rtmp://%s:1935/live/%s%n  play       http://%s:8080/live/%s.flv%n",
                        room.id(), room.title(), room.streamKey(), host, room.streamKey(), host, room.id());
            }
            out.flush();
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List rooms, newest first.")
    static final class ListRooms implements java.util.concurrent.Callable<Integer> {
        @Mixin
        StoreOptions store;
        @Option(names = "--json", description = "Print JSON for scripts.")
        boolean json;
        @Option(names = "--limit", defaultValue = "100", description = "Most rooms to list (default: ${DEFAULT-VALUE}).")
        int limit;
        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            List<Room> rooms;
            try (Database db = store.open()) {
                rooms = new JdbcRoomStore(db, Clock.systemUTC()).list(Math.max(1, Math.min(limit, 10_000)), 0);
            }
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                ArrayNode array = JSON.createArrayNode();
                rooms.forEach(r -> array.add(node(r, "127.0.0.1")));
                out.println(JSON.writeValueAsString(array));
            } else {
                out.printf("%-12s %-10s %s%n", "ID", "STATE", "TITLE");
                rooms.forEach(r -> out.printf("%-12s %-10s %s%n", r.id(), r.state().wire(), r.title()));
            }
            out.flush();
            return 0;
        }
    }

    private static ObjectNode node(Room room, String host) {
        ObjectNode n = JSON.createObjectNode();
        n.put("id", room.id());
        n.put("title", room.title());
        n.put("streamKey", room.streamKey());
        n.put("state", room.state().wire());
        n.put("createdAt", room.createdAt().toString());
        n.put("publishUrl", "rtmp://" + host + ":1935/live/" + room.streamKey());
        n.put("flvUrl", "http://" + host + ":8080/live/" + room.id() + ".flv");
        return n;
    }
}
