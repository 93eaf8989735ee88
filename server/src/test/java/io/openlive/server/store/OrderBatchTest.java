package io.openlive.server.store;

import io.openlive.engine.commerce.Commerce;
import io.openlive.engine.commerce.CommerceCodes;
import io.openlive.engine.commerce.CommerceStore;
import io.openlive.engine.commerce.OrderOutcome;
import io.openlive.engine.commerce.OrderRequest;
import io.openlive.engine.commerce.Product;
import io.openlive.engine.platform.BundleLimits;
import io.openlive.engine.platform.Platform;
import io.openlive.engine.platform.PlatformEvents;
import io.openlive.engine.platform.Principal;
import io.openlive.engine.platform.Role;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Orders that arrive together are placed in one batch (one transaction) whose idempotency keys are looked up in one
 * query per hundred keys: a key that comes twice in one batch still places one order and answers it twice, a key
 * reused with other parameters is refused, and a batch of retries larger than one lookup query answers every order it
 * already placed. The desk is held at a gate so that the orders under test are known to share a batch.
 */
class OrderBatchTest {
    private static final Principal ADMIN = new Principal("admin", Role.ADMIN, null);

    /** A store whose next batch waits at a gate, so that the orders submitted meanwhile queue up for one batch. */
    private static final class GatedStore implements CommerceStore {
        private final CommerceStore store;
        private volatile CountDownLatch gate;
        private volatile CountDownLatch entered;

        GatedStore(CommerceStore store) {
            this.store = store;
        }

        void close() {
            entered = new CountDownLatch(1);
            gate = new CountDownLatch(1);
        }

        void awaitHeld() throws InterruptedException {
            assertThat(entered.await(30, TimeUnit.SECONDS)).as("the desk reached the gate").isTrue();
        }

        void open() {
            CountDownLatch g = gate;
            gate = null;
            g.countDown();
        }

        @Override
        public <T> T transact(Function<Tx, T> work) {
            return store.transact(work);
        }

        @Override
        public <T> List<T> batch(List<Function<Tx, T>> units) {
            CountDownLatch g = gate;
            if (g != null) {
                entered.countDown();
                try {
                    g.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return store.batch(units);
        }
    }

    private record Sale(Commerce commerce, GatedStore gate, String room, String app, Product product) {
        CompletableFuture<OrderOutcome> order(String viewer, int quantity, String key) {
            return commerce.desk().submit(new OrderRequest(room, app, viewer, null, product.id(), quantity, key));
        }

        /** Holds the desk on an order of its own, runs {@code submit}, then lets the desk go: one batch for them all. */
        <T> T inOneBatch(java.util.function.Supplier<T> submit) throws Exception {
            gate.close();
            CompletableFuture<OrderOutcome> holder = order("holder", 1, "hold-" + System.nanoTime());
            gate.awaitHeld();
            T submitted = submit.get();
            gate.open();
            holder.get(30, TimeUnit.SECONDS);
            return submitted;
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void aKeyTwiceInOneBatchPlacesOneOrderAndAnswersItTwice(String database) throws Exception {
        Databases.Fresh fresh = Databases.open(database);
        GatedStore gate = new GatedStore(new JdbcCommerceStore(fresh.db()));
        try (AutoCloseable drop = fresh.drop(); Commerce commerce = commerce(gate)) {
            Sale sale = sale(fresh, commerce, gate, "5");
            List<CompletableFuture<OrderOutcome>> first = new ArrayList<>();
            List<CompletableFuture<OrderOutcome>> again = new ArrayList<>();
            CompletableFuture<OrderOutcome> conflict = sale.inOneBatch(() -> {
                for (int i = 0; i < 10; i++) {
                    first.add(sale.order("v" + i, 1, "k" + i));
                    again.add(sale.order("v" + i, 1, "k" + i));
                }
                return sale.order("v0", 2, "k0");
            });
            // the holder took one unit: four are left for k0..k3, in the order they came
            for (int i = 0; i < 10; i++) {
                OrderOutcome a = first.get(i).get(30, TimeUnit.SECONDS);
                OrderOutcome b = again.get(i).get(30, TimeUnit.SECONDS);
                if (i < 4) {
                    assertThat(a).as("k%d first", i).isInstanceOf(OrderOutcome.Placed.class);
                    assertThat(b).as("k%d again", i).isInstanceOf(OrderOutcome.Placed.class);
                    assertThat(((OrderOutcome.Placed) b).order().id()).isEqualTo(((OrderOutcome.Placed) a).order().id());
                    assertThat(((OrderOutcome.Placed) b).replayed()).isTrue();
                } else {
                    assertThat(code(a)).as("k%d first", i).isEqualTo(CommerceCodes.SOLD_OUT);
                    assertThat(code(b)).as("k%d again", i).isEqualTo(CommerceCodes.SOLD_OUT);
                }
            }
            assertThat(code(conflict.get(30, TimeUnit.SECONDS))).isEqualTo(CommerceCodes.IDEMPOTENCY_CONFLICT);
            assertThat(commerce.products().get(ADMIN, sale.product().id()).stock()).isZero();
            assertThat(commerce.orders().ofRoom(ADMIN, sale.room(), 100)).hasSize(5);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void retriesOfMoreOrdersThanOneLookupQueryAreAllAnsweredWithTheirOrders(String database) throws Exception {
        Databases.Fresh fresh = Databases.open(database);
        GatedStore gate = new GatedStore(new JdbcCommerceStore(fresh.db()));
        try (AutoCloseable drop = fresh.drop(); Commerce commerce = commerce(gate)) {
            Sale sale = sale(fresh, commerce, gate, "null");
            int n = 2 * JdbcCommerceStore.KEYS_PER_QUERY + 50;
            List<String> ids = new ArrayList<>();
            for (CompletableFuture<OrderOutcome> f : sale.inOneBatch(() -> submitAll(sale, n))) {
                ids.add(((OrderOutcome.Placed) f.get(30, TimeUnit.SECONDS)).order().id());
            }
            List<CompletableFuture<OrderOutcome>> retries = sale.inOneBatch(() -> submitAll(sale, n));
            for (int i = 0; i < n; i++) {
                OrderOutcome.Placed p = (OrderOutcome.Placed) retries.get(i).get(30, TimeUnit.SECONDS);
                assertThat(p.replayed()).as("retry %d", i).isTrue();
                assertThat(p.order().id()).as("retry %d", i).isEqualTo(ids.get(i));
            }
            assertThat(commerce.orders().ofRoom(ADMIN, sale.room(), 10_000)).hasSize(n + 2); // and the two holders
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void aBatchAsksForProductsStockAndWebhooksOncePerProductAndAppNotOncePerOrder(String database) throws Exception {
        Databases.Fresh fresh = Databases.open(database);
        RecordingStore counted = new RecordingStore(new JdbcCommerceStore(fresh.db()), 0);
        GatedStore gate = new GatedStore(counted);
        try (AutoCloseable drop = fresh.drop(); Commerce commerce = commerce(gate)) {
            Sale sale = sale(fresh, commerce, gate, "10");
            Platform platform = new Platform(new JdbcPlatformStore(fresh.db()), new FileBundleStore(Files.createTempDirectory("bundles")),
                    Clock.systemUTC(), BundleLimits.defaults(), PlatformEvents.NONE);
            String other = platform.apps().create(ADMIN, "Other shop", "direct", List.of(), false).app().id();
            // the desk takes the room's delivery to the viewer's app as checked (the realtime channel checks it)
            for (String app : List.of(sale.app(), other)) {
                counted.transact(tx -> {
                    tx.putAppSettings(new CommerceStore.AppSettings(app, false, "http://127.0.0.1:9/hook", "secret", java.time.Instant.now()));
                    return null;
                });
            }
            counted.resetCalls();
            List<CompletableFuture<OrderOutcome>> answers = sale.inOneBatch(() -> {
                List<CompletableFuture<OrderOutcome>> out = new ArrayList<>();
                for (int i = 0; i < 200; i++) {
                    out.add(commerce.desk().submit(new OrderRequest(sale.room(), i % 2 == 0 ? sale.app() : other, "v" + i, null,
                            sale.product().id(), 1, "k" + i)));
                }
                return out;
            });
            int placed = 0;
            for (int i = 0; i < answers.size(); i++) {
                OrderOutcome o = answers.get(i).get(30, TimeUnit.SECONDS);
                assertThat(code(o)).as("order %d", i).isEqualTo(i < 9 ? "placed" : CommerceCodes.SOLD_OUT);
                placed += o instanceof OrderOutcome.Placed ? 1 : 0;
            }
            assertThat(placed).isEqualTo(9); // the holder took the first unit
            assertThat(counted.batches()).isEqualTo(2);
            // the holder's batch: one order that writes. The batch of 200: nine orders take a unit, the tenth finds
            // none left (one stock update and one read), and the 190 after it hear sold_out without asking the store
            assertThat(counted.calls("takeStock")).as("stock updates").isEqualTo(1 + 10);
            assertThat(counted.calls("findProduct")).as("product reads").isEqualTo(1 + 2);
            assertThat(counted.calls("attached")).isEqualTo(1 + 1);
            assertThat(counted.calls("findOrdersByKeys")).as("key lookups").isEqualTo(1 + 1);
            assertThat(counted.calls("findOrderByKey")).isZero();
            assertThat(counted.calls("appSettings")).as("webhook settings, once per app and batch").isEqualTo(1 + 2);
            assertThat(counted.calls("insertOrder")).isEqualTo(1 + 9);
            assertThat(counted.calls("insertOutbox")).as("an order.created event per order").isEqualTo(1 + 9);
            assertThat(commerce.products().get(ADMIN, sale.product().id()).stock()).isZero();
            assertThat(commerce.orders().ofRoom(ADMIN, sale.room(), 1000)).hasSize(10);
            int events = counted.transact(tx -> tx.dueOutbox(java.time.Instant.now().plusSeconds(60), 1000)).size();
            assertThat(events).isEqualTo(10);
        }
    }

    /**
     * Round trips to PostgreSQL (counted on the wire: each Sync or simple Query the driver waits on) for a sale's two kinds
     * of batch, after the warm-up: the batch that sells the last units (one order holding the desk, then one batch of 200
     * orders of which nine are placed) and a batch of 200 orders after the product is gone. A placed order costs its
     * savepoint, stock update and order insert; an order that finds the product gone costs nothing of its own.
     */
    @org.junit.jupiter.api.Test
    void aSaleCostsPostgresqlAFewRoundTripsPerBatchAndThreePerPlacedOrder() throws Exception {
        Databases.Fresh fresh = Databases.open("postgresql");
        String schema = fresh.db().transaction(c -> {
            try (var s = c.createStatement(); var rs = s.executeQuery("SELECT current_schema()")) {
                rs.next();
                return rs.getString(1);
            }
        });
        try (AutoCloseable drop = fresh.drop(); PgRoundTrips wire = new PgRoundTrips();
             Database relayed = Database.open(wire.url("user=postgres&currentSchema=" + schema))) {
            GatedStore gate = new GatedStore(new JdbcCommerceStore(relayed).warmUp());
            try (Commerce commerce = commerce(gate)) {
                Sale sale = sale(fresh, commerce, gate, "10");
                long before = wire.roundTrips();
                List<CompletableFuture<OrderOutcome>> selling = sale.inOneBatch(() -> submitAll(sale, 200));
                for (int i = 0; i < 200; i++) {
                    assertThat(code(selling.get(i).get(30, TimeUnit.SECONDS))).isEqualTo(i < 9 ? "placed" : CommerceCodes.SOLD_OUT);
                }
                long sellingOut = wire.roundTrips() - before;
                before = wire.roundTrips();
                List<CompletableFuture<OrderOutcome>> late = sale.inOneBatch(() -> {
                    List<CompletableFuture<OrderOutcome>> out = new ArrayList<>();
                    for (int i = 0; i < 200; i++) {
                        out.add(sale.order("late" + i, 1, "late-" + i));
                    }
                    return out;
                });
                for (CompletableFuture<OrderOutcome> f : late) {
                    assertThat(code(f.get(30, TimeUnit.SECONDS))).isEqualTo(CommerceCodes.SOLD_OUT);
                }
                long soldOut = wire.roundTrips() - before;
                System.out.println("[round trips] selling out (1 + 200 orders, 10 placed): " + sellingOut + "; sold out (1 + 200 orders): " + soldOut);
                // the holder's batch: keys, room and product, savepoint, stock, order, webhook settings, commit (8);
                // the 200: keys, room and product (3), nine times savepoint, stock and order (27), webhook settings (1),
                // the tenth: savepoint, stock and a product read (3), commit (1); and the pool's check of a connection
                // idle for half a second (1 each)
                assertThat(sellingOut).as("round trips while selling out").isLessThanOrEqualTo(8 + 35 + 2);
                // each batch: keys, room and product, commit
                assertThat(soldOut).as("round trips once sold out").isLessThanOrEqualTo(2 * 4 + 2);
            }
        }
    }

    /**
     * Two nodes, one key: node A's batch has placed the order and not yet committed when node B's batch places the same
     * order; B waits for A's row lock, takes a unit, then its order insert meets A's committed key. B's order is undone
     * to its savepoint (the unit it took goes back), run again, and answers A's order.
     */
    @ParameterizedTest
    @ValueSource(strings = {"postgresql"})
    void anOrderPlacedOnAnotherNodeMeanwhileIsAnsweredNotPlacedTwice(String database) throws Exception {
        Databases.Fresh fresh = Databases.open(database);
        RecordingStore slow = new RecordingStore(new JdbcCommerceStore(fresh.db()), 1500);
        RecordingStore fast = new RecordingStore(new JdbcCommerceStore(fresh.db()), 0);
        try (AutoCloseable drop = fresh.drop(); Commerce a = commerce(slow); Commerce b = commerce(fast)) {
            Sale sale = sale(fresh, a, null, "5");
            OrderRequest same = new OrderRequest(sale.room(), sale.app(), "v1", null, sale.product().id(), 1, "the-key");
            CompletableFuture<OrderOutcome> first = a.desk().submit(same);
            Thread.sleep(300); // A's batch has placed the order and holds its transaction open
            CompletableFuture<OrderOutcome> second = b.desk().submit(same);
            OrderOutcome.Placed placed = (OrderOutcome.Placed) first.get(30, TimeUnit.SECONDS);
            OrderOutcome.Placed answered = (OrderOutcome.Placed) second.get(30, TimeUnit.SECONDS);
            assertThat(placed.replayed()).isFalse();
            assertThat(answered.replayed()).as("node B answers node A's order").isTrue();
            assertThat(answered.order().id()).isEqualTo(placed.order().id());
            assertThat(fast.calls("insertOrder")).as("B tried to insert and met the key").isEqualTo(1);
            assertThat(fast.calls("takeStock")).as("B took a unit before it met the key").isEqualTo(1);
            assertThat(a.products().get(ADMIN, sale.product().id()).stock()).as("B's unit went back").isEqualTo(4);
            assertThat(a.orders().ofRoom(ADMIN, sale.room(), 100)).hasSize(1);
        }
    }

    private static List<CompletableFuture<OrderOutcome>> submitAll(Sale sale, int n) {
        List<CompletableFuture<OrderOutcome>> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(sale.order("v" + i, 1, "key-" + i));
        }
        return out;
    }

    private static String code(OrderOutcome o) {
        return o instanceof OrderOutcome.Refused r ? r.code() : "placed";
    }

    private static Commerce commerce(CommerceStore store) {
        return new Commerce(store, Clock.systemUTC(), PlatformEvents.NONE,
                Duration.ofMinutes(10), 1);
    }

    private static Sale sale(Databases.Fresh fresh, Commerce commerce, GatedStore gate, String stock) throws Exception {
        Platform platform = new Platform(new JdbcPlatformStore(fresh.db()), new FileBundleStore(Files.createTempDirectory("bundles")),
                Clock.systemUTC(), BundleLimits.defaults(), PlatformEvents.NONE);
        String app = platform.apps().create(ADMIN, "Shop", "direct", List.of(), false).app().id();
        String room = platform.rooms().create(ADMIN, "Sale", null, List.of(app)).id();
        Product product = commerce.products().create(ADMIN, new com.fasterxml.jackson.databind.ObjectMapper().readTree(
                "{\"title\":\"Kettle\",\"price\":1250,\"currency\":\"EUR\",\"stock\":" + stock + ",\"broadcaster\":\"b1\"}"));
        commerce.products().attach(ADMIN, room, product.id());
        return new Sale(commerce, gate, room, app, product);
    }
}
