package io.openlive.server.attack;

import com.fasterxml.jackson.databind.JsonNode;
import io.openlive.engine.platform.ComponentVersion;
import io.openlive.engine.platform.HostApps;
import io.openlive.engine.platform.InstanceDocument;
import io.openlive.engine.platform.Platform;
import io.openlive.engine.platform.Principal;
import io.openlive.engine.platform.Role;
import io.openlive.server.ServerFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Findings: a component could call methods its manifest does not grant (the starter called comment.send with only
 * comment:read and passed every check), any signed-in viewer's socket could emit any component topic, topic.emit was
 * limited per connection (50 sockets of one viewer: 50 allowances), gifts had no room cap, and a muted viewer could still
 * gift, like and emit. Now calls are checked against the calling component's manifest (method to permission map, also
 * checked on submit), topic.emit needs a component that declares the topic, emits are limited per viewer and per room,
 * gifts per room, and mute applies to every write method.
 */
class ComponentIdentityTest {
    static final Principal ADMIN = new Principal("test", Role.ADMIN, null);
    static ServerFixture node;
    static Platform platform;
    static HostApps.WithSecret shop;
    static HostApps.WithSecret pay;
    static Principal acme;
    static String pollVersion;
    static String payOnlyVersion;
    static String room;

    @BeforeAll
    static void start() throws Exception {
        node = ServerFixture.start();
        platform = node.server.platform();
        shop = platform.apps().create(ADMIN, "Shop", "direct", List.of(), false);
        pay = platform.apps().create(ADMIN, "Pay", "direct", List.of(), false);
        String dev = platform.components().createDeveloper(ADMIN, "Acme", "second-party").id();
        acme = new Principal("acme", Role.DEVELOPER, dev);
        platform.components().create(acme, null, "acme.live", "Live", "plugin");
        platform.components().create(acme, null, "acme.poll", "Poll", "component");
        platform.components().create(acme, null, "acme.other", "Other", "component");
        Map<String, String> live = Api.plugin("acme.live");
        String plugin = approved("acme.live", live);
        pollVersion = approved("acme.poll", bundle("acme.poll", "[\"room:read\",\"comment:read\"]", "[\"acme.poll.vote\"]"));
        payOnlyVersion = approved("acme.other", bundle("acme.other", "[\"room:read\",\"comment:write\"]", "[\"acme.other.x\"]"));
        room = platform.rooms().create(ADMIN, "Room", null, List.of(shop.app().id(), pay.app().id())).id();
        platform.rooms().deliver(ADMIN, room, shop.app().id(), platform.instances().build(ADMIN, shop.app().id(), new InstanceDocument(shop.app().id(),
                new InstanceDocument.Part(plugin, null, null, null, null), List.of(new InstanceDocument.Part(pollVersion, null, null, null, null)))).id());
        platform.rooms().deliver(ADMIN, room, pay.app().id(), platform.instances().build(ADMIN, pay.app().id(), new InstanceDocument(pay.app().id(),
                new InstanceDocument.Part(plugin, null, null, null, null), List.of(new InstanceDocument.Part(payOnlyVersion, null, null, null, null)))).id());
    }

    static Map<String, String> bundle(String id, String permissions, String emits) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("manifest.json", Api.manifest(id, "1.0.0", permissions, emits));
        f.put("index.html", "<!doctype html><p>" + id + "</p>");
        return f;
    }

    static String approved(String id, Map<String, String> files) {
        String v = platform.components().upload(acme, id, Api.zip(files)).id();
        assertThat(platform.components().submit(acme, v).state().wire()).isEqualTo("in_review");
        platform.review().approve(ADMIN, v, null);
        return v;
    }

    @AfterAll
    static void stop() throws Exception {
        node.close();
    }

    static JsonNode json(String s) throws Exception {
        return Api.JSON.readTree(s);
    }

    @Test
    void callsAreCheckedAgainstTheCallingComponent() throws Exception {
        int port = node.server.httpPort();
        try (RawWebSocket viewer = Viewers.join(port, room, shop.app().id(), Viewers.token(shop.secret(), "alice"))) {
            JsonNode vote = json("{\"topic\":\"acme.poll.vote\",\"data\":{\"option\":1}}");
            assertThat(Viewers.code(Viewers.call(viewer, "topic.emit", vote, pollVersion))).isEqualTo("ok");
            assertThat(Viewers.code(Viewers.call(viewer, "topic.emit", vote, null))).as("the page itself emits no component topic").isEqualTo("forbidden");
            assertThat(Viewers.code(Viewers.call(viewer, "comment.send", json("{\"text\":\"hi\"}"), pollVersion)))
                    .as("the poll's manifest has comment:read only").isEqualTo("forbidden");
            assertThat(Viewers.code(Viewers.call(viewer, "comment.send", json("{\"text\":\"hi\"}"), payOnlyVersion)))
                    .as("a version bound only in another app").isEqualTo("forbidden");
            assertThat(Viewers.code(Viewers.call(viewer, "topic.emit", json("{\"topic\":\"acme.other.x\",\"data\":{}}"), payOnlyVersion))).isEqualTo("forbidden");
            assertThat(Viewers.code(Viewers.call(viewer, "comment.send", json("{\"text\":\"hi\"}"), null))).as("the page's own comment").isEqualTo("ok");
        }
    }

    @Test
    void aBundleThatCallsAMethodMustAskForItsPermission() {
        platform.components().create(acme, null, "acme.chatty", "Chatty", "component");
        Map<String, String> f = bundle("acme.chatty", "[\"room:read\",\"comment:read\"]", "[]");
        f.put("main.js", "export function say(live) { return live.call('comment.send', { text: 'hi' }); }");
        String v = platform.components().upload(acme, "acme.chatty", Api.zip(f)).id();
        ComponentVersion checked = platform.components().submit(acme, v);
        assertThat(checked.state().wire()).isEqualTo("checks_failed");
        assertThat(checked.reason()).contains("main.js calls comment.send, which needs the permission comment:write");
    }

    @Test
    void emitsAreLimitedPerViewerNotPerConnection() throws Exception {
        int port = node.server.httpPort();
        List<RawWebSocket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < 10; i++) {
                sockets.add(Viewers.join(port, room, shop.app().id(), Viewers.token(shop.secret(), "bob")));
            }
            int accepted = 0;
            for (RawWebSocket ws : sockets) {
                for (int i = 0; i < 5; i++) {
                    if (Viewers.code(Viewers.call(ws, "topic.emit", json("{\"topic\":\"acme.poll.vote\",\"data\":{}}"), pollVersion)).equals("ok")) {
                        accepted++;
                    }
                }
            }
            // one viewer: a burst of 10 and 5 per second while the 50 calls take, far below 50
            assertThat(accepted).isBetween(10, 25);
        } finally {
            for (RawWebSocket ws : sockets) {
                ws.close();
            }
        }
    }

    @Test
    void giftsAreCappedPerRoom() throws Exception {
        int port = node.server.httpPort();
        int accepted = 0;
        List<RawWebSocket> givers = new ArrayList<>();
        long start = System.nanoTime();
        try {
            for (int v = 0; v < 4; v++) {
                givers.add(Viewers.join(port, room, pay.app().id(), Viewers.token(pay.secret(), "giver" + v)));
            }
            for (RawWebSocket ws : givers) {
                for (int i = 0; i < 30; i++) {
                    if (Viewers.code(Viewers.call(ws, "gift.send", json("{\"gift\":\"rose\",\"count\":1}"), null)).equals("ok")) {
                        accepted++;
                    }
                }
            }
        } finally {
            for (RawWebSocket ws : givers) {
                ws.close();
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        assertThat(accepted).as("120 gifts in %.1f s", seconds).isLessThanOrEqualTo(50 + (int) Math.ceil(50 * seconds));
        assertThat(accepted).isLessThan(120);
    }

    @Test
    void muteAppliesToEveryWriteMethod() throws Exception {
        int port = node.server.httpPort();
        String mutedRoom = platform.rooms().create(ADMIN, "Muted", null, List.of(pay.app().id())).id();
        platform.moderation().moderate(ADMIN, mutedRoom, json("{\"action\":\"mute\",\"user\":\"mallory\",\"seconds\":60}"));
        try (RawWebSocket ws = Viewers.join(port, mutedRoom, pay.app().id(), Viewers.token(pay.secret(), "mallory"))) {
            assertThat(Viewers.code(Viewers.call(ws, "comment.send", json("{\"text\":\"hi\"}"), null))).isEqualTo("muted");
            assertThat(Viewers.code(Viewers.call(ws, "gift.send", json("{\"gift\":\"rose\"}"), null))).isEqualTo("muted");
            assertThat(Viewers.code(Viewers.call(ws, "like.send", json("{\"count\":1}"), null))).isEqualTo("muted");
        }
    }

    @Test
    void slowModeAndTheFilterCoverGiftsToo() throws Exception {
        int port = node.server.httpPort();
        String slowRoom = platform.rooms().create(ADMIN, "Slow", null, List.of(pay.app().id())).id();
        platform.moderation().moderate(ADMIN, slowRoom, json("{\"action\":\"slow-mode\",\"seconds\":30}"));
        platform.moderation().moderate(ADMIN, slowRoom, json("{\"action\":\"keywords-add\",\"words\":[\"scam\"]}"));
        try (RawWebSocket ws = Viewers.join(port, slowRoom, pay.app().id(), Viewers.token(pay.secret(), "speedy"))) {
            assertThat(Viewers.code(Viewers.call(ws, "gift.send", json("{\"gift\":\"scam-coin\"}"), null))).isEqualTo("filtered");
            assertThat(Viewers.code(Viewers.call(ws, "gift.send", json("{\"gift\":\"rose\"}"), null))).isEqualTo("ok");
            assertThat(Viewers.code(Viewers.call(ws, "gift.send", json("{\"gift\":\"rose\"}"), null))).isEqualTo("slow_mode");
            assertThat(Viewers.code(Viewers.call(ws, "comment.send", json("{\"text\":\"hi\"}"), null))).isEqualTo("slow_mode");
        }
    }
}
