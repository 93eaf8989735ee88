package io.openlive.engine.commerce;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Where {@code order.create} calls wait for the database, off every event loop. A bounded queue (a full queue answers
 * {@code busy} at once, nothing written) feeds {@code workers} threads; each takes up to {@link #MAX_BATCH} waiting
 * orders and places them in one transaction, each undone on its own if it fails (a savepoint from its first write), sorted by product so that concurrent batches lock
 * product rows in one order. Every answer is given only after the commit: one disk flush acknowledges a whole batch,
 * which is what keeps SQLite's single writer from becoming the bottleneck of a flash sale.
 *
 * <p>The sold-out hint: once the database said a product has no units left, orders of it skip the stock update for
 * {@link #HINT_MILLIS} and answer {@code sold_out} after only the idempotency lookup (so a retry still gets its order).
 * The hint is dropped when this node gives units back and expires on its own, so units given back by another node
 * are on sale again within that time.
 *
 * <p>Usage: {@code desk.submit(request).thenAccept(outcome -> …)}; {@code desk.close()} on shutdown.
 */
public final class OrderDesk implements AutoCloseable {
    /** Orders placed in one transaction at most. */
    public static final int MAX_BATCH = 256;
    /** Orders waiting at most; more answer {@code busy}. */
    public static final int DEFAULT_QUEUE = 20_000;
    static final long HINT_MILLIS = 1000;

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(OrderDesk.class);

    private record Pending(OrderRequest request, CompletableFuture<OrderOutcome> answer) {
    }

    private final CommerceStore store;
    private final Orders orders;
    private final BlockingQueue<Pending> queue;
    private final Map<String, Long> soldOutUntil = new ConcurrentHashMap<>();
    private final List<Thread> workers = new ArrayList<>();
    private volatile boolean closed;
    /** Answers given, by result: {@link #RESULTS}. */
    private final Map<String, java.util.concurrent.atomic.LongAdder> answered = new ConcurrentHashMap<>();
    /** Every result an answer can have: a fixed set, so metrics labelled by it stay bounded. */
    public static final List<String> RESULTS = List.of("placed", "replayed", CommerceCodes.SOLD_OUT, CommerceCodes.LIMIT_REACHED,
            CommerceCodes.UNAVAILABLE, CommerceCodes.IDEMPOTENCY_CONFLICT, CommerceCodes.BUSY, "failed");

    OrderDesk(CommerceStore store, Orders orders, int workers, int capacity) {
        this.store = store;
        this.orders = orders;
        this.queue = new ArrayBlockingQueue<>(capacity);
        for (int i = 0; i < workers; i++) {
            Thread t = Thread.ofPlatform().daemon().name("openlive-orders-" + i).start(this::work);
            this.workers.add(t);
        }
    }

    /** Queues an order; the answer completes after the commit (or at once with {@code busy}). */
    public CompletableFuture<OrderOutcome> submit(OrderRequest request) {
        CompletableFuture<OrderOutcome> answer = new CompletableFuture<>();
        if (closed || !queue.offer(new Pending(request, answer))) {
            tally(CommerceCodes.BUSY);
            answer.complete(new OrderOutcome.Refused(CommerceCodes.BUSY, "too many orders waiting on this node; try again in a moment"));
        }
        return answer;
    }

    /** How many answers had this result since start ({@link #RESULTS}). */
    public long answered(String result) {
        var n = answered.get(result);
        return n == null ? 0 : n.sum();
    }

    private void tally(String result) {
        answered.computeIfAbsent(RESULTS.contains(result) ? result : "failed", k -> new java.util.concurrent.atomic.LongAdder()).increment();
    }

    /** Orders waiting for a worker. */
    public int waiting() {
        return queue.size();
    }

    /** Units were given back on this node (expiry, cancellation, restock): sell again at once. */
    void restockedAll() {
        soldOutUntil.clear();
    }

    private void work() {
        List<Pending> batch = new ArrayList<>(MAX_BATCH);
        while (!closed) {
            try {
                Pending first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, MAX_BATCH - 1);
                place(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                batch.clear();
            }
        }
    }

    private void place(List<Pending> batch) {
        batch.sort(Comparator.comparing(p -> p.request().productId()));
        long now = System.currentTimeMillis();
        List<Function<CommerceStore.Tx, OrderOutcome>> units = new ArrayList<>(batch.size());
        BatchReads reads = new BatchReads(batch.stream().map(Pending::request).toList()); // this batch's transaction only
        for (Pending p : batch) {
            Long until = soldOutUntil.get(p.request().productId());
            boolean hint = until != null && until > now;
            units.add(tx -> orders.place(tx, p.request(), hint, reads));
        }
        List<OrderOutcome> outcomes;
        try {
            outcomes = store.batch(units);
        } catch (RuntimeException e) {
            // nothing of this batch was committed: every caller hears so and may retry with the same key
            log.warn("[orders] batch of {} not committed, every order in it answered internal: {}", batch.size(), e.toString());
            for (Pending p : batch) {
                tally("failed");
                p.answer().completeExceptionally(e);
            }
            return;
        }
        for (int i = 0; i < batch.size(); i++) {
            OrderOutcome o = outcomes.get(i);
            if (o instanceof OrderOutcome.Refused r && r.productEmpty()) {
                soldOutUntil.put(batch.get(i).request().productId(), now + HINT_MILLIS);
            }
            tally(switch (o) {
                case OrderOutcome.Placed p -> p.replayed() ? "replayed" : "placed";
                case OrderOutcome.Refused r -> r.code();
            });
            batch.get(i).answer().complete(o);
        }
    }

    @Override
    public void close() {
        closed = true;
        for (Thread t : workers) {
            t.interrupt();
        }
        Pending p;
        while ((p = queue.poll()) != null) {
            p.answer().complete(new OrderOutcome.Refused(CommerceCodes.BUSY, "the node is shutting down; try again"));
        }
    }
}
