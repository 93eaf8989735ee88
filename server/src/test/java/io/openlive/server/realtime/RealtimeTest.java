package io.openlive.server.realtime;

import com.fasterxml.jackson.databind.JsonNode;
import io.openlive.engine.platform.HostApps;
import io.openlive.engine.platform.Platform;
import io.openlive.engine.platform.Principal;
import io.openlive.engine.platform.Role;
import io.openlive.server.ServerFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The realtime channel over real WebSockets on one node: join, tokens, messages, RPC, recovery, moderation, limits. */
class RealtimeTest {
    static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();
    static final Principal ADMIN = new Principal("test", Role.ADMIN, null);
    static ServerFixture fixture;
    static Platform platform;
    static HostApps.WithSecret shop;
    static HostApps.WithSecret pay;
    static HostApps.WithSecret other;

    @BeforeAll
    static void start() throws Exception {
        fixture = ServerFixture.start();
        platform = fixture.server.platform();
        shop = platform.apps().create(ADMIN, "Shop", "direct", List.of(), false);
        pay = platform.apps().create(ADMIN, "Pay", "review", List.of(), false);
        other = platform.apps().create(ADMIN, "Other", "direct", List.of(), false);
    }

    @AfterAll
    static void stop() throws Exception {
        fixture.close();
    }

    static String room() {
        return platform.rooms().create(ADMIN, "Room", null, List.of(shop.app().id(), pay.app().id())).id();
    }

    static RtClient join(String room, HostApps.WithSecret app, String user) throws Exception {
        return join(room, app, user, 0);
    }

    static RtClient join(String room, HostApps.WithSecret app, String user, long since) throws Exception {
        String token = user == null ? null : Tokens.viewer(app.secret(), user, "Name " + user);
        RtClient c = RtClient.connect(RtClient.url(fixture.server.httpPort(), room, app.app().id(), token, since));
        c.awaitMsg("system", d -> d.path("type").asText().equals("welcome"), 5000);
        return c;
    }

    @Test
    void commentsReachEveryViewerWithIncreasingSeqAndCallsAnswer() throws Exception {
        String room = room();
        try (RtClient alice = join(room, shop, "alice"); RtClient bob = join(room, pay, "bob")) {
            bob.sub("comment");
            JsonNode info = alice.call("room.info", Map.of());
            assertThat(info.path("result").path("viewer").path("id").asText()).isEqualTo("alice");
            assertThat(info.path("result").path("room").path("id").asText()).isEqualTo(room);
            long lastSeq = 0;
            for (int i = 0; i < 3; i++) {
                JsonNode sent = alice.call("comment.send", Map.of("text", "hello " + i));
                assertThat(sent.path("op").asText()).as("%s", sent).isEqualTo("result");
                String text = "hello " + i;
                JsonNode got = bob.awaitMsg("comment", d -> d.path("text").asText().equals(text), 5000);
                assertThat(got.path("seq").asLong()).isEqualTo(sent.path("result").path("seq").asLong()).isGreaterThan(lastSeq);
                assertThat(got.path("data").path("user").path("id").asText()).isEqualTo("alice");
                assertThat(got.path("data").path("app").asText()).isEqualTo(shop.app().id());
                lastSeq = got.path("seq").asLong();
            }
            JsonNode unknown = alice.call("nope.method", Map.of());
            assertThat(unknown.path("error").path("code").asText()).isEqualTo("unknown_method");
            JsonNode bad = alice.call("comment.send", Map.of("text", ""));
            assertThat(bad.path("error").path("code").asText()).isEqualTo("bad_params");
            alice.sub("acme.secret");
            assertThat(alice.await(e -> e.path("op").asText().equals("error"), 5000).path("error").path("code").asText()).isEqualTo("unknown_topic");
        }
    }

    @Test
    void tokensAndDeliveriesAreChecked() throws Exception {
        String room = room();
        int port = fixture.server.httpPort();
        long exp = System.currentTimeMillis() / 1000 + 600;
        record Case(String app, String token, String code, int close) {
        }
        List<Case> cases = List.of(
                new Case(shop.app().id(), Tokens.viewer("hs_forged", "eve", "Eve"), "token_invalid", 4401),
                new Case(shop.app().id(), Tokens.viewer(pay.secret(), "eve", "Eve"), "token_invalid", 4401),
                new Case(shop.app().id(), Tokens.sign(shop.secret(), "{\"sub\":\"eve\",\"exp\":" + (exp - 1200) + "}"), "token_expired", 4401),
                new Case(shop.app().id(), Tokens.sign(shop.secret(), "{\"sub\":\"eve\",\"exp\":" + exp + ",\"app\":\"" + pay.app().id() + "\"}"), "token_wrong_app", 4401),
                new Case(shop.app().id(), "not.a.jwt", "token_invalid", 4401),
                new Case(shop.app().id(), unsigned("{\"sub\":\"eve\",\"exp\":" + exp + "}"), "token_invalid", 4401),
                new Case(shop.app().id(), Tokens.sign(shop.secret(), "{\"exp\":" + exp + "}"), "token_invalid", 4401),
                new Case(other.app().id(), Tokens.viewer(other.secret(), "eve", "Eve"), "room_not_delivered", 4404));
        for (Case c : cases) {
            try (RtClient client = RtClient.connect(RtClient.url(port, room, c.app(), c.token(), 0))) {
                JsonNode error = client.await(e -> e.path("op").asText().equals("error"), 5000);
                assertThat(error.path("error").path("code").asText()).as("%s", c).isEqualTo(c.code());
                assertThat(client.awaitClose()).isEqualTo(c.close());
            }
        }
        try (RtClient client = RtClient.connect(RtClient.url(port, "rnosuchroom", shop.app().id(), null, 0))) {
            assertThat(client.await(e -> e.path("op").asText().equals("error"), 5000).path("error").path("code").asText()).isEqualTo("room_not_found");
        }
        // anonymous viewers read; they do not write
        try (RtClient anon = join(room, shop, null); RtClient alice = join(room, shop, "alice")) {
            anon.sub("comment");
            assertThat(anon.call("comment.send", Map.of("text", "hi")).path("error").path("code").asText()).isEqualTo("unauthorized");
            alice.call("comment.send", Map.of("text", "for everyone"));
            anon.awaitMsg("comment", d -> d.path("text").asText().equals("for everyone"), 5000);
        }
        platform.moderation().moderate(ADMIN, room, RtClient.JSON.readTree("{\"action\":\"anonymous\",\"allowed\":false}"));
        try (RtClient anon = RtClient.connect(RtClient.url(port, room, shop.app().id(), null, 0))) {
            assertThat(anon.await(e -> e.path("op").asText().equals("error"), 5000).path("error").path("code").asText()).isEqualTo("token_missing");
        }
    }

    @Test
    void browserPagesOfOtherOriginsAreRefusedWhereTheAppListsOrigins() throws Exception {
        HostApps.WithSecret strict = platform.apps().create(ADMIN, "Strict", "direct", List.of("https://shop.example.com"), false);
        String room = platform.rooms().create(ADMIN, "Room", null, List.of(strict.app().id())).id();
        String url = RtClient.url(fixture.server.httpPort(), room, strict.app().id(), Tokens.viewer(strict.secret(), "o", "O"), 0);
        try (RtClient evil = RtClient.connect(url, "https://evil.example.net")) {
            assertThat(evil.await(e -> e.path("op").asText().equals("error"), 5000).path("error").path("code").asText()).isEqualTo("origin_not_allowed");
            assertThat(evil.awaitClose()).isEqualTo(4403);
        }
        try (RtClient good = RtClient.connect(url, "https://shop.example.com")) {
            good.awaitMsg("system", d -> d.path("type").asText().equals("welcome"), 5000);
        }
        // a rotated secret applies to the next join at once: old tokens stop working
        HostApps.WithSecret rotated = platform.apps().rotateSecret(ADMIN, strict.app().id());
        try (RtClient old = RtClient.connect(url, "https://shop.example.com")) {
            assertThat(old.await(e -> e.path("op").asText().equals("error"), 5000).path("error").path("code").asText()).isEqualTo("token_invalid");
        }
        String fresh = RtClient.url(fixture.server.httpPort(), room, strict.app().id(), Tokens.viewer(rotated.secret(), "o", "O"), 0);
        try (RtClient ok = RtClient.connect(fresh, "https://shop.example.com")) {
            ok.awaitMsg("system", d -> d.path("type").asText().equals("welcome"), 5000);
        }
    }

    /** A JWT with {@code "alg":"none"} and no signature: must never be accepted. */
    static String unsigned(String claims) {
        java.util.Base64.Encoder b64 = java.util.Base64.getUrlEncoder().withoutPadding();
        return b64.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(claims.getBytes(java.nio.charset.StandardCharsets.UTF_8)) + ".";
    }

    @Test
    void sinceZeroRecoversEverythingTheRoomKept() throws Exception {
        String room = room();
        try (RtClient alice = join(room, shop, "alice")) {
            for (int i = 0; i < 3; i++) {
                alice.call("gift.send", Map.of("gift", "rose", "count", i + 1));
            }
        }
        String token = Tokens.viewer(pay.secret(), "bob", "Name bob");
        try (RtClient bob = RtClient.connect(RtClient.url(fixture.server.httpPort(), room, pay.app().id(), token, 0) + "&since=0")) {
            List<Long> seqs = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                seqs.add(bob.await(e -> e.path("topic").asText().equals("gift"), 5000).path("seq").asLong());
            }
            assertThat(seqs).containsExactly(1L, 2L, 3L);
        }
    }

    @Test
    void aReconnectingClientRecoversWhatItMissedOrIsToldToResync() throws Exception {
        String room = room();
        long first;
        try (RtClient alice = join(room, shop, "alice")) {
            first = alice.call("comment.send", Map.of("text", "one")).path("result").path("seq").asLong();
            for (int i = 0; i < 4; i++) {
                alice.call("gift.send", Map.of("gift", "rose", "count", i + 1));
            }
        }
        try (RtClient back = join(room, pay, "bob", first)) {
            List<Long> seqs = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                JsonNode m = back.await(e -> e.path("topic").asText().equals("gift"), 5000);
                seqs.add(m.path("seq").asLong());
            }
            assertThat(seqs).containsExactly(first + 1, first + 2, first + 3, first + 4);
        }
        // past the history's count: the client must resync
        for (int i = 0; i < 1010; i++) {
            fixture.server.realtime().publish(room, "system", RtClient.JSON.createObjectNode().put("type", "filler"));
        }
        long since = first;
        io.openlive.server.Eventually.await("history past seq " + first, java.time.Duration.ofSeconds(5),
                () -> fixture.server.bus().since(room, since).toCompletableFuture().join().gap());
        try (RtClient late = join(room, shop, "carol", first)) {
            assertThat(late.await(e -> e.path("op").asText().equals("resync"), 5000).path("reason").asText()).contains("history");
        }
    }

    @Test
    void likesAreAggregatedAndPresenceIsCountedPerHostApp() throws Exception {
        String room = room();
        try (RtClient a = join(room, shop, "a"); RtClient b = join(room, shop, "b"); RtClient c = join(room, pay, "c")) {
            c.sub("like", "presence");
            for (int i = 0; i < 30; i++) {
                assertThat(a.call("like.send", Map.of("count", 10)).path("result").path("accepted").asInt()).isEqualTo(10);
            }
            JsonNode total = c.awaitMsg("like", d -> d.path("total").asLong() == 300, 5000);
            assertThat(total.has("seq")).as("like totals are ephemeral").isFalse();
            long likeMessages = c.received().stream().filter(e -> e.path("topic").asText().equals("like")).count();
            assertThat(likeMessages).as("a few totals a second, not one per like nor one per call").isLessThan(30);
            JsonNode presence = c.awaitMsg("presence", d -> d.path("total").asInt() == 3, 5000);
            java.net.http.HttpResponse<String> metrics = java.net.http.HttpClient.newHttpClient().send(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create(fixture.http("/metrics"))).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(metrics.body()).containsPattern("openlive_realtime_connections [1-9]");
            assertThat(presence.path("data").path("apps").path(shop.app().id()).asInt()).isEqualTo(2);
            assertThat(presence.path("data").path("apps").path(pay.app().id()).asInt()).isEqualTo(1);
            b.close();
            c.awaitMsg("presence", d -> d.path("total").asInt() == 2, 5000);
        }
    }

    @Test
    void aLikeTotalCountedEarlierButArrivingLaterIsNotShown() throws Exception {
        String room = room();
        try (RtClient c = join(room, shop, "c")) {
            c.sub("like");
            // As two nodes may publish them: the total 12 (counted second) reaches this node before 7 (counted first).
            var bus = fixture.server.bus();
            bus.publishEphemeral(room, "like", JSON.createObjectNode().put("total", 12).put("delta", 5)).toCompletableFuture().get();
            bus.publishEphemeral(room, "like", JSON.createObjectNode().put("total", 7).put("delta", 7)).toCompletableFuture().get();
            c.awaitMsg("like", d -> d.path("total").asLong() == 12, 5000);
            assertThat(c.call("room.info", Map.of()).path("result").path("likes").asLong()).isEqualTo(12);
            // a later total, published after the 7: once it is here, the 7 was either shown already or never will be
            bus.publishEphemeral(room, "like", JSON.createObjectNode().put("total", 13).put("delta", 1)).toCompletableFuture().get();
            c.awaitMsg("like", d -> d.path("total").asLong() == 13, 5000);
            assertThat(c.received().stream().filter(e -> e.path("topic").asText().equals("like")))
                    .extracting(e -> e.path("data").path("total").asLong()).containsOnly(12L, 13L);
        }
    }

    @Test
    void moderationMutesFiltersSlowsDeletesAndBans() throws Exception {
        String room = room();
        try (RtClient mallory = join(room, shop, "mallory"); RtClient watcher = join(room, pay, "watcher")) {
            watcher.sub("comment", "product.pin");
            String sent = mallory.call("comment.send", Map.of("text", "buy crypto")).path("result").path("id").asText();
            platform.moderation().moderate(ADMIN, room, RtClient.JSON.readTree("{\"action\":\"delete\",\"commentId\":\"" + sent + "\"}"));
            watcher.awaitMsg("comment", d -> d.path("type").asText().equals("deleted") && d.path("id").asText().equals(sent), 5000);

            platform.moderation().moderate(ADMIN, room, RtClient.JSON.readTree("{\"action\":\"keywords-add\",\"words\":[\"Crypto\"]}"));
            awaitCode(mallory, Map.of("text", "more CRYPTO"), "filtered");
            platform.moderation().moderate(ADMIN, room, RtClient.JSON.readTree("{\"action\":\"mute\",\"user\":\"mallory\",\"app\":\"" + shop.app().id() + "\",\"seconds\":60}"));
            awaitCode(mallory, Map.of("text", "hello"), "muted");
            platform.moderation().moderate(ADMIN, room, RtClient.JSON.readTree("{\"action\":\"unmute\",\"user\":\"mallory\",\"app\":\"" + shop.app().id() + "\"}"));
            platform.moderation().moderate(ADMIN, room, RtClient.JSON.readTree("{\"action\":\"slow-mode\",\"seconds\":30}"));
            // mallory commented moments ago: unmuted now, but slow mode holds the next comment back
            awaitCode(mallory, Map.of("text", "second"), "slow_mode");

            platform.moderation().pin(ADMIN, room, RtClient.JSON.readTree("{\"productId\":\"p1\",\"title\":\"Kettle\",\"price\":2999}"));
            watcher.awaitMsg("product.pin", d -> d.path("productId").asText().equals("p1"), 5000);
            assertThat(watcher.call("room.info", Map.of()).path("result").path("pinned").path("title").asText()).isEqualTo("Kettle");

            platform.moderation().moderate(ADMIN, room, RtClient.JSON.readTree("{\"action\":\"ban\",\"user\":\"mallory\",\"app\":\"" + shop.app().id() + "\"}"));
            mallory.awaitMsg("system", d -> d.path("type").asText().equals("banned"), 5000);
            assertThat(mallory.awaitClose()).isEqualTo(1008);
        }
        try (RtClient again = RtClient.connect(RtClient.url(fixture.server.httpPort(), room, shop.app().id(),
                Tokens.viewer(shop.secret(), "mallory", "M"), 0))) {
            assertThat(again.await(e -> e.path("op").asText().equals("error"), 5000).path("error").path("code").asText()).isEqualTo("banned");
        }
        assertThat(platform.audit().list(ADMIN, "room", room, io.openlive.engine.platform.Page.Request.first(50)).items())
                .extracting(io.openlive.engine.platform.AuditEntry::action).contains("room.moderate.ban", "room.moderate.mute", "room.pin");
    }

    /** Moderation reaches the room through the bus a moment after it is stored: retry until it applies. */
    private static void awaitCode(RtClient c, Map<String, String> params, String code) throws Exception {
        JsonNode[] last = new JsonNode[1];
        try {
            io.openlive.server.Eventually.await("comment.send refused with " + code, java.time.Duration.ofSeconds(5), () -> {
                try {
                    last[0] = c.call("comment.send", params);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return true;
                }
                return code.equals(last[0].path("error").path("code").asText(null));
            });
        } catch (AssertionError e) {
            assertThat(last[0].path("error").path("code").asText(null)).as("%s", last[0]).isEqualTo(code);
        }
    }

    @Test
    void commentRatesAreLimitedPerViewer() throws Exception {
        String room = room();
        try (RtClient a = join(room, shop, "fast")) {
            List<String> codes = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                codes.add(a.call("comment.send", Map.of("text", "spam " + i)).path("error").path("code").asText("ok"));
            }
            assertThat(codes.subList(0, 5)).containsOnly("ok");
            assertThat(codes.subList(5, 10)).contains("rate_limited");
        }
    }

    @Test
    void componentTopicsFollowTheBoundInstanceAndRevocationUnmounts() throws Exception {
        String dev = platform.components().createDeveloper(ADMIN, "Acme", "second-party").id();
        Principal acme = new Principal("acme", Role.DEVELOPER, dev);
        platform.components().create(acme, null, "acme.live", "Live", "plugin");
        platform.components().create(acme, null, "acme.poll", "Poll", "component");
        String plugin = platform.components().upload(acme, "acme.live", io.openlive.server.api.TestBundles.sound("acme.live", "1.0.0", "plugin")).id();
        byte[] poll = io.openlive.server.api.TestBundles.zip(io.openlive.server.api.TestBundles.files(io.openlive.server.api.TestBundles.manifest(
                "acme.poll", "1.0.0", "component", List.of("room:read"), List.of("acme.poll.vote"))));
        String pollVersion = platform.components().upload(acme, "acme.poll", poll).id();
        for (String v : List.of(plugin, pollVersion)) {
            platform.components().submit(acme, v);
            platform.review().approve(ADMIN, v, null);
        }
        String instance = platform.instances().build(ADMIN, shop.app().id(), new io.openlive.engine.platform.InstanceDocument(shop.app().id(),
                new io.openlive.engine.platform.InstanceDocument.Part(plugin, null, null, null, null),
                List.of(new io.openlive.engine.platform.InstanceDocument.Part(pollVersion, null, null, null, null)))).id();
        String room = room();
        platform.rooms().deliver(ADMIN, room, shop.app().id(), instance);
        try (RtClient voter = join(room, shop, "voter"); RtClient payViewer = join(room, pay, "payer")) {
            voter.sub("acme.poll.vote");
            JsonNode emitted = voter.call("topic.emit", Map.of("topic", "acme.poll.vote", "data", Map.of("option", 2)), pollVersion);
            assertThat(emitted.path("result").path("seq").asLong()).isPositive();
            JsonNode vote = voter.awaitMsg("acme.poll.vote", d -> d.path("data").path("option").asInt() == 2, 5000);
            assertThat(vote.path("data").path("user").path("id").asText()).isEqualTo("voter");
            // the pay app has no such component bound in this room
            assertThat(payViewer.call("topic.emit", Map.of("topic", "acme.poll.vote", "data", Map.of()), pollVersion).path("error").path("code").asText())
                    .isEqualTo("forbidden");
            // until it binds an instance with it: its viewers are told, and the topic opens for them
            platform.review().decide(ADMIN, pay.app().id(), plugin, io.openlive.engine.platform.Review.Decision.APPROVE, null);
            platform.review().decide(ADMIN, pay.app().id(), pollVersion, io.openlive.engine.platform.Review.Decision.APPROVE, null);
            String payInstance = platform.instances().build(ADMIN, pay.app().id(), new io.openlive.engine.platform.InstanceDocument(pay.app().id(),
                    new io.openlive.engine.platform.InstanceDocument.Part(plugin, null, null, null, null),
                    List.of(new io.openlive.engine.platform.InstanceDocument.Part(pollVersion, null, null, null, null)))).id();
            platform.rooms().deliver(ADMIN, room, pay.app().id(), payInstance);
            payViewer.awaitMsg("system", d -> d.path("type").asText().equals("instance") && d.path("instanceId").asText().equals(payInstance), 5000);
            long opens = System.currentTimeMillis() + 5000;
            String payCode;
            do {
                payCode = payViewer.call("topic.emit", Map.of("topic", "acme.poll.vote", "data", Map.of("option", 1)), pollVersion).path("error").path("code").asText("ok");
            } while (!payCode.equals("ok") && System.currentTimeMillis() < opens);
            assertThat(payCode).isEqualTo("ok");
            assertThat(voter.call("topic.emit", Map.of("topic", "acme.poll.other", "data", Map.of()), pollVersion).path("error").path("code").asText())
                    .isEqualTo("forbidden");

            platform.review().revoke(ADMIN, pollVersion, "kill switch");
            JsonNode unmount = voter.awaitMsg("system", d -> d.path("type").asText().equals("unmount"), 5000);
            assertThat(unmount.path("data").path("versionId").asText()).isEqualTo(pollVersion);
            payViewer.awaitMsg("system", d -> d.path("type").asText().equals("unmount"), 5000);
            long deadline = System.currentTimeMillis() + 5000;
            String code;
            do {
                code = voter.call("topic.emit", Map.of("topic", "acme.poll.vote", "data", Map.of()), pollVersion).path("error").path("code").asText("ok");
            } while (!code.equals("forbidden") && System.currentTimeMillis() < deadline);
            assertThat(code).as("a revoked component's topics close").isEqualTo("forbidden");
        }
    }
}
