package io.openlive.server.commerce;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A flash sale on PostgreSQL whose database crashes ({@code pg_ctl stop -m immediate}) in the middle and comes back:
 * buyers who press buy while it is down are answered with an error and never with an order; once it is back, retries
 * with the same keys place exactly as many orders as there are units, every order acknowledged before the crash is
 * still there and answered again to its key, and stock plus live orders equals the initial stock. The database is a
 * cluster of the test's own (never the shared one); the server runs in a child JVM over real WebSockets.
 */
class FlashSaleDatabaseRestartTest {
    static final int BUYERS_PER_APP = 400;
    static final int UNITS = 100;
    /** Answers a buyer may get while the database is down or recovering: nothing was sold, retry with the same key. */
    static final Set<String> RETRYABLE = Set.of("internal", "busy");

    @Test
    void databaseCrashMidSaleLosesNoAcknowledgedOrderAndSellsNoUnitTwice() throws Exception {
        Path dir = Files.createTempDirectory("openlive-pgrestart");
        try (OwnPostgres pg = OwnPostgres.start(); ChildServer server = ChildServer.start(dir, pg.url); Buyers buyers = new Buyers()) {
            Rest api = new Rest(server.httpPort, server.adminKey);
            List<String> apps = new ArrayList<>();
            Map<String, String> secrets = new HashMap<>();
            for (String name : List.of("Shop", "Pay")) {
                JsonNode app = api.ok("POST", "/apps", Map.of("name", name, "policy", "direct"));
                apps.add(app.path("id").asText());
                secrets.put(app.path("id").asText(), app.path("secret").asText());
            }
            String room = api.ok("POST", "/rooms", Map.of("title", "Sale", "apps", apps)).path("id").asText();
            String productId = api.ok("POST", "/products", Map.of("title", "Kettle", "price", 2999, "currency", "EUR",
                    "stock", UNITS, "broadcaster", "b1")).path("id").asText();
            api.ok("POST", "/rooms/" + room + "/products", Map.of("productId", productId));

            List<Buyers.Buyer> shop = buyers.join(server.httpPort, room, apps.get(0), secrets.get(apps.get(0)), "s", BUYERS_PER_APP);
            List<Buyers.Buyer> pay = buyers.join(server.httpPort, room, apps.get(1), secrets.get(apps.get(1)), "p", BUYERS_PER_APP);
            List<Buyers.Buyer> all = new ArrayList<>();
            for (int i = 0; i < BUYERS_PER_APP; i++) {
                all.add(shop.get(i));
                all.add(pay.get(i));
            }
            Map<Buyers.Buyer, CompletableFuture<JsonNode>> first = new HashMap<>();

            // wave A: the sale starts; the database crashes once the first answers are out
            List<Buyers.Buyer> waveA = all.subList(0, 300);
            AtomicInteger answered = new AtomicInteger();
            CompletableFuture<Void> someAnswered = new CompletableFuture<>();
            for (Buyers.Buyer b : waveA) {
                first.put(b, b.call("order.create", order(productId, b)).whenComplete((a, e) -> {
                    if (answered.incrementAndGet() >= 20) {
                        someAnswered.complete(null);
                    }
                }));
            }
            someAnswered.get(60, TimeUnit.SECONDS);
            pg.crash();

            // wave B: buyers press buy while the database is down: answered, and never with an order
            List<Buyers.Buyer> waveB = all.subList(300, 500);
            for (Buyers.Buyer b : waveB) {
                first.put(b, b.call("order.create", order(productId, b)));
            }
            for (Buyers.Buyer b : waveB) {
                JsonNode a = first.get(b).get(60, TimeUnit.SECONDS);
                assertThat(a.path("op").asText()).as("answer to %s while the database is down: %s", b.viewerId, a).isEqualTo("error");
                assertThat(a.path("error").path("code").asText()).as("%s", a).isIn(RETRYABLE);
            }

            // wave C: the database is back; the rest press buy
            pg.begin();
            for (Buyers.Buyer b : all.subList(500, all.size())) {
                first.put(b, b.call("order.create", order(productId, b)));
            }
            Map<String, String> acknowledged = new HashMap<>();
            Map<Buyers.Buyer, JsonNode> last = new HashMap<>();
            for (Buyers.Buyer b : all) {
                JsonNode a = first.get(b).get(60, TimeUnit.SECONDS);
                last.put(b, a);
                if (a.path("op").asText().equals("result")) {
                    acknowledged.put(b.viewerId, a.path("result").path("order").path("id").asText());
                } else {
                    assertThat(a.path("error").path("code").asText()).as("%s", a).isIn(union(RETRYABLE, "sold_out"));
                }
            }
            assertThat(acknowledged.size()).isLessThanOrEqualTo(UNITS);

            // every buyer retries with the same key until it has an order or hears sold_out
            Map<String, String> orders = new HashMap<>();
            Map<String, Integer> refused = new HashMap<>();
            for (int round = 0; round < 10 && !all.isEmpty(); round++) {
                Map<Buyers.Buyer, CompletableFuture<JsonNode>> retries = new HashMap<>();
                for (Buyers.Buyer b : all) {
                    retries.put(b, b.call("order.create", order(productId, b)));
                }
                List<Buyers.Buyer> again = new ArrayList<>();
                for (Buyers.Buyer b : all) {
                    JsonNode a = retries.get(b).get(60, TimeUnit.SECONDS);
                    String code = a.path("error").path("code").asText();
                    if (a.path("op").asText().equals("result")) {
                        orders.put(b.viewerId, a.path("result").path("order").path("id").asText());
                    } else if (RETRYABLE.contains(code)) {
                        again.add(b);
                    } else {
                        refused.merge(code, 1, Integer::sum);
                    }
                }
                all = again;
            }
            assertThat(all).as("buyers still without an answer after ten rounds").isEmpty();
            acknowledged.forEach((viewer, id) -> assertThat(orders.get(viewer)).as("order acknowledged to %s", viewer).isEqualTo(id));
            assertThat(orders).hasSize(UNITS);
            assertThat(new HashSet<>(orders.values())).hasSize(UNITS);
            assertThat(refused).isEqualTo(Map.of("sold_out", 2 * BUYERS_PER_APP - UNITS));

            // the record: stock never below zero, stock + live orders = the initial stock, the orders are the answered ones
            try (Connection c = DriverManager.getConnection(pg.url); Statement s = c.createStatement()) {
                ResultSet rs = s.executeQuery("SELECT stock FROM products WHERE id = '" + productId + "'");
                assertThat(rs.next()).isTrue();
                long stock = rs.getLong(1);
                assertThat(stock).isZero();
                rs = s.executeQuery("SELECT id, quantity FROM orders WHERE product_id = '" + productId + "' AND status IN ('pending', 'paid')");
                Set<String> stored = new HashSet<>();
                long units = 0;
                while (rs.next()) {
                    stored.add(rs.getString(1));
                    units += rs.getLong(2);
                }
                assertThat(stored).isEqualTo(new HashSet<>(orders.values()));
                assertThat(stock + units).isEqualTo(UNITS);
            }
        }
    }

    private static Set<String> union(Set<String> a, String b) {
        Set<String> s = new HashSet<>(a);
        s.add(b);
        return s;
    }

    private static Map<String, Object> order(String productId, Buyers.Buyer b) {
        return Map.of("productId", productId, "quantity", 1, "idempotencyKey", "key-" + b.viewerId);
    }
}
