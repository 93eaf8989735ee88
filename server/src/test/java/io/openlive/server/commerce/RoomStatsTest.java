package io.openlive.server.commerce;

import com.fasterxml.jackson.databind.JsonNode;
import io.openlive.engine.commerce.OrderRequest;
import io.openlive.engine.commerce.Product;
import io.openlive.engine.platform.HostApps;
import io.openlive.engine.platform.Principal;
import io.openlive.engine.platform.Role;
import io.openlive.server.Eventually;
import io.openlive.server.OpenliveServer;
import io.openlive.server.ServerConfig;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Room statistics from real viewers over WebSockets in two host apps: each app's viewers, comments, likes, gifts, orders
 * and sales are counted to that app and to the component version they came through (and the shop's viewers as views of
 * the version bound in its instance), the totals equal the sum of the apps, a host app operator sees only its own app,
 * and the figures are the same after the server restarts.
 */
class RoomStatsTest {
    static final Principal ADMIN = new Principal("test", Role.ADMIN, null);

    @Test
    void viewersAndSalesAreCountedToTheirAppAndSurviveARestart() throws Exception {
        Path dir = Files.createTempDirectory("openlive-stats");
        String room;
        String shopId;
        String payId;
        String adminKey;
        String payKey;
        JsonNode before;
        String card;
        String devKey;
        OpenliveServer server = OpenliveServer.start(ServerConfig.ephemeral(dir)).await();
        try (Buyers buyers = new Buyers()) {
            adminKey = server.platform().keys().bootstrapAdmin().orElseThrow();
            HostApps.WithSecret shop = server.platform().apps().create(ADMIN, "Shop", "direct", List.of(), false);
            HostApps.WithSecret pay = server.platform().apps().create(ADMIN, "Pay", "direct", List.of(), false);
            shopId = shop.app().id();
            payId = pay.app().id();
            payKey = server.platform().keys().create(ADMIN, "app-operator", payId, "pay ops").secret();
            String shopKey = server.platform().keys().create(ADMIN, "app-operator", shopId, "shop ops").secret();
            room = server.platform().rooms().create(ADMIN, "Show", null, List.of(shopId, payId)).id();
            // a real component version (a developer's upload, approved and bound in the shop's instance here) for the
            // calls that come through a component
            String developer = server.platform().components().createDeveloper(ADMIN, "Acme", "second-party").id();
            Principal dev = new Principal("acme", Role.DEVELOPER, developer);
            server.platform().components().create(dev, null, "acme.live", "Live", "plugin");
            server.platform().components().create(dev, null, "acme.card", "Card", "component");
            String plugin = approved(server, dev, "acme.live", io.openlive.server.api.TestBundles.manifest("acme.live", "1.0.0", "plugin",
                    List.of("room:read"), List.of()));
            card = approved(server, dev, "acme.card", io.openlive.server.api.TestBundles.manifest("acme.card", "1.0.0", "component",
                    List.of("product:read", "order:write"), List.of()));
            String instance = server.platform().instances().build(ADMIN, shopId, new io.openlive.engine.platform.InstanceDocument(shopId,
                    new io.openlive.engine.platform.InstanceDocument.Part(plugin, null, null, null, null),
                    List.of(new io.openlive.engine.platform.InstanceDocument.Part(card, null, null, null, null)))).id();
            server.platform().rooms().deliver(ADMIN, room, shopId, instance);
            devKey = server.platform().keys().create(ADMIN, "developer", developer, "acme").secret();
            Product kettle = server.commerce().products().create(ADMIN, Buyers.JSON.readTree(
                    "{\"title\":\"Kettle\",\"price\":2999,\"currency\":\"EUR\",\"stock\":10,\"broadcaster\":\"b\"}"));
            server.commerce().products().attach(ADMIN, room, kettle.id());

            int port = server.httpPort();
            List<Buyers.Buyer> inShop = buyers.join(port, room, shopId, shop.secret(), "s", 3);
            List<Buyers.Buyer> inPay = buyers.join(port, room, payId, pay.secret(), "p", 2);
            ok(inShop.get(0).call("comment.send", Map.of("text", "hi")));
            ok(inShop.get(1).call("comment.send", Map.of("text", "hello")));
            ok(inPay.get(0).call("comment.send", Map.of("text", "hey")));
            ok(inShop.get(2).call("like.send", Map.of("count", 7)));
            ok(inPay.get(1).call("gift.send", Map.of("gift", "rose", "count", 3)));
            // a call forwarded from a component carries its version
            var viaCard = new java.util.concurrent.CompletableFuture<JsonNode>();
            inShop.get(0).onMessage = e -> { if (e.path("id").asLong() == 500) viaCard.complete(e); };
            inShop.get(0).sendRaw("{\"id\":500,\"op\":\"call\",\"method\":\"order.create\",\"params\":{\"productId\":\"" + kettle.id()
                    + "\",\"quantity\":2,\"idempotencyKey\":\"c1\"},\"component\":\"" + card + "\"}");
            assertThat(viaCard.get(10, TimeUnit.SECONDS).path("op").asText()).isEqualTo("result");
            ok(inPay.get(0).call("order.create", Map.of("productId", kettle.id(), "quantity", 1, "idempotencyKey", "p1")));
            ok(inShop.get(1).call("order.create", Map.of("productId", kettle.id(), "quantity", 1, "idempotencyKey", "s2")));

            Rest shopApi = new Rest(port, shopKey);
            JsonNode sale = shopApi.ok("POST", "/rooms/" + room + "/apps/" + shopId + "/sales",
                    Map.of("externalId", "shop-order-9", "quantity", 4, "amount", 1000, "currency", "USD"));
            assertThat(shopApi.ok("POST", "/rooms/" + room + "/apps/" + shopId + "/sales",
                    Map.of("externalId", "shop-order-9", "quantity", 4, "amount", 1000, "currency", "USD")).path("id").asText())
                    .as("reporting again answers the first report").isEqualTo(sale.path("id").asText());
            assertThat(shopApi.send("POST", "/rooms/" + room + "/apps/" + shopId + "/sales",
                    Map.of("externalId", "shop-order-9", "quantity", 5, "amount", 1000, "currency", "USD")).status()).isEqualTo(409);
            assertThat(shopApi.send("POST", "/rooms/" + room + "/apps/" + payId + "/sales",
                    Map.of("externalId", "x", "quantity", 1, "amount", 1, "currency", "USD")).status()).as("another app's sales").isEqualTo(404);
            assertThat(shopApi.send("POST", "/rooms/" + room + "/apps/" + shopId + "/sales",
                    Map.of("externalId", "y", "quantity", -1, "amount", 1, "currency", "USD")).status()).isEqualTo(400);

            Rest admin = new Rest(port, adminKey);
            Eventually.await("every viewer sampled and counted", Duration.ofSeconds(20), () -> {
                server.stats().flush();
                JsonNode s = stats(admin, room);
                return s.path("apps").path(shopId).path("peakViewers").asLong() == 3 && s.path("apps").path(payId).path("peakViewers").asLong() == 2
                        && s.path("total").path("comments").asLong() == 3;
            });
            before = stats(admin, room);
            check(before, shopId, payId, card);

            // the developer sees its version's figures across rooms; a host app it was never delivered to does not
            JsonNode version = new Rest(port, devKey).ok("GET", "/versions/" + card + "/stats", null);
            assertThat(version.path("total").path("calls").asLong()).isEqualTo(1);
            assertThat(version.path("total").path("views").asLong()).isEqualTo(3);
            assertThat(version.path("total").path("orders").asLong()).isEqualTo(1);
            assertThat(version.path("total").path("units").asLong()).isEqualTo(2);
            assertThat(version.path("rooms").path(room).path("sales").path("EUR").asLong()).isEqualTo(2 * 2999);
            // the version is live for the pay app too (direct delivery), which bound no instance here: its share is nothing
            JsonNode payShare = new Rest(port, payKey).ok("GET", "/versions/" + card + "/stats", null);
            assertThat(payShare.path("total").path("views").asLong()).as("%s", payShare).isZero();
            assertThat(payShare.path("total").path("calls").asLong()).isZero();
            assertThat(payShare.path("total").path("orders").asLong()).isZero();

            JsonNode payView = stats(new Rest(port, payKey), room);
            assertThat(payView.path("apps").size()).as("a host app sees only itself").isEqualTo(1);
            assertThat(payView.path("total").path("orders").asLong()).isEqualTo(1);
            assertThat(new Rest(port, payKey).send("GET", "/rooms/" + room + "/stats?step=7", null).status()).isEqualTo(400);

            // Prometheus: order answers by result, a label from a fixed set only
            var metrics = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://127.0.0.1:" + port + "/metrics")).build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            assertThat(metrics).containsPattern("openlive_orders_total\\{result=\"placed\",?\\} 3\\.0")
                    .contains("openlive_orders_waiting").doesNotContain(room);
        } finally {
            server.close();
        }

        OpenliveServer again = OpenliveServer.start(ServerConfig.ephemeral(dir)).await();
        try {
            JsonNode after = stats(new Rest(again.httpPort(), adminKey), room);
            check(after, shopId, payId, card);
            assertThat(after.path("components")).isEqualTo(before.path("components"));
            for (String app : List.of(shopId, payId)) {
                // the viewers kept watching until the server closed: watch time only grows; everything else is the same
                com.fasterxml.jackson.databind.node.ObjectNode a = after.path("apps").path(app).deepCopy();
                com.fasterxml.jackson.databind.node.ObjectNode b = before.path("apps").path(app).deepCopy();
                assertThat(a.remove("watchMillis").asLong()).isGreaterThanOrEqualTo(b.remove("watchMillis").asLong());
                a.remove("averageWatchMillis");
                b.remove("averageWatchMillis");
                assertThat(a).as("app %s after the restart", app).isEqualTo(b);
            }
        } finally {
            again.close();
        }
    }

    private static String approved(OpenliveServer server, Principal dev, String id, String manifest) {
        String v = server.platform().components().upload(dev, id, io.openlive.server.api.TestBundles.zip(
                io.openlive.server.api.TestBundles.files(manifest))).id();
        server.platform().components().submit(dev, v);
        server.platform().review().approve(ADMIN, v, null);
        return v;
    }

    private static void check(JsonNode s, String shop, String pay, String card) {
        JsonNode a = s.path("apps").path(shop);
        JsonNode b = s.path("apps").path(pay);
        assertThat(a.path("uniqueViewers").asLong()).isEqualTo(3);
        assertThat(b.path("uniqueViewers").asLong()).isEqualTo(2);
        assertThat(a.path("comments").asLong()).isEqualTo(2);
        assertThat(b.path("comments").asLong()).isEqualTo(1);
        assertThat(a.path("likes").asLong()).isEqualTo(7);
        assertThat(b.path("gifts").asLong()).isEqualTo(3);
        assertThat(a.path("orders").asLong()).isEqualTo(2);
        assertThat(a.path("units").asLong()).isEqualTo(3);
        assertThat(a.path("sales").path("EUR").asLong()).isEqualTo(3 * 2999);
        assertThat(a.path("sales").path("USD").asLong()).isEqualTo(1000);
        assertThat(a.path("reportedSales").asLong()).isEqualTo(1);
        assertThat(b.path("orders").asLong()).isEqualTo(1);
        assertThat(b.path("sales").path("EUR").asLong()).isEqualTo(2999);
        assertThat(a.path("watchMillis").asLong()).isPositive();
        JsonNode c = s.path("components").path(card);
        assertThat(c.path("calls").asLong()).isEqualTo(1);
        assertThat(c.path("views").asLong()).as("the shop's three viewers; the pay app bound no instance").isEqualTo(3);
        assertThat(c.path("orders").asLong()).isEqualTo(1);
        assertThat(c.path("units").asLong()).isEqualTo(2);
        // the totals are the sum of the apps, figure by figure
        JsonNode total = s.path("total");
        for (String f : List.of("uniqueViewers", "watchMillis", "comments", "likes", "gifts", "orders", "units", "reportedSales")) {
            long sum = 0;
            for (Iterator<JsonNode> it = s.path("apps").elements(); it.hasNext(); ) {
                sum += it.next().path(f).asLong();
            }
            assertThat(total.path(f).asLong()).as("total %s", f).isEqualTo(sum);
        }
        assertThat(total.path("peakViewers").asLong()).isEqualTo(5);
        assertThat(total.path("sales").path("EUR").asLong()).isEqualTo(4 * 2999);
        long seriesPeak = 0;
        for (JsonNode p : s.path("series")) {
            seriesPeak = Math.max(seriesPeak, p.path("viewers").asLong());
        }
        assertThat(seriesPeak).isEqualTo(5);
    }

    private static JsonNode stats(Rest api, String room) {
        try {
            String from = java.time.Instant.now().minus(Duration.ofHours(1)).toString();
            String to = java.time.Instant.now().plus(Duration.ofMinutes(5)).toString();
            return api.ok("GET", "/rooms/" + room + "/stats?from=" + from + "&to=" + to + "&step=60", null);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static void ok(java.util.concurrent.CompletableFuture<JsonNode> call) throws Exception {
        JsonNode e = call.get(10, TimeUnit.SECONDS);
        assertThat(e.path("op").asText()).as("%s", e).isEqualTo("result");
    }
}
