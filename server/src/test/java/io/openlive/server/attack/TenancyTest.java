package io.openlive.server.attack;

import com.fasterxml.jackson.databind.JsonNode;
import io.openlive.engine.platform.HostApps;
import io.openlive.engine.platform.InstanceDocument;
import io.openlive.engine.platform.Platform;
import io.openlive.engine.platform.PlatformException;
import io.openlive.engine.platform.Principal;
import io.openlive.engine.platform.Review;
import io.openlive.engine.platform.Role;
import io.openlive.engine.room.Room;
import io.openlive.server.ServerFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Findings on what a viewer, a developer or a tenant could see or do: an app reviewer's revocation unmounted the
 * version in other apps; moderation broadcasts carried the keyword list and banned ids; tokens were checked only at
 * join (an expired token kept posting, a rotated secret left sessions open, nbf was ignored, a string exp gave a Java
 * class name); a refused publisher was told the first one's address; an app operator saw other apps' deliveries of a
 * room; origins accepted fragments and kept default ports; instance.build answered 400 before checking the role; names
 * accepted NUL and bidi characters.
 */
class TenancyTest {
    static final Principal ADMIN = new Principal("test", Role.ADMIN, null);
    static ServerFixture node;
    static Platform platform;
    static Api api;
    static String admin;
    static HostApps.WithSecret shop;
    static HostApps.WithSecret pay;
    static String pollVersion;
    static String room;

    @BeforeAll
    static void start() throws Exception {
        node = ServerFixture.start();
        platform = node.server.platform();
        api = new Api(node.server.httpPort());
        admin = platform.keys().bootstrapAdmin().orElseThrow();
        shop = platform.apps().create(ADMIN, "Shop", "direct", List.of(), false);
        pay = platform.apps().create(ADMIN, "Pay", "review", List.of(), false);
        String dev = platform.components().createDeveloper(ADMIN, "Acme", "second-party").id();
        Principal acme = new Principal("acme", Role.DEVELOPER, dev);
        platform.components().create(acme, null, "acme.live", "Live", "plugin");
        platform.components().create(acme, null, "acme.poll", "Poll", "component");
        Map<String, String> live = Api.plugin("acme.live");
        Map<String, String> poll = Api.component("acme.poll", "[\"acme.poll.vote\"]");
        String plugin = platform.components().upload(acme, "acme.live", Api.zip(live)).id();
        pollVersion = platform.components().upload(acme, "acme.poll", Api.zip(poll)).id();
        for (String v : List.of(plugin, pollVersion)) {
            platform.components().submit(acme, v);
            platform.review().approve(ADMIN, v, null);
            platform.review().decide(ADMIN, pay.app().id(), v, Review.Decision.APPROVE, null);
        }
        room = platform.rooms().create(ADMIN, "Room", null, List.of(shop.app().id(), pay.app().id())).id();
        for (HostApps.WithSecret app : List.of(shop, pay)) {
            String instance = platform.instances().build(ADMIN, app.app().id(), new InstanceDocument(app.app().id(),
                    new InstanceDocument.Part(plugin, null, null, null, null), List.of(new InstanceDocument.Part(pollVersion, null, null, null, null)))).id();
            platform.rooms().deliver(ADMIN, room, app.app().id(), instance);
        }
    }

    @AfterAll
    static void stop() throws Exception {
        node.close();
    }

    static boolean receives(RawWebSocket ws, String fragment, Duration within) throws Exception {
        return ws.texts(within, within).stream().anyMatch(t -> t.contains(fragment));
    }

    @Test
    void anAppsRevocationUnmountsOnlyInThatApp() throws Exception {
        int port = node.server.httpPort();
        try (RawWebSocket shopViewer = Viewers.join(port, room, shop.app().id(), null);
             RawWebSocket payViewer = Viewers.join(port, room, pay.app().id(), null)) {
            platform.review().decide(ADMIN, pay.app().id(), pollVersion, Review.Decision.REVOKE, "not for us");
            assertThat(receives(payViewer, "\"unmount\"", Duration.ofSeconds(2))).isTrue();
            assertThat(receives(shopViewer, "\"unmount\"", Duration.ofSeconds(1))).as("still live in the shop").isFalse();
        }
    }

    @Test
    void moderationBroadcastsNameNoOneAndNoKeywords() throws Exception {
        int port = node.server.httpPort();
        String r = platform.rooms().create(ADMIN, "Moderated", null, List.of(shop.app().id())).id();
        try (RawWebSocket watcher = Viewers.join(port, r, shop.app().id(), null);
             RawWebSocket mallory = Viewers.join(port, r, shop.app().id(), Viewers.token(shop.secret(), "mallory-7"))) {
            platform.moderation().moderate(ADMIN, r, Api.JSON.readTree("{\"action\":\"keywords-add\",\"words\":[\"secretword\"]}"));
            platform.moderation().moderate(ADMIN, r, Api.JSON.readTree("{\"action\":\"ban\",\"user\":\"mallory-7\"}"));
            List<String> seen = watcher.texts(Duration.ofSeconds(1), Duration.ofSeconds(3));
            assertThat(String.join("\n", seen)).contains("\"moderation\"").doesNotContain("secretword").doesNotContain("mallory-7");
            assertThat(mallory.closeCode(Duration.ofSeconds(5))).as("the banned viewer is closed").isNotZero();
        }
    }

    @Test
    void anonymousViewersSeeOnlyTheirOwnAppInPresence() throws Exception {
        int port = node.server.httpPort();
        String r = platform.rooms().create(ADMIN, "Presence", null, List.of(shop.app().id(), pay.app().id())).id();
        try (RawWebSocket shopViewer = Viewers.join(port, r, shop.app().id(), Viewers.token(shop.secret(), "sam"));
             RawWebSocket anonymous = Viewers.join(port, r, pay.app().id(), null)) {
            anonymous.text("{\"op\":\"sub\",\"topics\":[\"presence\"]}");
            JsonNode seen = null;
            long deadline = System.currentTimeMillis() + 5000;
            while (seen == null && System.currentTimeMillis() < deadline) {
                for (String t : anonymous.texts(Duration.ofMillis(700), Duration.ofSeconds(1))) {
                    JsonNode n = Api.JSON.readTree(t);
                    for (JsonNode e : n.isArray() ? n : Api.JSON.createArrayNode().add(n)) {
                        if (e.path("topic").asText().equals("presence") && e.path("data").path("total").asInt() >= 2) {
                            seen = e.path("data");
                        }
                    }
                }
            }
            assertThat(seen).as("a presence message counting both viewers").isNotNull();
            assertThat(seen.path("apps").has(shop.app().id())).as("another app's count").isFalse();
            assertThat(seen.path("apps").path(pay.app().id()).asInt()).isEqualTo(1);
        }
    }

    @Test
    void bansNameAViewerWithinOneApp() throws Exception {
        int port = node.server.httpPort();
        String r = platform.rooms().create(ADMIN, "Two apps", null, List.of(shop.app().id(), pay.app().id())).id();
        assertThatThrownBy(() -> platform.moderation().moderate(ADMIN, r, Api.JSON.readTree("{\"action\":\"ban\",\"user\":\"u-1\"}")))
                .as("which app's u-1?").isInstanceOf(PlatformException.class).hasMessageContaining("app is required");
        platform.moderation().moderate(ADMIN, r, Api.JSON.readTree("{\"action\":\"ban\",\"user\":\"u-1\",\"app\":\"" + shop.app().id() + "\"}"));
        try (RawWebSocket shopU1 = RawWebSocket.open(port, "/rt?room=" + r + "&app=" + shop.app().id() + "&token=" + Viewers.token(shop.secret(), "u-1"), null)) {
            assertThat(shopU1.readText()).contains("banned");
        }
        try (RawWebSocket payU1 = Viewers.join(port, r, pay.app().id(), Viewers.token(pay.secret(), "u-1"))) {
            assertThat(Viewers.code(Viewers.call(payU1, "comment.send", Api.JSON.readTree("{\"text\":\"hi\"}"), null))).isEqualTo("ok");
        }
    }

    @Test
    void tokensAreCheckedBeforeClaimsAndThroughoutTheSession() throws Exception {
        int port = node.server.httpPort();
        long now = System.currentTimeMillis() / 1000;
        String stringExp = Viewers.sign(shop.secret(), "{\"sub\":\"eve\",\"exp\":\"" + (now + 600) + "\"}");
        String future = Viewers.sign(shop.secret(), "{\"sub\":\"eve\",\"exp\":" + (now + 600) + ",\"nbf\":" + (now + 3600) + "}");
        for (String token : List.of(stringExp, future)) {
            try (RawWebSocket ws = RawWebSocket.open(port, "/rt?room=" + room + "&app=" + shop.app().id() + "&token=" + token, null)) {
                String refusal = ws.readText();
                assertThat(refusal).contains("token_invalid").doesNotContainIgnoringCase("java").doesNotContain("Exception");
            }
        }
        String soon = Viewers.sign(shop.secret(), "{\"sub\":\"eve\",\"exp\":" + (now + 2) + "}");
        try (RawWebSocket ws = Viewers.join(port, room, shop.app().id(), soon)) {
            String code = "ok";
            long deadline = System.currentTimeMillis() + 8000;
            while (!code.equals("token_expired") && System.currentTimeMillis() < deadline) {
                code = Viewers.code(Viewers.call(ws, "like.send", Api.JSON.readTree("{\"count\":1}"), null));
                Thread.sleep(100); // pacing, under the call rate: a tight loop would be closed as a flood
            }
            assertThat(code).isEqualTo("token_expired");
        }
        HostApps.WithSecret rotating = platform.apps().create(ADMIN, "Rotating", "direct", List.of(), false);
        String r = platform.rooms().create(ADMIN, "Rotation", null, List.of(rotating.app().id())).id();
        try (RawWebSocket ws = Viewers.join(port, r, rotating.app().id(), Viewers.token(rotating.secret(), "ann"))) {
            platform.apps().rotateSecret(ADMIN, rotating.app().id());
            assertThat(ws.closeCode(Duration.ofSeconds(5))).as("a rotated secret closes the sessions it signed").isNotZero();
        }
    }

    @Test
    void aRefusedPublisherIsNotToldTheFirstOnesAddress() throws Exception {
        Room r = node.newRoom("one publisher");
        try (RtmpPeer first = RtmpPeer.open(node.server.rtmpPort()).handshake();
             RtmpPeer second = RtmpPeer.open(node.server.rtmpPort()).handshake()) {
            assertThat(first.publish(r.streamKey())).isEqualTo("NetStream.Publish.Start");
            second.command(0, "connect", 1, Map.of("app", "live", "tcUrl", "rtmp://127.0.0.1/live"));
            second.await("_result");
            second.command(0, "createStream", 2, Map.of());
            second.await("_result");
            second.command(1, "publish", 3, Map.of(), r.streamKey(), "live");
            var status = second.await("onStatus");
            assertThat(RtmpPeer.code(status)).isEqualTo("NetStream.Publish.BadName");
            assertThat(status.toString()).doesNotContain("127.0.0.1");
        }
    }

    @Test
    void anAppOperatorSeesOnlyItsOwnDelivery() throws Exception {
        String shopOperator = api.ok("POST", "/keys", admin, Map.of("role", "app-operator", "scope", shop.app().id())).text("key");
        JsonNode view = api.ok("GET", "/rooms/" + room, shopOperator, null).body();
        assertThat(view.path("deliveries").findValuesAsText("appId")).containsExactly(shop.app().id());
        Api.Response build = api.call("POST", "/apps/" + pay.app().id() + "/instances", shopOperator, Map.of("nonsense", true));
        assertThat(build.status()).as("the role before the body").isEqualTo(403);
    }

    @Test
    void originsAndNamesAreValidated() {
        assertThatThrownBy(() -> platform.apps().create(ADMIN, "Frag", "direct", List.of("https://a.com#;frame-ancestors *"), false))
                .isInstanceOf(PlatformException.class);
        assertThat(platform.apps().create(ADMIN, "Port", "direct", List.of("https://a.example.com:443", "http://b.example.com:8080"), false)
                .app().origins()).containsExactly("https://a.example.com", "http://b.example.com:8080");
        assertThatThrownBy(() -> platform.apps().create(ADMIN, "evil\u0000name", "direct", List.of(), false)).isInstanceOf(PlatformException.class);
        assertThatThrownBy(() -> platform.apps().create(ADMIN, "shop\u202Egnp.exe", "direct", List.of(), false)).isInstanceOf(PlatformException.class);
    }
}
