package io.openlive.server.realtime;

import com.fasterxml.jackson.databind.JsonNode;
import io.openlive.engine.platform.HostApps;
import io.openlive.engine.platform.InstanceDocument;
import io.openlive.engine.platform.Principal;
import io.openlive.engine.platform.Role;
import io.openlive.server.KeyedRequests;
import io.openlive.server.ServerFixture;
import io.openlive.server.api.TestBundles;
import io.openlive.server.OpenliveServer;
import io.openlive.server.ServerConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code follow}, {@code unfollow} and {@code follow.status} over real WebSockets: a viewer follows the room's
 * broadcaster once however often it asks, in every room of that broadcaster; the broadcaster reads its followers per
 * host app in the room's statistics; a follow outlives the node on SQLite and PostgreSQL; anonymous viewers are refused;
 * a component needs {@code room:read} to follow.
 */
class FollowTest {
    static final Principal ADMIN = new Principal("test", Role.ADMIN, null);
    static final String POSTGRES = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";
    static ServerFixture fixture;
    static HostApps.WithSecret shop;
    static HostApps.WithSecret pay;
    static String withRoomRead;
    static String withoutRoomRead;
    static String shopInstance;

    @BeforeAll
    static void start() throws Exception {
        fixture = ServerFixture.start();
        var platform = fixture.server.platform();
        shop = platform.apps().create(ADMIN, "Shop", "direct", List.of(), false);
        pay = platform.apps().create(ADMIN, "Pay", "direct", List.of(), false);
        Principal dev = new Principal("fans", Role.DEVELOPER, platform.components().createDeveloper(ADMIN, "Fans", "second-party").id());
        platform.components().create(dev, null, "fans.live", "Live", "plugin");
        platform.components().create(dev, null, "fans.button", "Follow button", "component");
        platform.components().create(dev, null, "fans.hearts", "Hearts", "component");
        String plugin = approved(dev, "fans.live", TestBundles.manifest("fans.live", "1.0.0", "plugin", List.of("room:read"), List.of()));
        withRoomRead = approved(dev, "fans.button", TestBundles.manifest("fans.button", "1.0.0", "component", List.of("room:read"), List.of()));
        withoutRoomRead = approved(dev, "fans.hearts", TestBundles.manifest("fans.hearts", "1.0.0", "component", List.of("like:write"), List.of()));
        shopInstance = platform.instances().build(ADMIN, shop.app().id(), new InstanceDocument(shop.app().id(),
                new InstanceDocument.Part(plugin, null, null, null, null),
                List.of(new InstanceDocument.Part(withRoomRead, null, null, null, null),
                        new InstanceDocument.Part(withoutRoomRead, null, null, null, null)))).id();
    }

    static String approved(Principal dev, String id, String manifest) {
        var platform = fixture.server.platform();
        String v = platform.components().upload(dev, id, TestBundles.zip(TestBundles.files(manifest))).id();
        assertThat(platform.components().submit(dev, v).state().wire()).isEqualTo("in_review");
        platform.review().approve(ADMIN, v, null);
        return v;
    }

    @AfterAll
    static void stop() throws Exception {
        fixture.close();
    }

    /** A room of broadcaster {@code owner}, delivered to both apps, the shop with its instance. */
    static String room(String owner) {
        var rooms = fixture.server.platform().rooms();
        String room = rooms.create(new Principal(owner, Role.BROADCASTER, owner), "Show", null, List.of(shop.app().id(), pay.app().id())).id();
        rooms.deliver(ADMIN, room, shop.app().id(), shopInstance);
        return room;
    }

    static RtClient join(String room, HostApps.WithSecret app, String viewer) throws Exception {
        String token = viewer == null ? null : Tokens.viewer(app.secret(), viewer, viewer);
        RtClient c = RtClient.connect(RtClient.url(fixture.server.httpPort(), room, app.app().id(), token, 0));
        c.await(e -> e.path("data").path("type").asText().equals("welcome"), 10_000);
        return c;
    }

    static JsonNode result(RtClient c, String method) throws Exception {
        JsonNode answer = c.call(method, Map.of());
        assertThat(answer.path("op").asText()).as("%s", answer).isEqualTo("result");
        return answer.path("result");
    }

    static void assertStatus(JsonNode result, boolean following, long followers) {
        assertThat(result.path("following").asBoolean()).as("%s", result).isEqualTo(following);
        assertThat(result.path("followers").asLong()).as("%s", result).isEqualTo(followers);
    }

    @Test
    void aViewerFollowsTheBroadcasterOnceInEveryRoomOfItsAndUnfollows() throws Exception {
        String first = room("bc-once");
        String second = room("bc-once");
        try (RtClient alice = join(first, shop, "alice"); RtClient bob = join(first, pay, "bob");
             RtClient aliceLater = join(second, shop, "alice"); RtClient alicePay = join(second, pay, "alice")) {
            assertStatus(result(alice, "follow.status"), false, 0);
            assertStatus(result(alice, "follow"), true, 1);
            assertStatus(result(alice, "follow"), true, 1); // twice is one follow
            assertStatus(result(bob, "follow"), true, 2);
            // the broadcaster, not the room: the second show knows alice follows; "alice" of another app is someone else
            assertStatus(result(aliceLater, "follow.status"), true, 2);
            assertStatus(result(alicePay, "follow.status"), false, 2);
            assertStatus(result(aliceLater, "unfollow"), false, 1);
            assertStatus(result(aliceLater, "unfollow"), false, 1);
            assertStatus(result(alice, "follow.status"), false, 1);
            assertStatus(result(bob, "follow.status"), true, 1);
        }
        try (RtClient other = join(room("bc-other"), shop, "bob")) {
            assertStatus(result(other, "follow.status"), false, 0);
        }
    }

    @Test
    void theBroadcasterReadsItsFollowersPerAppInTheRoomStatistics() throws Exception {
        String room = room("bc-stats");
        String broadcasterKey = fixture.server.platform().keys().create(ADMIN, "broadcaster", "bc-stats", "Bea").secret();
        String operatorKey = fixture.server.platform().keys().create(ADMIN, "app-operator", pay.app().id(), "Pay ops").secret();
        try (RtClient a = join(room, shop, "s1"); RtClient b = join(room, shop, "s2"); RtClient c = join(room, pay, "p1")) {
            result(a, "follow");
            result(b, "follow");
            result(b, "follow");
            result(c, "follow");
        }
        JsonNode stats = stats(room, broadcasterKey);
        assertThat(stats.path("total").path("followers").asLong()).isEqualTo(3);
        assertThat(stats.path("apps").path(shop.app().id()).path("followers").asLong()).isEqualTo(2);
        assertThat(stats.path("apps").path(pay.app().id()).path("followers").asLong()).isEqualTo(1);
        JsonNode own = stats(room, operatorKey);
        assertThat(own.path("total").path("followers").asLong()).as("an app's operator sees its own app's followers").isEqualTo(1);
        assertThat(own.path("apps").has(shop.app().id())).isFalse();
        String openapi = new String(KeyedRequests.send("GET", fixture.http("/api/v1/openapi.yaml"), null, null).body());
        assertThat(openapi).contains("followers:");
    }

    static JsonNode stats(String room, String key) throws Exception {
        // step 600: the default range (24 h) at the default step (60 s) is more points than one report holds
        var r = KeyedRequests.send("GET", fixture.http("/api/v1/rooms/" + room + "/stats?step=600"), key, null);
        assertThat(r.statusCode()).as(new String(r.body())).isEqualTo(200);
        return RtClient.JSON.readTree(r.body());
    }

    /** The follows table on both stores: a follow outlives the node, and a new node answers it. */
    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void aFollowOutlivesTheNodeOnEitherStore(String kind) throws Exception {
        Path dir = Files.createTempDirectory("openlive-follow");
        String schema = "openlive_follow_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        String url = "";
        if (kind.equals("postgresql")) {
            try (Connection c = DriverManager.getConnection(POSTGRES); Statement s = c.createStatement()) {
                s.execute("CREATE SCHEMA " + schema);
            } catch (SQLException e) {
                if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                    throw new AssertionError("PostgreSQL is not reachable at 127.0.0.1:5432/test", e);
                }
                Assumptions.abort("PostgreSQL is not reachable at 127.0.0.1:5432/test: " + e.getMessage());
            }
            url = POSTGRES + "&currentSchema=" + schema;
        }
        ServerConfig config = ServerConfig.ephemeral(dir).withDatabase(url);
        try {
            OpenliveServer first = OpenliveServer.start(config).await();
            HostApps.WithSecret app;
            String room;
            try {
                app = first.platform().apps().create(ADMIN, "Shop", "direct", List.of(), false);
                room = first.platform().rooms().create(new Principal("bc-kept", Role.BROADCASTER, "bc-kept"), "Show", null,
                        List.of(app.app().id())).id();
                try (RtClient dana = join(first, room, app, "dana")) {
                    assertStatus(result(dana, "follow"), true, 1);
                }
            } finally {
                first.close();
            }
            OpenliveServer second = OpenliveServer.start(config).await();
            try (RtClient dana = join(second, room, app, "dana"); RtClient erin = join(second, room, app, "erin")) {
                assertStatus(result(dana, "follow.status"), true, 1);
                assertStatus(result(erin, "follow"), true, 2);
                assertStatus(result(dana, "follow"), true, 2);
            } finally {
                second.close();
            }
        } finally {
            if (!url.isEmpty()) {
                try (Connection c = DriverManager.getConnection(POSTGRES); Statement s = c.createStatement()) {
                    s.execute("DROP SCHEMA " + schema + " CASCADE");
                }
            }
        }
    }

    static RtClient join(OpenliveServer server, String room, HostApps.WithSecret app, String viewer) throws Exception {
        RtClient c = RtClient.connect(RtClient.url(server.httpPort(), room, app.app().id(), Tokens.viewer(app.secret(), viewer, viewer), 0));
        c.await(e -> e.path("data").path("type").asText().equals("welcome"), 10_000);
        return c;
    }

    @Test
    void anonymousViewersCannotFollow() throws Exception {
        String room = room("bc-anon");
        try (RtClient anon = join(room, shop, null)) {
            for (String method : List.of("follow", "unfollow", "follow.status")) {
                JsonNode answer = anon.call(method, Map.of());
                assertThat(answer.path("error").path("code").asText()).as(method).isEqualTo("unauthorized");
                assertThat(answer.path("error").path("message").asText()).contains("sign in");
            }
        }
    }

    @Test
    void aComponentFollowsOnlyWithRoomReadInItsManifest() throws Exception {
        String room = room("bc-component");
        try (RtClient viewer = join(room, shop, "carol")) {
            JsonNode refused = viewer.call("follow", Map.of(), withoutRoomRead);
            assertThat(refused.path("error").path("code").asText()).as("%s", refused).isEqualTo("forbidden");
            assertThat(refused.path("error").path("message").asText()).contains("room:read");
            assertStatus(viewer.call("follow.status", Map.of(), withRoomRead).path("result"), false, 0);
            assertStatus(viewer.call("follow", Map.of(), withRoomRead).path("result"), true, 1);
        }
    }
}
