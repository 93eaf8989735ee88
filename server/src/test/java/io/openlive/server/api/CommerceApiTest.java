package io.openlive.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.openlive.engine.commerce.OrderOutcome;
import io.openlive.engine.commerce.OrderRequest;
import io.openlive.server.ServerFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The commerce REST API against a running node, every answer checked against {@code openapi.yaml}: products by
 * broadcasters and host app operators and who may see them, attaching and pinning, bad input, order payment and
 * cancellation by the order's host app only, a room's orders paged for its owner and per host app, app commerce settings
 * with a secret shown once, and the audit trail.
 */
class CommerceApiTest {
    static ServerFixture fixture;
    static ApiClient api;
    static String admin;

    @BeforeAll
    static void start() throws Exception {
        fixture = ServerFixture.start();
        api = new ApiClient(fixture.http(""));
        admin = fixture.server.platform().keys().bootstrapAdmin().orElseThrow();
    }

    @AfterAll
    static void stop() throws Exception {
        fixture.close();
    }

    static String key(String role, String scope) {
        Map<String, String> body = new HashMap<>(Map.of("role", role));
        if (scope != null) {
            body.put("scope", scope);
        }
        return ok(api.call("key.create", admin, Map.of(), body), 201).text("key");
    }

    static ApiClient.Response ok(ApiClient.Response r, int status) {
        assertThat(r.status()).as("%s", r.body()).isEqualTo(status);
        return r;
    }

    static void refused(ApiClient.Response r, int status, String code) {
        assertThat(r.status()).as("%s", r.body()).isEqualTo(status);
        assertThat(r.errorCode()).as("%s", r.body()).isEqualTo(code);
    }

    static Map<String, Object> kettle(Object stock) {
        Map<String, Object> m = new HashMap<>(Map.of("title", "Kettle", "price", 2999, "currency", "EUR", "image", "https://img.example.com/k.png"));
        m.put("stock", stock);
        return m;
    }

    @Test
    void productsBelongToTheirTenantAndPinsTakeAProductAttachedToTheRoom() throws Exception {
        String shop = ok(api.call("app.create", admin, Map.of(), Map.of("name", "Shop", "policy", "direct")), 201).text("id");
        String pay = ok(api.call("app.create", admin, Map.of(), Map.of("name", "Pay", "policy", "direct")), 201).text("id");
        String shopOp = key("app-operator", shop);
        String payOp = key("app-operator", pay);
        String mia = key("broadcaster", "mia");
        String leo = key("broadcaster", "leo");
        String reviewer = key("reviewer", null);

        ApiClient.Response created = ok(api.call("product.create", mia, Map.of(), kettle(100)), 201);
        String miaKettle = created.text("id");
        assertThat(created.body().path("owner").path("kind").asText()).isEqualTo("broadcaster");
        assertThat(created.body().path("owner").path("id").asText()).isEqualTo("mia");
        assertThat(created.body().path("stock").asLong()).isEqualTo(100);
        String shopMug = ok(api.call("product.create", shopOp, Map.of(), Map.of("title", "Mug", "price", 900, "currency", "USD")), 201).text("id");
        assertThat(ok(api.call("product.get", shopOp, Map.of("productId", shopMug), null), 200).body().path("stock").isNull()).isTrue();

        // other tenants' products do not exist for the caller, whatever the verb
        refused(api.call("product.get", leo, Map.of("productId", miaKettle), null), 404, "PRODUCT_NOT_FOUND");
        refused(api.call("product.get", payOp, Map.of("productId", shopMug), null), 404, "PRODUCT_NOT_FOUND");
        refused(api.call("product.update", payOp, Map.of("productId", shopMug), Map.of("price", 1)), 404, "PRODUCT_NOT_FOUND");
        refused(api.call("product.create", reviewer, Map.of(), kettle(1)), 403, "FORBIDDEN");
        ok(api.call("product.get", admin, Map.of("productId", shopMug), null), 200);

        // bad input: clear 400s, nothing stored
        refused(api.call("product.create", mia, Map.of(), Map.of("title", "X", "price", -1, "currency", "EUR")), 400, "INVALID_PRICE");
        refused(api.call("product.create", mia, Map.of(), Map.of("title", "X", "price", 1_000_000_000_001L, "currency", "EUR")), 400, "INVALID_PRICE");
        refused(api.call("product.create", mia, Map.of(), Map.of("title", "X", "price", 1.5, "currency", "EUR")), 400, "INVALID_PRICE");
        refused(api.call("product.create", mia, Map.of(), Map.of("title", "X", "price", "12", "currency", "EUR")), 400, "INVALID_PRICE");
        refused(api.call("product.create", mia, Map.of(), Map.of("title", "X", "price", 1, "currency", "EURO")), 400, "INVALID_CURRENCY");
        refused(api.call("product.create", mia, Map.of(), Map.of("title", "X", "price", 1, "currency", "XYZ")), 400, "INVALID_CURRENCY");
        refused(api.call("product.create", mia, Map.of(), Map.of("title", "", "price", 1, "currency", "EUR")), 400, "INVALID_TITLE");
        refused(api.call("product.create", mia, Map.of(), kettle(-5)), 400, "INVALID_STOCK");
        refused(api.call("product.create", mia, Map.of(), kettle(99_999_999_999L)), 400, "INVALID_STOCK");
        Map<String, Object> badLimit = kettle(5);
        badLimit.put("perViewerLimit", 0);
        refused(api.call("product.create", mia, Map.of(), badLimit), 400, "INVALID_LIMIT");
        Map<String, Object> badImage = kettle(5);
        badImage.put("image", "javascript:alert(1)");
        refused(api.call("product.create", mia, Map.of(), badImage), 400, "INVALID_IMAGE");
        Map<String, Object> stray = kettle(5);
        stray.put("owner", "leo");
        refused(api.call("product.create", mia, Map.of(), stray), 400, "INVALID_BODY");
        refused(api.call("product.create", admin, Map.of(), kettle(5)), 400, "INVALID_BODY"); // an admin names the owner

        // rooms: Mia's room is delivered to the shop only
        String room = ok(api.call("room.create", mia, Map.of(), Map.of("title", "Friday", "apps", List.of(shop))), 201).text("id");
        String leoRoom = ok(api.call("room.create", leo, Map.of(), Map.of("title", "Leo's")), 201).text("id");
        refused(api.call("room.pin", mia, Map.of("roomId", room), Map.of("productId", miaKettle)), 400, "PRODUCT_NOT_IN_ROOM");
        JsonNode items = ok(api.call("room.product.attach", mia, Map.of("roomId", room), Map.of("productId", miaKettle)), 200).body();
        assertThat(items.path("items")).hasSize(1);
        ok(api.call("room.product.attach", shopOp, Map.of("roomId", room), Map.of("productId", shopMug)), 200);
        refused(api.call("room.product.attach", payOp, Map.of("roomId", room), Map.of("productId", shopMug)), 404, "ROOM_NOT_FOUND");
        refused(api.call("room.product.attach", mia, Map.of("roomId", leoRoom), Map.of("productId", miaKettle)), 404, "ROOM_NOT_FOUND");
        refused(api.call("room.product.attach", leo, Map.of("roomId", leoRoom), Map.of("productId", miaKettle)), 404, "PRODUCT_NOT_FOUND");
        refused(api.call("room.product.attach", mia, Map.of("roomId", room), Map.of()), 400, "INVALID_BODY");

        JsonNode card = ok(api.call("room.pin", mia, Map.of("roomId", room), Map.of("productId", miaKettle)), 200).body();
        assertThat(card.path("title").asText()).isEqualTo("Kettle");
        assertThat(card.path("currency").asText()).isEqualTo("EUR");
        assertThat(card.path("stock").asLong()).isEqualTo(100);
        refused(api.call("room.pin", leo, Map.of("roomId", room), Map.of("productId", miaKettle)), 404, "ROOM_NOT_FOUND");
        refused(api.call("room.pin", mia, Map.of("roomId", room), Map.of("productId", "prod_nope")), 400, "PRODUCT_NOT_IN_ROOM");
        assertThat(fixture.server.commerce().products().current(room).path("product").path("productId").asText()).isEqualTo(miaKettle);

        // PATCH: restock, deactivate; the owner cannot change
        JsonNode patched = ok(api.call("product.update", mia, Map.of("productId", miaKettle), Map.of("stock", 7, "price", 2499)), 200).body();
        assertThat(patched.path("stock").asLong()).isEqualTo(7);
        assertThat(patched.path("price").asLong()).isEqualTo(2499);
        refused(api.call("product.update", mia, Map.of("productId", miaKettle), Map.of("broadcaster", "leo")), 400, "INVALID_BODY");
        refused(api.call("product.update", mia, Map.of("productId", miaKettle), Map.of("active", "no")), 400, "INVALID_BODY");

        var audit = fixture.server.platform().audit().list(io.openlive.engine.platform.Principal.localOperator(), null, null,
                io.openlive.engine.platform.Page.Request.of(200, null)).items();
        assertThat(audit).extracting(io.openlive.engine.platform.AuditEntry::action)
                .contains("product.create", "product.update", "room.product.attach", "room.pin");
    }

    @Test
    void onlyTheOrdersHostAppSettlesItAndSettlingTwiceConflicts() throws Exception {
        String shop = ok(api.call("app.create", admin, Map.of(), Map.of("name", "Shop", "policy", "direct")), 201).text("id");
        String pay = ok(api.call("app.create", admin, Map.of(), Map.of("name", "Pay", "policy", "direct")), 201).text("id");
        String shopOp = key("app-operator", shop);
        String payOp = key("app-operator", pay);
        String mia = key("broadcaster", "mia2");
        String room = ok(api.call("room.create", mia, Map.of(), Map.of("title", "Sale", "apps", List.of(shop, pay))), 201).text("id");
        String product = ok(api.call("product.create", mia, Map.of(), kettle(3)), 201).text("id");
        ok(api.call("room.product.attach", mia, Map.of("roomId", room), Map.of("productId", product)), 200);

        var desk = fixture.server.commerce().desk();
        OrderOutcome placed = desk.submit(new OrderRequest(room, shop, "u1", null, product, 2, "k1")).get(10, TimeUnit.SECONDS);
        String orderId = ((OrderOutcome.Placed) placed).order().id();

        refused(api.call("order.paid", payOp, Map.of("orderId", orderId), null), 404, "ORDER_NOT_FOUND");
        refused(api.call("order.cancel", mia, Map.of("orderId", orderId), null), 404, "ORDER_NOT_FOUND");
        JsonNode got = ok(api.call("order.get", shopOp, Map.of("orderId", orderId), null), 200).body();
        assertThat(got.path("amount").asLong()).isEqualTo(2 * 2999);
        assertThat(got.path("viewerId").asText()).isEqualTo("u1");
        assertThat(ok(api.call("order.paid", shopOp, Map.of("orderId", orderId), null), 200).body().path("status").asText()).isEqualTo("paid");
        refused(api.call("order.paid", shopOp, Map.of("orderId", orderId), null), 409, "ORDER_PAID");
        assertThat(ok(api.call("product.get", mia, Map.of("productId", product), null), 200).body().path("stock").asLong()).isEqualTo(1);
        assertThat(ok(api.call("order.cancel", shopOp, Map.of("orderId", orderId), null), 200).body().path("status").asText()).isEqualTo("cancelled");
        refused(api.call("order.cancel", shopOp, Map.of("orderId", orderId), null), 409, "ORDER_CANCELLED");
        assertThat(ok(api.call("product.get", mia, Map.of("productId", product), null), 200).body().path("stock").asLong()).isEqualTo(3);
        refused(api.call("order.get", shopOp, Map.of("orderId", "ord_nope"), null), 404, "ORDER_NOT_FOUND");
    }

    @Test
    void aRoomsOrdersArePagedForItsOwnerAndEachHostAppSeesItsOwn() throws Exception {
        String shop = ok(api.call("app.create", admin, Map.of(), Map.of("name", "Shop", "policy", "direct")), 201).text("id");
        String pay = ok(api.call("app.create", admin, Map.of(), Map.of("name", "Pay", "policy", "direct")), 201).text("id");
        String elsewhere = ok(api.call("app.create", admin, Map.of(), Map.of("name", "Elsewhere", "policy", "direct")), 201).text("id");
        String shopOp = key("app-operator", shop);
        String payOp = key("app-operator", pay);
        String elsewhereOp = key("app-operator", elsewhere);
        String mia = key("broadcaster", "mia3");
        String leo = key("broadcaster", "leo3");
        String room = ok(api.call("room.create", mia, Map.of(), Map.of("title", "Sale", "apps", List.of(shop, pay))), 201).text("id");
        String product = ok(api.call("product.create", mia, Map.of(), kettle(100)), 201).text("id");
        ok(api.call("room.product.attach", mia, Map.of("roomId", room), Map.of("productId", product)), 200);
        var desk = fixture.server.commerce().desk();
        List<String> placed = new java.util.ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String app = i < 3 ? shop : pay;
            OrderOutcome o = desk.submit(new OrderRequest(room, app, "u" + i, null, product, 1, "k" + i)).get(10, TimeUnit.SECONDS);
            placed.add(((OrderOutcome.Placed) o).order().id());
        }

        // the owner pages through every app's orders, oldest first
        List<String> seen = new java.util.ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            JsonNode page = ok(api.call("room.orders", mia, Map.of("roomId", room), "?limit=2" + (cursor == null ? "" : "&cursor=" + cursor), null), 200).body();
            page.path("items").forEach(o -> seen.add(o.path("id").asText()));
            cursor = page.path("next").isTextual() ? page.path("next").asText() : null;
            pages++;
        } while (cursor != null && pages < 10);
        assertThat(pages).isEqualTo(3);
        assertThat(seen).containsExactlyElementsOf(placed);
        assertThat(ok(api.call("room.orders", admin, Map.of("roomId", room), null), 200).body().path("items")).hasSize(5);

        // each host app: its own orders only; a host app the room is not delivered to, another broadcaster: no room
        JsonNode shops = ok(api.call("room.orders", shopOp, Map.of("roomId", room), null), 200).body();
        assertThat(shops.path("items")).hasSize(3).allSatisfy(o -> assertThat(o.path("appId").asText()).isEqualTo(shop));
        assertThat(shops.path("next").isNull() || shops.path("next").isMissingNode()).isTrue();
        JsonNode pays = ok(api.call("room.orders", payOp, Map.of("roomId", room), null), 200).body();
        assertThat(pays.path("items")).extracting(o -> o.path("id").asText()).containsExactlyElementsOf(placed.subList(3, 5));
        refused(api.call("room.orders", elsewhereOp, Map.of("roomId", room), null), 404, "ROOM_NOT_FOUND");
        refused(api.call("room.orders", leo, Map.of("roomId", room), null), 404, "ROOM_NOT_FOUND");
        refused(api.call("room.orders", mia, Map.of("roomId", "r_nope"), null), 404, "ROOM_NOT_FOUND");
        refused(api.call("room.orders", mia, Map.of("roomId", room), "?limit=0", null), 400, "INVALID_LIMIT");
        refused(api.call("room.orders", mia, Map.of("roomId", room), "?cursor=-3", null), 400, "INVALID_CURSOR");
    }

    @Test
    void appCommerceSettingsShowTheWebhookSecretOnceAndOnlyToTheirOperator() {
        String shop = ok(api.call("app.create", admin, Map.of(), Map.of("name", "Shop", "policy", "direct")), 201).text("id");
        String other = ok(api.call("app.create", admin, Map.of(), Map.of("name", "Other", "policy", "direct")), 201).text("id");
        String shopOp = key("app-operator", shop);
        String otherOp = key("app-operator", other);
        JsonNode initial = ok(api.call("app.commerce.get", shopOp, Map.of("appId", shop), null), 200).body();
        assertThat(initial.path("hostCart").asBoolean()).isFalse();
        JsonNode set = ok(api.call("app.commerce.update", shopOp, Map.of("appId", shop),
                Map.of("hostCart", true, "webhookUrl", "http://127.0.0.1:9/hook")), 200).body();
        assertThat(set.path("webhookSecret").asText()).startsWith("whsec_");
        JsonNode again = ok(api.call("app.commerce.get", shopOp, Map.of("appId", shop), null), 200).body();
        assertThat(again.has("webhookSecret")).isFalse();
        assertThat(again.path("hostCart").asBoolean()).isTrue();
        JsonNode unchanged = ok(api.call("app.commerce.update", shopOp, Map.of("appId", shop), Map.of("hostCart", false)), 200).body();
        assertThat(unchanged.has("webhookSecret")).as("the secret is not shown again").isFalse();
        refused(api.call("app.commerce.get", otherOp, Map.of("appId", shop), null), 404, "APP_NOT_FOUND");
        refused(api.call("app.commerce.update", shopOp, Map.of("appId", shop), Map.of("webhookUrl", "ftp://x")), 400, "INVALID_WEBHOOK_URL");
    }
}
