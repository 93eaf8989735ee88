package io.openlive.server.commerce;

import com.fasterxml.jackson.databind.JsonNode;
import io.openlive.engine.commerce.Order;
import io.openlive.engine.commerce.Product;
import io.openlive.engine.platform.HostApps;
import io.openlive.engine.platform.InstanceDocument;
import io.openlive.engine.platform.Principal;
import io.openlive.engine.platform.Role;
import io.openlive.server.ServerFixture;
import io.openlive.server.api.TestBundles;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The commerce methods of the realtime channel over real WebSockets: pins reach every app's viewers and
 * {@code product.current}; carts, host-owned carts, order refusals for bad input, other rooms' and other apps'
 * products, replayed keys and limits; the component version recorded on orders; a burst of 10,000 calls from one viewer.
 */
class CommerceRpcTest {
    static final Principal ADMIN = new Principal("test", Role.ADMIN, null);
    static ServerFixture fixture;
    static Buyers buyers;
    static HostApps.WithSecret shop;
    static HostApps.WithSecret pay;
    static String cardVersion;
    static String shopInstance;

    @BeforeAll
    static void start() throws Exception {
        fixture = ServerFixture.start();
        buyers = new Buyers();
        shop = fixture.server.platform().apps().create(ADMIN, "Shop", "direct", List.of(), false);
        pay = fixture.server.platform().apps().create(ADMIN, "Pay", "direct", List.of(), false);
        // a product card bound in the shop's instance, so orders can come through a real component identity
        var platform = fixture.server.platform();
        Principal dev = new Principal("cards", Role.DEVELOPER, platform.components().createDeveloper(ADMIN, "Cards", "second-party").id());
        platform.components().create(dev, null, "cards.live", "Live", "plugin");
        platform.components().create(dev, null, "cards.card", "Card", "component");
        String plugin = approved(dev, "cards.live", TestBundles.manifest("cards.live", "1.0.0", "plugin", List.of("room:read"), List.of()));
        cardVersion = approved(dev, "cards.card", TestBundles.manifest("cards.card", "1.0.0", "component",
                List.of("product:read", "order:write"), List.of()));
        shopInstance = platform.instances().build(ADMIN, shop.app().id(), new InstanceDocument(shop.app().id(),
                new InstanceDocument.Part(plugin, null, null, null, null),
                List.of(new InstanceDocument.Part(cardVersion, null, null, null, null)))).id();
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
        buyers.close();
        fixture.close();
    }

    static String room() {
        String room = fixture.server.platform().rooms().create(ADMIN, "Room", null, List.of(shop.app().id(), pay.app().id())).id();
        fixture.server.platform().rooms().deliver(ADMIN, room, shop.app().id(), shopInstance);
        return room;
    }

    static Product product(String room, String json) throws Exception {
        Product p = fixture.server.commerce().products().create(ADMIN, Buyers.JSON.readTree(json));
        if (room != null) {
            fixture.server.commerce().products().attach(ADMIN, room, p.id());
        }
        return p;
    }

    static Buyers.Buyer join(String room, HostApps.WithSecret app, String viewer) throws Exception {
        return buyers.join(fixture.server.httpPort(), room, app.app().id(), app.secret(), viewer, 1).get(0);
    }

    static JsonNode call(Buyers.Buyer b, String method, Object params) throws Exception {
        return b.call(method, params).get(10, TimeUnit.SECONDS);
    }

    static String error(JsonNode answer) {
        return answer.path("error").path("code").asText(null);
    }

    @Test
    void aPinReachesViewersOfEveryAppAndProductCurrentAnswersIt() throws Exception {
        String room = room();
        Product kettle = product(room, "{\"title\":\"Kettle\",\"price\":2999,\"currency\":\"EUR\",\"stock\":5,\"broadcaster\":\"b\"}");
        Buyers.Buyer a = join(room, shop, "pin-a");
        Buyers.Buyer b = join(room, pay, "pin-b");
        assertThat(call(a, "product.current", Map.of()).path("result").path("product").isNull()).isTrue();
        CompletableFuture<JsonNode> seenA = new CompletableFuture<>();
        CompletableFuture<JsonNode> seenB = new CompletableFuture<>();
        a.onMessage = e -> { if (e.path("topic").asText().equals("product.pin")) seenA.complete(e.path("data")); };
        b.onMessage = e -> { if (e.path("topic").asText().equals("product.pin")) seenB.complete(e.path("data")); };
        a.sendRaw("{\"op\":\"sub\",\"topics\":[\"product.pin\"]}");
        b.sendRaw("{\"op\":\"sub\",\"topics\":[\"product.pin\"]}");
        call(a, "room.info", Map.of()); // answered after the sub: the subscription is in place
        call(b, "room.info", Map.of());
        fixture.server.commerce().products().pin(ADMIN, room, kettle.id());
        for (JsonNode card : List.of(seenA.get(10, TimeUnit.SECONDS), seenB.get(10, TimeUnit.SECONDS))) {
            assertThat(card.path("productId").asText()).isEqualTo(kettle.id());
            assertThat(card.path("price").asLong()).isEqualTo(2999);
            assertThat(card.path("currency").asText()).isEqualTo("EUR");
        }
        JsonNode current = call(b, "product.current", Map.of()).path("result").path("product");
        assertThat(current.path("productId").asText()).isEqualTo(kettle.id());
        assertThat(current.path("stock").asLong()).isEqualTo(5);
    }

    @Test
    void cartsHoldProductsOfTheRoomAndHostCartsAreHandedToTheHostPage() throws Exception {
        String room = room();
        Product kettle = product(room, "{\"title\":\"Kettle\",\"price\":2999,\"currency\":\"EUR\",\"stock\":5,\"perViewerLimit\":3,\"broadcaster\":\"b\"}");
        Product elsewhere = product(room(), "{\"title\":\"Lamp\",\"price\":100,\"currency\":\"EUR\",\"broadcaster\":\"b\"}");
        Buyers.Buyer a = join(room, shop, "cart-a");
        JsonNode added = call(a, "cart.add", Map.of("productId", kettle.id(), "quantity", 2)).path("result");
        assertThat(added.path("items").get(0).path("quantity").asInt()).isEqualTo(2);
        assertThat(added.path("items").get(0).path("amount").asLong()).isEqualTo(5998);
        assertThat(error(call(a, "cart.add", Map.of("productId", kettle.id(), "quantity", 2)))).isEqualTo("limit_reached");
        assertThat(error(call(a, "cart.add", Map.of("productId", elsewhere.id())))).isEqualTo("unavailable");
        assertThat(error(call(a, "cart.add", Map.of("productId", kettle.id(), "quantity", -1)))).isEqualTo("bad_params");
        assertThat(call(a, "cart.get", Map.of()).path("result").path("items")).hasSize(1);
        assertThat(call(a, "cart.remove", Map.of("productId", kettle.id())).path("result").path("items")).isEmpty();

        fixture.server.commerce().carts().putSettings(ADMIN, pay.app().id(), Buyers.JSON.readTree("{\"hostCart\":true}"));
        Buyers.Buyer b = join(room, pay, "cart-b");
        JsonNode handed = call(b, "cart.add", Map.of("productId", kettle.id(), "quantity", 1)).path("result");
        assertThat(handed.path("hostCart").asBoolean()).isTrue();
        assertThat(handed.path("productId").asText()).isEqualTo(kettle.id());
        assertThat(call(b, "cart.get", Map.of()).path("result").path("items")).isEmpty();
    }

    @Test
    void ordersRefuseBadInputOtherRoomsAndAppsReplayedKeysAndLimits() throws Exception {
        String room = room();
        Product kettle = product(room, "{\"title\":\"Kettle\",\"price\":2999,\"currency\":\"EUR\",\"stock\":10,\"perViewerLimit\":2,\"broadcaster\":\"b\"}");
        Product otherRooms = product(room(), "{\"title\":\"Lamp\",\"price\":100,\"currency\":\"EUR\",\"stock\":10,\"broadcaster\":\"b\"}");
        Product payOnly = product(room, "{\"title\":\"Card\",\"price\":500,\"currency\":\"USD\",\"appId\":\"" + pay.app().id() + "\"}");
        Buyers.Buyer a = join(room, shop, "ord-a");
        for (Object q : List.of(0, -3, 10_001, 1.5, "2", Long.MAX_VALUE)) {
            assertThat(error(call(a, "order.create", Map.of("productId", kettle.id(), "quantity", q, "idempotencyKey", "q" + q))))
                    .as("quantity %s", q).isEqualTo("bad_params");
        }
        assertThat(error(call(a, "order.create", Map.of("productId", kettle.id(), "quantity", 1)))).isEqualTo("bad_params");
        assertThat(error(call(a, "order.create", Map.of("productId", kettle.id(), "idempotencyKey", "x".repeat(129))))).isEqualTo("bad_params");
        assertThat(error(call(a, "order.create", Map.of("productId", otherRooms.id(), "idempotencyKey", "o1")))).isEqualTo("unavailable");
        assertThat(error(call(a, "order.create", Map.of("productId", payOnly.id(), "idempotencyKey", "o2")))).isEqualTo("unavailable");
        assertThat(error(call(a, "order.create", Map.of("productId", "prod_nope", "idempotencyKey", "o3")))).isEqualTo("unavailable");
        assertThat(error(call(a, "order.create", Map.of("productId", kettle.id(), "quantity", 3, "idempotencyKey", "o4")))).isEqualTo("limit_reached");

        // a component that is not bound here is refused before any stock moves
        CompletableFuture<JsonNode> forged = new CompletableFuture<>();
        a.onMessage = e -> { if (e.path("id").asLong() == 899) forged.complete(e); };
        a.sendRaw("{\"id\":899,\"op\":\"call\",\"method\":\"order.create\",\"params\":{\"productId\":\"" + kettle.id()
                + "\",\"quantity\":1,\"idempotencyKey\":\"k0\"},\"component\":\"ver_card1\"}");
        assertThat(error(forged.get(10, TimeUnit.SECONDS))).isEqualTo("forbidden");

        // through a component: the order records its version
        long id = 900;
        CompletableFuture<JsonNode> viaComponent = new CompletableFuture<>();
        a.onMessage = e -> { if (e.path("id").asLong() == id) viaComponent.complete(e); };
        a.sendRaw("{\"id\":" + id + ",\"op\":\"call\",\"method\":\"order.create\",\"params\":{\"productId\":\"" + kettle.id()
                + "\",\"quantity\":1,\"idempotencyKey\":\"k1\"},\"component\":\"" + cardVersion + "\"}");
        JsonNode first = viaComponent.get(10, TimeUnit.SECONDS).path("result").path("order");
        assertThat(first.path("amount").asLong()).isEqualTo(2999);
        JsonNode replay = call(a, "order.create", Map.of("productId", kettle.id(), "quantity", 1, "idempotencyKey", "k1")).path("result");
        assertThat(replay.path("order").path("id").asText()).isEqualTo(first.path("id").asText());
        assertThat(error(call(a, "order.create", Map.of("productId", kettle.id(), "quantity", 2, "idempotencyKey", "k1")))).isEqualTo("idempotency_conflict");
        assertThat(error(call(a, "order.create", Map.of("productId", otherRooms.id(), "quantity", 1, "idempotencyKey", "k1")))).isEqualTo("idempotency_conflict");
        assertThat(call(a, "order.create", Map.of("productId", kettle.id(), "quantity", 1, "idempotencyKey", "k2")).path("op").asText()).isEqualTo("result");
        assertThat(error(call(a, "order.create", Map.of("productId", kettle.id(), "quantity", 1, "idempotencyKey", "k3")))).isEqualTo("limit_reached");

        Order stored = fixture.server.commerce().orders().get(ADMIN, first.path("id").asText());
        assertThat(stored.component()).isEqualTo(cardVersion);
        assertThat(stored.appId()).isEqualTo(shop.app().id());
        assertThat(stored.roomId()).isEqualTo(room);
        assertThat(stored.viewerId()).isEqualTo("ord-a-0");
        assertThat(fixture.server.commerce().products().get(ADMIN, kettle.id()).stock()).isEqualTo(8);
    }

    @Test
    void aBurstOfTenThousandOrdersFromOneViewerIsRefusedClearlyAndWritesNothingHalfway() throws Exception {
        String room = room();
        Product kettle = product(room, "{\"title\":\"Kettle\",\"price\":2999,\"currency\":\"EUR\",\"stock\":50,\"perViewerLimit\":5,\"broadcaster\":\"b\"}");
        Buyers.Buyer a = join(room, shop, "burst");
        List<CompletableFuture<JsonNode>> answers = new ArrayList<>();
        for (int i = 0; i < 10_000 && !a.closed.isDone(); i++) {
            answers.add(a.call("order.create", Map.of("productId", kettle.id(), "quantity", 1, "idempotencyKey", "b" + i)));
        }
        Map<String, Integer> outcomes = new HashMap<>();
        for (CompletableFuture<JsonNode> f : answers) {
            try {
                JsonNode e = f.get(30, TimeUnit.SECONDS);
                outcomes.merge(e.path("op").asText().equals("result") ? "ordered" : error(e), 1, Integer::sum);
            } catch (java.util.concurrent.ExecutionException closed) {
                outcomes.merge("unanswered: connection closed", 1, Integer::sum);
            }
        }
        // the first calls within the rate reach the desk; their answers may come after the flood closed the socket
        assertThat(outcomes.getOrDefault("ordered", 0)).as("%s", outcomes).isLessThanOrEqualTo(5);
        assertThat(outcomes.keySet()).as("%s", outcomes).isSubsetOf("ordered", "limit_reached", "rate_limited", "unanswered: connection closed");
        assertThat(outcomes.getOrDefault("rate_limited", 0)).isGreaterThan(1000);
        assertThat(a.closed.get(10, TimeUnit.SECONDS)).as("a flooding viewer is closed").isEqualTo(1008);
        // the calls within the rate are placed up to the viewer's limit, and never beyond it
        io.openlive.server.Eventually.await("the calls within the rate placed", java.time.Duration.ofSeconds(20),
                () -> fixture.server.commerce().orders().ofRoom(ADMIN, room, 1000).size() >= 5);
        List<Order> orders = fixture.server.commerce().orders().ofRoom(ADMIN, room, 1000);
        assertThat(orders).hasSize(5);
        assertThat(fixture.server.commerce().products().get(ADMIN, kettle.id()).stock()).isEqualTo(45);
    }
}
