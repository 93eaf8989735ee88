package io.openlive.engine.commerce;

import io.openlive.engine.platform.PlatformEvents;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The desk's queues without a database: every order of a product goes to the same worker, the capacity is one bound
 * over all queues (a hot product may use all of it, and then every product hears {@code busy}), and closing answers
 * whatever still waits. The store here holds each batch at a gate and answers every order {@code sold_out}.
 */
class OrderDeskTest {
    /** Holds batches until {@link #open}; counts the batches that reached it. */
    private static final class HeldStore implements CommerceStore {
        final CountDownLatch gate = new CountDownLatch(1);
        final CountDownLatch entered;
        final Set<String> threads = java.util.concurrent.ConcurrentHashMap.newKeySet();

        HeldStore(int batches) {
            entered = new CountDownLatch(batches);
        }

        @Override
        public <T> T transact(Function<Tx, T> work) {
            throw new UnsupportedOperationException();
        }

        @Override
        @SuppressWarnings("unchecked")
        public <T> List<T> batch(List<Function<Tx, T>> units) {
            threads.add(Thread.currentThread().getName());
            entered.countDown();
            try {
                gate.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            List<T> out = new ArrayList<>();
            for (int i = 0; i < units.size(); i++) {
                out.add((T) new OrderOutcome.Refused(CommerceCodes.SOLD_OUT, "sold out"));
            }
            return out;
        }
    }

    @Test
    void aProductAlwaysHasTheSameWorkerAndProductsSpreadOverAll() {
        for (int workers : new int[] {1, 2, 3, 8}) {
            Set<Integer> used = new HashSet<>();
            for (int i = 0; i < 1000; i++) {
                String product = "prd_" + Long.toString(System.nanoTime() + i * 7919L, 36);
                int lane = OrderDesk.lane(product, workers);
                assertThat(lane).isBetween(0, workers - 1).isEqualTo(OrderDesk.lane(new String(product), workers));
                used.add(lane);
            }
            assertThat(used).as("%d workers", workers).hasSize(workers);
        }
    }

    @Test
    void theCapacityBoundsAllQueuesTogetherAndAHotProductMayFillIt() throws Exception {
        HeldStore store = new HeldStore(2);
        OrderDesk desk = desk(store, 2, 8);
        try {
            String hot = product(0, 2);
            String other = product(1, 2);
            List<CompletableFuture<OrderOutcome>> answers = new ArrayList<>();
            answers.add(desk.submit(order(hot, "first")));
            answers.add(desk.submit(order(other, "first")));
            assertThat(store.entered.await(30, TimeUnit.SECONDS)).as("both workers hold a batch").isTrue();
            assertThat(store.threads).containsExactlyInAnyOrder("openlive-orders-0", "openlive-orders-1");
            for (int i = 0; i < 8; i++) {
                answers.add(desk.submit(order(hot, "k" + i)));
            }
            assertThat(desk.waiting()).isEqualTo(8);
            assertThat(code(desk.submit(order(hot, "one-more")).getNow(null))).isEqualTo(CommerceCodes.BUSY);
            assertThat(code(desk.submit(order(other, "elsewhere")).getNow(null))).as("the other queue is empty, the desk is full")
                    .isEqualTo(CommerceCodes.BUSY);
            store.gate.countDown();
            for (CompletableFuture<OrderOutcome> a : answers) {
                assertThat(code(a.get(30, TimeUnit.SECONDS))).isEqualTo(CommerceCodes.SOLD_OUT);
            }
            assertThat(desk.waiting()).isZero();
            assertThat(code(desk.submit(order(other, "later")).get(30, TimeUnit.SECONDS))).isEqualTo(CommerceCodes.SOLD_OUT);
            assertThat(desk.answered(CommerceCodes.BUSY)).isEqualTo(2);
        } finally {
            store.gate.countDown();
            desk.close();
        }
    }

    @Test
    void closingAnswersEveryWaitingOrderBusy() throws Exception {
        HeldStore store = new HeldStore(2);
        OrderDesk desk = desk(store, 2, 100);
        CompletableFuture<OrderOutcome> held0 = desk.submit(order(product(0, 2), "held"));
        CompletableFuture<OrderOutcome> held1 = desk.submit(order(product(1, 2), "held"));
        assertThat(store.entered.await(30, TimeUnit.SECONDS)).isTrue();
        List<CompletableFuture<OrderOutcome>> waiting = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            waiting.add(desk.submit(order(product(i % 2, 2), "w" + i)));
        }
        desk.close();
        for (CompletableFuture<OrderOutcome> w : waiting) {
            assertThat(code(w.getNow(null))).isEqualTo(CommerceCodes.BUSY);
        }
        assertThat(desk.waiting()).isZero();
        assertThat(code(desk.submit(order(product(0, 2), "after")).getNow(null))).isEqualTo(CommerceCodes.BUSY);
        store.gate.countDown();
        assertThat(code(held0.get(30, TimeUnit.SECONDS))).as("a batch under way still answers").isEqualTo(CommerceCodes.SOLD_OUT);
        assertThat(code(held1.get(30, TimeUnit.SECONDS))).isEqualTo(CommerceCodes.SOLD_OUT);
    }

    private static OrderDesk desk(CommerceStore store, int workers, int capacity) {
        Orders orders = new Orders(new CommerceContext(store, Clock.systemUTC(), PlatformEvents.NONE, Duration.ofMinutes(1)));
        return new OrderDesk(store, orders, workers, capacity);
    }

    /** A product id whose orders go to worker {@code lane}. */
    private static String product(int lane, int workers) {
        for (int i = 0; ; i++) {
            if (OrderDesk.lane("prd_" + i, workers) == lane) {
                return "prd_" + i;
            }
        }
    }

    private static OrderRequest order(String product, String key) {
        return new OrderRequest("room", "app", "viewer-" + key, null, product, 1, key);
    }

    private static String code(OrderOutcome o) {
        return o == null ? "unanswered" : o instanceof OrderOutcome.Refused r ? r.code() : "placed";
    }
}
