package io.openlive.server.attack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.openlive.engine.platform.HostApps;
import io.openlive.engine.platform.InstanceDocument;
import io.openlive.engine.platform.Platform;
import io.openlive.engine.platform.Principal;
import io.openlive.engine.platform.Role;
import io.openlive.engine.realtime.Priority;
import io.openlive.server.ServerFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Findings: a reconnect with {@code since=} replayed the room's whole history in one frame (a 188-byte anonymous request
 * drew 4 MB), and ignored what the connection may subscribe to (app B's anonymous viewers received app A's component
 * votes). Now the replay is filtered by the app's topics, paged, and capped (past the cap: a resync).
 */
class HistoryReplayTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Principal ADMIN = new Principal("test", Role.ADMIN, null);
    static ServerFixture node;
    static Platform platform;
    static HostApps.WithSecret shop;
    static HostApps.WithSecret pay;
    static String instance;

    @BeforeAll
    static void start() throws Exception {
        node = ServerFixture.start();
        platform = node.server.platform();
        shop = platform.apps().create(ADMIN, "Shop", "direct", List.of(), false);
        pay = platform.apps().create(ADMIN, "Pay", "direct", List.of(), false);
        String dev = platform.components().createDeveloper(ADMIN, "Acme", "second-party").id();
        Principal acme = new Principal("acme", Role.DEVELOPER, dev);
        platform.components().create(acme, null, "acme.live", "Live", "plugin");
        platform.components().create(acme, null, "acme.poll", "Poll", "component");
        Map<String, String> live = Api.plugin("acme.live");
        Map<String, String> poll = Api.component("acme.poll", "[\"acme.poll.vote\"]");
        String plugin = platform.components().upload(acme, "acme.live", Api.zip(live)).id();
        String pollVersion = platform.components().upload(acme, "acme.poll", Api.zip(poll)).id();
        for (String v : List.of(plugin, pollVersion)) {
            assertThat(platform.components().submit(acme, v).state().wire()).isEqualTo("in_review");
            platform.review().approve(ADMIN, v, null);
        }
        instance = platform.instances().build(ADMIN, shop.app().id(), new InstanceDocument(shop.app().id(),
                new InstanceDocument.Part(plugin, null, null, null, null),
                List.of(new InstanceDocument.Part(pollVersion, null, null, null, null)))).id();
    }

    @AfterAll
    static void stop() throws Exception {
        node.close();
    }

    static String room() {
        String room = platform.rooms().create(ADMIN, "Room", null, List.of(shop.app().id(), pay.app().id())).id();
        platform.rooms().deliver(ADMIN, room, shop.app().id(), instance);
        return room;
    }

    private static long publish(String room, String topic, JsonNode data) throws Exception {
        return node.server.bus().publish(room, topic, Priority.HIGH, data).toCompletableFuture().get(5, TimeUnit.SECONDS).seq();
    }

    private static List<JsonNode> replay(String room, String app, long since, List<Integer> frameSizes) throws Exception {
        List<JsonNode> got = new ArrayList<>();
        try (RawWebSocket ws = RawWebSocket.open(node.server.httpPort(), "/rt?room=" + room + "&app=" + app + "&since=" + since, null)) {
            for (String text : ws.texts(Duration.ofSeconds(1), Duration.ofSeconds(10))) {
                frameSizes.add(text.length());
                JsonNode n = JSON.readTree(text);
                for (JsonNode e : n.isArray() ? n : JSON.createArrayNode().add(n)) {
                    got.add(e);
                }
            }
        }
        return got;
    }

    @Test
    void replayHoldsOnlyTopicsTheAppMaySubscribeTo() throws Exception {
        String room = room();
        long first = publish(room, "acme.poll.vote", JSON.createObjectNode().put("option", 2).put("name", "Alice of the shop"));
        publish(room, "comment", JSON.createObjectNode().put("text", "hello"));
        List<JsonNode> shopGot = replay(room, shop.app().id(), first - 1, new ArrayList<>());
        assertThat(shopGot).extracting(e -> e.path("topic").asText()).contains("acme.poll.vote", "comment");
        List<JsonNode> payGot = replay(room, pay.app().id(), first - 1, new ArrayList<>());
        assertThat(payGot).extracting(e -> e.path("topic").asText()).contains("comment").doesNotContain("acme.poll.vote");
    }

    @Test
    void replayIsPagedAndCapped() throws Exception {
        String room = room();
        String text = "x".repeat(4000);
        long first = 0;
        for (int i = 0; i < 60; i++) { // about 250 KB of history
            long seq = publish(room, "comment", JSON.createObjectNode().put("text", text));
            first = first == 0 ? seq : first;
        }
        List<Integer> sizes = new ArrayList<>();
        List<JsonNode> got = replay(room, pay.app().id(), first - 1, sizes);
        assertThat(got.stream().filter(e -> "comment".equals(e.path("topic").asText()))).hasSize(60);
        assertThat(sizes).as("frame sizes").allSatisfy(s -> assertThat(s).isLessThanOrEqualTo(40 * 1024));

        for (int i = 0; i < 100; i++) { // past 512 KB in all
            publish(room, "comment", JSON.createObjectNode().put("text", text));
        }
        sizes.clear();
        List<JsonNode> over = replay(room, pay.app().id(), first - 1, sizes);
        assertThat(over).noneMatch(e -> "comment".equals(e.path("topic").asText()));
        assertThat(over).anyMatch(e -> e.toString().contains("resync"));
        assertThat(sizes).allSatisfy(s -> assertThat(s).isLessThan(4096));
    }
}
