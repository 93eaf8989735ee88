package io.openlive.server.commerce;

import com.fasterxml.jackson.databind.JsonNode;
import io.openlive.engine.commerce.Order;
import io.openlive.engine.commerce.Product;
import io.openlive.engine.platform.HostApps;
import io.openlive.engine.platform.Principal;
import io.openlive.engine.platform.Role;
import io.openlive.server.ServerFixture;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A flash sale over real WebSockets against a running node: thousands of buyers in two host apps press buy at once on a
 * product with 100 units. Exactly 100 orders succeed, the rest are told {@code sold_out}, every buyer is answered, the
 * stock ends at 0 and never below, and each buyer's retry with the same key gets the same answer. On SQLite, on
 * PostgreSQL, and on two nodes sharing PostgreSQL (each app's buyers on its own node).
 */
class FlashSaleTest {
    static final Principal ADMIN = new Principal("test", Role.ADMIN, null);
    static final int BUYERS_PER_APP = 2500;
    static final int UNITS = 100;

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres", "postgres, two nodes"})
    void exactlyTheUnitsAreSoldAndEveryBuyerIsAnswered(String kind) throws Exception {
        boolean twoNodes = kind.endsWith("two nodes");
        try (Stores db = Stores.of(kind.startsWith("postgres") ? "postgres" : "sqlite");
             ServerFixture fixture = ServerFixture.start(c -> c.withDatabase(db.url));
             ServerFixture other = twoNodes ? ServerFixture.start(c -> c.withDatabase(db.url)) : null;
             Buyers buyers = new Buyers()) {
            ServerFixture second = other != null ? other : fixture;
            var platform = fixture.server.platform();
            var commerce = fixture.server.commerce();
            HostApps.WithSecret shop = platform.apps().create(ADMIN, "Shop", "direct", List.of(), false);
            HostApps.WithSecret pay = platform.apps().create(ADMIN, "Pay", "direct", List.of(), false);
            String room = platform.rooms().create(ADMIN, "Sale", null, List.of(shop.app().id(), pay.app().id())).id();
            Product p = commerce.products().create(ADMIN, Buyers.JSON.readTree(
                    "{\"title\":\"Kettle\",\"price\":2999,\"currency\":\"EUR\",\"stock\":" + UNITS + ",\"perViewerLimit\":1,\"broadcaster\":\"b1\"}"));
            commerce.products().attach(ADMIN, room, p.id());

            // with two nodes on one PostgreSQL, the shop's buyers are on one and the payment app's on the other
            List<Buyers.Buyer> inShop = buyers.join(fixture.server.httpPort(), room, shop.app().id(), shop.secret(), "s", BUYERS_PER_APP);
            List<Buyers.Buyer> inPay = buyers.join(second.server.httpPort(), room, pay.app().id(), pay.secret(), "p", BUYERS_PER_APP);
            List<Buyers.Buyer> all = new ArrayList<>();
            for (int i = 0; i < BUYERS_PER_APP; i++) { // the two apps' buyers press buy interleaved
                all.add(inShop.get(i));
                all.add(inPay.get(i));
            }

            List<CompletableFuture<JsonNode>> answers = new ArrayList<>();
            for (Buyers.Buyer b : all) {
                answers.add(b.call("order.create", Map.of("productId", p.id(), "quantity", 1, "idempotencyKey", "key-" + b.viewerId)));
            }
            CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);

            Map<String, String> orderOf = new HashMap<>();
            Map<String, Integer> codes = new HashMap<>();
            for (int i = 0; i < all.size(); i++) {
                JsonNode a = answers.get(i).join();
                if (a.path("op").asText().equals("result")) {
                    JsonNode order = a.path("result").path("order");
                    assertThat(order.path("status").asText()).isEqualTo("pending");
                    assertThat(order.path("amount").asLong()).isEqualTo(2999);
                    assertThat(order.path("currency").asText()).isEqualTo("EUR");
                    orderOf.put(all.get(i).viewerId, order.path("id").asText());
                } else {
                    codes.merge(a.path("error").path("code").asText(), 1, Integer::sum);
                }
            }
            assertThat(orderOf).as("orders acknowledged").hasSize(UNITS);
            assertThat(new HashSet<>(orderOf.values())).hasSize(UNITS);
            assertThat(codes).as("every other buyer hears sold_out").isEqualTo(Map.of("sold_out", all.size() - UNITS));

            // retries with the same key: the same order for those who got one, sold_out for the rest
            List<CompletableFuture<JsonNode>> retries = new ArrayList<>();
            List<Buyers.Buyer> retried = new ArrayList<>();
            for (int i = 0; i < all.size(); i += 10) {
                retried.add(all.get(i));
            }
            // and the same keys from new connections on the other node, as a buyer whose app reconnected elsewhere
            if (twoNodes) {
                List<Buyers.Buyer> moved = buyers.join(fixture.server.httpPort(), room, pay.app().id(), pay.secret(), "p", 50);
                retried.addAll(moved);
            }
            retried.addAll(all.stream().filter(b -> orderOf.containsKey(b.viewerId)).toList());
            for (Buyers.Buyer b : retried) {
                retries.add(b.call("order.create", Map.of("productId", p.id(), "quantity", 1, "idempotencyKey", "key-" + b.viewerId)));
            }
            CompletableFuture.allOf(retries.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
            for (int i = 0; i < retried.size(); i++) {
                JsonNode a = retries.get(i).join();
                String had = orderOf.get(retried.get(i).viewerId);
                if (had != null) {
                    assertThat(a.path("result").path("order").path("id").asText()).as("retry of %s", retried.get(i).viewerId).isEqualTo(had);
                } else {
                    assertThat(a.path("error").path("code").asText()).isEqualTo("sold_out");
                }
            }

            // the record: 100 orders in the two apps, none beyond the stock, stock at 0
            List<Order> stored = fixture.server.vertx().executeBlocking(() -> commerce.orders().ofRoom(ADMIN, room, 100_000), false)
                    .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            assertThat(stored).hasSize(UNITS);
            Set<String> apps = new HashSet<>();
            stored.forEach(o -> apps.add(o.appId()));
            assertThat(apps).containsExactlyInAnyOrder(shop.app().id(), pay.app().id());
            assertThat(commerce.products().get(ADMIN, p.id()).stock()).isZero();
        }
    }
}
