package io.openlive.server.commerce;

import com.fasterxml.jackson.databind.JsonNode;
import io.openlive.engine.commerce.Product;
import io.openlive.engine.platform.HostApps;
import io.openlive.engine.platform.Principal;
import io.openlive.engine.platform.Role;
import io.openlive.server.ServerFixture;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * When the database cannot take an order (here its orders table is gone for a moment, renamed by another connection to
 * the same SQLite file), the buyer hears {@code internal}, nothing is half-written (the stock is untouched), and a
 * retry with the same key once the database is back places the order once.
 */
class OrderFailureTest {
    static final Principal ADMIN = new Principal("test", Role.ADMIN, null);

    @Test
    void aBatchThatCannotCommitAnswersInternalAndLeavesTheStockAsItWas() throws Exception {
        try (ServerFixture fixture = ServerFixture.start(); Buyers buyers = new Buyers();
             Connection side = DriverManager.getConnection("jdbc:sqlite:" + fixture.dataDir.resolve("openlive.db"));
             Statement sql = side.createStatement()) {
            sql.execute("PRAGMA busy_timeout = 10000");
            var commerce = fixture.server.commerce();
            HostApps.WithSecret shop = fixture.server.platform().apps().create(ADMIN, "Shop", "direct", List.of(), false);
            String room = fixture.server.platform().rooms().create(ADMIN, "Sale", null, List.of(shop.app().id())).id();
            Product p = commerce.products().create(ADMIN, Buyers.JSON.readTree(
                    "{\"title\":\"Kettle\",\"price\":2999,\"currency\":\"EUR\",\"stock\":5,\"broadcaster\":\"b\"}"));
            commerce.products().attach(ADMIN, room, p.id());
            Buyers.Buyer b = buyers.join(fixture.server.httpPort(), room, shop.app().id(), shop.secret(), "v", 1).get(0);
            Map<String, Object> order = Map.of("productId", p.id(), "quantity", 2, "idempotencyKey", "k1");

            sql.execute("ALTER TABLE orders RENAME TO orders_away");
            JsonNode failed = b.call("order.create", order).get(30, TimeUnit.SECONDS);
            assertThat(failed.path("error").path("code").asText()).as("%s", failed).isEqualTo("internal");
            sql.execute("ALTER TABLE orders_away RENAME TO orders");
            assertThat(commerce.products().get(ADMIN, p.id()).stock()).as("the stock update was rolled back with the batch").isEqualTo(5);

            JsonNode placed = b.call("order.create", order).get(30, TimeUnit.SECONDS);
            assertThat(placed.path("op").asText()).as("%s", placed).isEqualTo("result");
            JsonNode again = b.call("order.create", order).get(30, TimeUnit.SECONDS);
            assertThat(again.path("result").path("order").path("id").asText()).isEqualTo(placed.path("result").path("order").path("id").asText());
            assertThat(commerce.products().get(ADMIN, p.id()).stock()).isEqualTo(3);
            assertThat(commerce.orders().ofRoom(ADMIN, room, 10)).hasSize(1);
        }
    }
}
