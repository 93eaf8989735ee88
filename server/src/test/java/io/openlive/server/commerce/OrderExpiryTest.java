package io.openlive.server.commerce;

import com.fasterxml.jackson.databind.JsonNode;
import io.openlive.engine.commerce.OrderStatus;
import io.openlive.engine.commerce.Product;
import io.openlive.engine.platform.HostApps;
import io.openlive.engine.platform.Principal;
import io.openlive.engine.platform.Role;
import io.openlive.server.Eventually;
import io.openlive.server.ServerFixture;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Unpaid orders expire on a running node after its order lifetime ({@code --order-ttl}) and give their units back, so
 * a buyer told {@code sold_out} can buy them; a paid order keeps its units.
 */
class OrderExpiryTest {
    static final Principal ADMIN = new Principal("test", Role.ADMIN, null);

    @Test
    void anUnpaidOrderExpiresAndItsUnitsGoBackOnSale() throws Exception {
        try (ServerFixture fixture = ServerFixture.start(c -> c.withOrderTtl(Duration.ofSeconds(2))); Buyers buyers = new Buyers()) {
            var commerce = fixture.server.commerce();
            HostApps.WithSecret shop = fixture.server.platform().apps().create(ADMIN, "Shop", "direct", List.of(), false);
            String room = fixture.server.platform().rooms().create(ADMIN, "Sale", null, List.of(shop.app().id())).id();
            Product p = commerce.products().create(ADMIN, Buyers.JSON.readTree(
                    "{\"title\":\"Kettle\",\"price\":2999,\"currency\":\"EUR\",\"stock\":2,\"broadcaster\":\"b\"}"));
            commerce.products().attach(ADMIN, room, p.id());
            List<Buyers.Buyer> b = buyers.join(fixture.server.httpPort(), room, shop.app().id(), shop.secret(), "v", 3);

            JsonNode unpaid = b.get(0).call("order.create", Map.of("productId", p.id(), "quantity", 1, "idempotencyKey", "a")).get(10, TimeUnit.SECONDS);
            JsonNode paid = b.get(1).call("order.create", Map.of("productId", p.id(), "quantity", 1, "idempotencyKey", "b")).get(10, TimeUnit.SECONDS);
            commerce.orders().paid(ADMIN, paid.path("result").path("order").path("id").asText());
            JsonNode late = b.get(2).call("order.create", Map.of("productId", p.id(), "quantity", 1, "idempotencyKey", "c")).get(10, TimeUnit.SECONDS);
            assertThat(late.path("error").path("code").asText()).isEqualTo("sold_out");

            String unpaidId = unpaid.path("result").path("order").path("id").asText();
            Eventually.await("the unpaid order expired", Duration.ofSeconds(15),
                    () -> commerce.orders().get(ADMIN, unpaidId).status() == OrderStatus.EXPIRED);
            assertThat(commerce.products().get(ADMIN, p.id()).stock()).isEqualTo(1);
            JsonNode again = b.get(2).call("order.create", Map.of("productId", p.id(), "quantity", 1, "idempotencyKey", "d")).get(10, TimeUnit.SECONDS);
            assertThat(again.path("op").asText()).as("%s", again).isEqualTo("result");
            // the expired order's key still answers that order, now expired
            JsonNode replay = b.get(0).call("order.create", Map.of("productId", p.id(), "quantity", 1, "idempotencyKey", "a")).get(10, TimeUnit.SECONDS);
            assertThat(replay.path("result").path("order").path("status").asText()).isEqualTo("expired");
            assertThat(commerce.orders().get(ADMIN, paid.path("result").path("order").path("id").asText()).status()).isEqualTo(OrderStatus.PAID);
        }
    }
}
