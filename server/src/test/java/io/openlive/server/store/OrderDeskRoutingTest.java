package io.openlive.server.store;

import io.openlive.engine.commerce.Commerce;
import io.openlive.engine.commerce.CommerceCodes;
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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The order desk with several workers on a real database: orders of many products arrive at once from several threads,
 * and every batch is held a moment before its commit so that batches overlap in time. Still, no product is ever in two
 * batches at once (so no worker waits for another's row lock), each product's orders are all placed by one worker, the
 * work is spread over more than one worker, and every product sells exactly its units.
 */
class OrderDeskRoutingTest {
    private static final Principal ADMIN = new Principal("admin", Role.ADMIN, null);
    private static final int WORKERS = 4;
    private static final int PRODUCTS = 12;
    private static final int UNITS = 5;
    private static final int BUYERS_PER_PRODUCT = 40;

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void noProductIsEverInTwoWorkersBatchesAtOnce(String database) throws Exception {
        Databases.Fresh fresh = Databases.open(database);
        RecordingStore store = new RecordingStore(new JdbcCommerceStore(fresh.db()), 15);
        ExecutorService buyers = Executors.newFixedThreadPool(4);
        try (AutoCloseable drop = fresh.drop();
             Commerce commerce = new Commerce(store, Clock.systemUTC(), PlatformEvents.NONE, Duration.ofMinutes(10), WORKERS)) {
            Platform platform = new Platform(new JdbcPlatformStore(fresh.db()), new FileBundleStore(Files.createTempDirectory("bundles")),
                    Clock.systemUTC(), BundleLimits.defaults(), PlatformEvents.NONE);
            String app = platform.apps().create(ADMIN, "Shop", "direct", List.of(), false).app().id();
            String room = platform.rooms().create(ADMIN, "Sale", null, List.of(app)).id();
            List<String> products = new ArrayList<>();
            for (int i = 0; i < PRODUCTS; i++) {
                Product p = commerce.products().create(ADMIN, new com.fasterxml.jackson.databind.ObjectMapper().readTree(
                        "{\"title\":\"P" + i + "\",\"price\":100,\"currency\":\"EUR\",\"stock\":" + UNITS + ",\"broadcaster\":\"b1\"}"));
                commerce.products().attach(ADMIN, room, p.id());
                products.add(p.id());
            }
            // four threads submit at once, each walking over every product, so every queue fills with several products
            List<Future<List<CompletableFuture<OrderOutcome>>>> submitted = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                submitted.add(buyers.submit(() -> {
                    List<CompletableFuture<OrderOutcome>> answers = new ArrayList<>();
                    for (int n = thread; n < PRODUCTS * BUYERS_PER_PRODUCT; n += 4) {
                        String product = products.get(n % PRODUCTS);
                        answers.add(commerce.desk().submit(new OrderRequest(room, app, "v" + n, null, product, 1, "k" + n)));
                    }
                    return answers;
                }));
            }
            Map<String, Integer> placed = new java.util.HashMap<>();
            int soldOut = 0;
            for (Future<List<CompletableFuture<OrderOutcome>>> f : submitted) {
                for (CompletableFuture<OrderOutcome> a : f.get(60, TimeUnit.SECONDS)) {
                    OrderOutcome o = a.get(60, TimeUnit.SECONDS);
                    if (o instanceof OrderOutcome.Placed p) {
                        placed.merge(p.order().productId(), 1, Integer::sum);
                    } else {
                        assertThat(((OrderOutcome.Refused) o).code()).isEqualTo(CommerceCodes.SOLD_OUT);
                        soldOut++;
                    }
                }
            }
            assertThat(store.overlaps()).as("a product in two batches at once").isZero();
            Set<String> workers = new HashSet<>();
            for (String product : products) {
                assertThat(store.threadsOf().get(product)).as("workers that placed orders of %s", product).hasSize(1);
                workers.addAll(store.threadsOf().get(product));
                assertThat(placed.get(product)).as("orders of %s", product).isEqualTo(UNITS);
                assertThat(commerce.products().get(ADMIN, product).stock()).isZero();
            }
            assertThat(workers).as("workers used for %d products", PRODUCTS).hasSizeGreaterThan(1);
            assertThat(soldOut).isEqualTo(PRODUCTS * (BUYERS_PER_PRODUCT - UNITS));
            assertThat(commerce.orders().ofRoom(ADMIN, room, 10_000)).hasSize(PRODUCTS * UNITS);
        } finally {
            buyers.shutdownNow();
        }
    }
}
