package io.openlive.server.store;

import io.openlive.engine.commerce.Commerce;
import io.openlive.engine.commerce.Order;
import io.openlive.engine.commerce.OrderOutcome;
import io.openlive.engine.commerce.OrderRequest;
import io.openlive.engine.commerce.OrderStatus;
import io.openlive.engine.commerce.Product;
import io.openlive.engine.platform.BundleLimits;
import io.openlive.engine.platform.Platform;
import io.openlive.engine.platform.PlatformEvents;
import io.openlive.engine.platform.PlatformException;
import io.openlive.engine.platform.Principal;
import io.openlive.engine.platform.Role;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random interleavings of order, retry (same and other parameters), cancel, pay and expiry (a clock the test moves),
 * checked after every step against a model written apart from commerce: stock plus the units of live orders equals the
 * initial stock, the stock matches the model and never goes below zero, every outcome is the one the model predicts,
 * and a key always answers its one order. Seeded; on SQLite and on the real PostgreSQL.
 */
class CommercePropertyTest {
    private static final Principal ADMIN = new Principal("admin", Role.ADMIN, null);
    private static final Duration TTL = Duration.ofMinutes(10);

    /** A clock the test moves forward. */
    private static final class TestClock extends Clock {
        volatile Instant now = Instant.parse("2026-12-01T20:00:00Z");

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private record Placed(String key, String appId, String viewer, int quantity, String orderId) {
    }

    private int placed;
    private int cancelled;
    private int paid;
    private int expired;
    private int soldOut;
    private int limited;

    @ParameterizedTest(name = "{0} seeds {1}..{2}")
    @CsvSource({"sqlite, 1, 10", "postgresql, 101, 104"})
    void conservationAndIdempotencyHoldUnderRandomInterleavings(String database, int firstSeed, int lastSeed) throws Exception {
        for (int seed = firstSeed; seed <= lastSeed; seed++) {
            Databases.Fresh fresh = Databases.open(database);
            TestClock clock = new TestClock();
            try (AutoCloseable drop = fresh.drop();
                 Commerce commerce = new Commerce(new JdbcCommerceStore(fresh.db()), clock, PlatformEvents.NONE, TTL, 1)) {
                Platform platform = new Platform(new JdbcPlatformStore(fresh.db()), new FileBundleStore(Files.createTempDirectory("bundles")),
                        clock, BundleLimits.defaults(), PlatformEvents.NONE);
                run(seed, platform, commerce, clock);
            }
        }
        assertThat(placed).as("orders placed").isGreaterThan(50);
        assertThat(cancelled).as("cancelled").isGreaterThan(5);
        assertThat(paid).as("paid").isGreaterThan(5);
        assertThat(expired).as("expired").isGreaterThan(5);
        assertThat(soldOut).as("sold out").isGreaterThan(5);
        assertThat(limited).as("limit reached").isGreaterThan(5);
    }

    private void run(int seed, Platform platform, Commerce commerce, TestClock clock) throws Exception {
        Random random = new Random(seed);
        String shop = platform.apps().create(ADMIN, "Shop", "direct", List.of(), false).app().id();
        String pay = platform.apps().create(ADMIN, "Pay", "direct", List.of(), false).app().id();
        String room = platform.rooms().create(ADMIN, "Sale", null, List.of(shop, pay)).id();
        long initial = 5 + random.nextInt(10);
        int limit = 2 + random.nextInt(3);
        Product product = commerce.products().create(ADMIN, new com.fasterxml.jackson.databind.ObjectMapper().readTree(
                "{\"title\":\"Kettle\",\"price\":1250,\"currency\":\"EUR\",\"stock\":" + initial + ",\"perViewerLimit\":" + limit
                        + ",\"broadcaster\":\"b1\"}"));
        commerce.products().attach(ADMIN, room, product.id());

        long stock = initial;
        Map<String, OrderStatus> status = new HashMap<>();
        Map<String, Integer> quantityOf = new HashMap<>();
        Map<String, Placed> byKey = new HashMap<>();
        List<Placed> keys = new ArrayList<>();
        List<String> apps = List.of(shop, pay);
        String[] viewers = {"v1", "v2", "v3"};
        String ctx = "seed " + seed;

        for (int step = 0; step < 120; step++) {
            int op = random.nextInt(100);
            if (op < 45 || keys.isEmpty()) {
                String app = apps.get(random.nextInt(2));
                String viewer = viewers[random.nextInt(viewers.length)];
                int q = 1 + random.nextInt(3);
                String key = "k" + step;
                long live = status.entrySet().stream().filter(e -> e.getValue().live())
                        .filter(e -> byOrder(keys, e.getKey()).appId().equals(app) && byOrder(keys, e.getKey()).viewer().equals(viewer))
                        .mapToLong(e -> quantityOf.get(e.getKey())).sum();
                String expected = q > limit ? "limit_reached" : stock < q ? "sold_out" : live + q > limit ? "limit_reached" : "placed";
                OrderOutcome outcome = commerce.desk().submit(new OrderRequest(room, app, viewer, null, product.id(), q, key)).get(30, TimeUnit.SECONDS);
                assertThat(name(outcome)).as("%s step %d: order %d of %s/%s (stock %d, live %d, limit %d)", ctx, step, q, app, viewer, stock, live, limit)
                        .isEqualTo(expected);
                if (outcome instanceof OrderOutcome.Placed p) {
                    Placed record = new Placed(key, app, viewer, q, p.order().id());
                    keys.add(record);
                    byKey.put(key, record);
                    status.put(p.order().id(), OrderStatus.PENDING);
                    quantityOf.put(p.order().id(), q);
                    stock -= q;
                    placed++;
                } else {
                    soldOut += expected.equals("sold_out") ? 1 : 0;
                    limited += expected.equals("limit_reached") ? 1 : 0;
                }
            } else if (op < 60) {
                Placed k = keys.get(random.nextInt(keys.size()));
                boolean same = random.nextBoolean();
                int q = same ? k.quantity() : k.quantity() % 3 + 1;
                OrderOutcome outcome = commerce.desk().submit(new OrderRequest(room, k.appId(), k.viewer(), null, product.id(), q, k.key()))
                        .get(30, TimeUnit.SECONDS);
                if (same) {
                    assertThat(outcome).as("%s step %d: retry of %s", ctx, step, k.key()).isInstanceOf(OrderOutcome.Placed.class);
                    assertThat(((OrderOutcome.Placed) outcome).order().id()).isEqualTo(k.orderId());
                    assertThat(((OrderOutcome.Placed) outcome).order().status()).isEqualTo(status.get(k.orderId()));
                } else {
                    assertThat(name(outcome)).as("%s step %d: replay of %s with quantity %d", ctx, step, k.key(), q).isEqualTo("idempotency_conflict");
                }
            } else if (op < 75) {
                Placed k = keys.get(random.nextInt(keys.size()));
                OrderStatus before = status.get(k.orderId());
                try {
                    Order o = commerce.cancel(ADMIN, k.orderId());
                    assertThat(before.live()).as("%s step %d: cancel of a %s order", ctx, step, before).isTrue();
                    assertThat(o.status()).isEqualTo(OrderStatus.CANCELLED);
                    status.put(k.orderId(), OrderStatus.CANCELLED);
                    stock += k.quantity();
                    cancelled++;
                } catch (PlatformException e) {
                    assertThat(before.live()).as("%s step %d: cancel refused for a %s order", ctx, step, before).isFalse();
                }
            } else if (op < 90) {
                Placed k = keys.get(random.nextInt(keys.size()));
                OrderStatus before = status.get(k.orderId());
                try {
                    commerce.orders().paid(ADMIN, k.orderId());
                    assertThat(before).as("%s step %d: paid", ctx, step).isEqualTo(OrderStatus.PENDING);
                    status.put(k.orderId(), OrderStatus.PAID);
                    paid++;
                } catch (PlatformException e) {
                    assertThat(before).isNotEqualTo(OrderStatus.PENDING);
                }
            } else {
                // time passes: a little, or past the lifetime of every order placed so far
                Duration by = random.nextBoolean() ? Duration.ofMinutes(1 + random.nextInt(5)) : TTL.plusSeconds(1);
                clock.now = clock.now.plus(by);
                commerce.expireDue();
                for (Placed k : keys) {
                    Order o = commerce.orders().get(ADMIN, k.orderId());
                    if (status.get(k.orderId()) == OrderStatus.PENDING && !o.expiresAt().isAfter(clock.now)) {
                        status.put(k.orderId(), OrderStatus.EXPIRED);
                        stock += k.quantity();
                        expired++;
                    }
                    assertThat(o.status()).as("%s step %d: %s", ctx, step, k.orderId()).isEqualTo(status.get(k.orderId()));
                }
            }
            long stored = commerce.products().get(ADMIN, product.id()).stock();
            long liveUnits = commerce.orders().ofRoom(ADMIN, room, 10_000).stream().filter(o -> o.status().live()).mapToLong(Order::quantity).sum();
            assertThat(stored).as("%s step %d: stock", ctx, step).isEqualTo(stock).isGreaterThanOrEqualTo(0);
            assertThat(stored + liveUnits).as("%s step %d: stock + live orders", ctx, step).isEqualTo(initial);
        }
    }

    private static Placed byOrder(List<Placed> keys, String orderId) {
        return keys.stream().filter(k -> k.orderId().equals(orderId)).findFirst().orElseThrow();
    }

    private static String name(OrderOutcome o) {
        return switch (o) {
            case OrderOutcome.Placed p -> p.replayed() ? "replayed" : "placed";
            case OrderOutcome.Refused r -> r.code();
        };
    }
}
