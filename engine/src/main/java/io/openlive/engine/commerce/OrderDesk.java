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
 * Where {@code order.create} calls wait for the database, off every event loop. {@code workers} threads each own a
 * queue, and every order goes to the queue of its product ({@link #lane}: a hash of the product id), so all orders of a
 * product are placed by one worker, one batch after another. A worker takes up to {@link #MAX_BATCH} waiting orders of
 * its queue and places them in one transaction, each undone on its own if it fails (a savepoint from its first write),
 * sorted by product so that batches lock product rows in one order. Every answer is given only after the commit: one
 * disk flush acknowledges a whole batch, which is what keeps SQLite's single writer from becoming the bottleneck of a
 * flash sale. The desk holds at most {@code capacity} waiting orders over all its queues; more answer {@code busy} at
 * once, nothing written.
 *
 * <p>Why one worker per product: a batch that takes a unit holds the product's row lock until it commits. With the
 * workers sharing one queue, two batches of a flash sale's product ran at once on two connections, and the second
 * waited for the first one's commit on the database socket (a row-lock hand-off per batch) while holding its own
 * connection and thread. Routed by product, the workers' batches never lock the same product row, so on one node they
 * never wait for each other; sorted locking is still what keeps batches of several nodes sharing the database (and the
 * expiry, cancellations and product edits, which lock rows too) free of deadlocks, and the stock UPDATE still decides.
 *
 * <p>Fairness: a hot product (a flash sale: thousands of orders of one product within a second) is all on one worker,
 * and the other products of that worker's queue wait their turn in the same first-come queue, while the other workers
 * carry on with theirs. That costs little: a batch takes up to 256 orders, and once the product has no units left its
 * orders are read-only (one idempotency lookup per batch, then {@code sold_out} from the hint below), so 5,000 orders are
 * some twenty batches; an order of another product that lands behind them waits for those batches, not for the orders
 * one by one, and rides in the same batch as the hot orders that were queued beside it. Two workers sharing the hot
 * product gained nothing while units remained (they waited on each other's row lock) and little after (the node pinned
 * to one core does not run two batches faster than one).
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
    /** Orders waiting at most, over all queues; more answer {@code busy}. */
    public static final int DEFAULT_QUEUE = 20_000;
    static final long HINT_MILLIS = 1000;

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(OrderDesk.class);

    private record Pending(OrderRequest request, CompletableFuture<OrderOutcome> answer) {
    }

    private final CommerceStore store;
    private final Orders orders;
    /** One queue per worker; an order's queue is {@link #lane} of its product. */
    private final List<BlockingQueue<Pending>> queues = new ArrayList<>();
    /** Orders in all queues; never more than {@link #capacity}. */
    private final java.util.concurrent.atomic.AtomicInteger waiting = new java.util.concurrent.atomic.AtomicInteger();
    private final int capacity;
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
        if (workers < 1 || capacity < 1) {
            throw new IllegalArgumentException("an order desk needs a worker and room for an order");
        }
        this.capacity = capacity;
        for (int i = 0; i < workers; i++) {
            // each queue can take the whole capacity: one hot product may fill the desk; the counter bounds the sum
            BlockingQueue<Pending> queue = new ArrayBlockingQueue<>(capacity);
            queues.add(queue);
            Thread t = Thread.ofPlatform().daemon().name("openlive-orders-" + i).start(() -> work(queue));
            this.workers.add(t);
        }
    }

    /** The worker (of {@code workers}) that places every order of this product. */
    static int lane(String productId, int workers) {
        if (productId == null) {
            return 0;
        }
        int h = productId.hashCode();
        return Math.floorMod(h ^ (h >>> 16), workers);
    }

    /** Queues an order; the answer completes after the commit (or at once with {@code busy}). */
    public CompletableFuture<OrderOutcome> submit(OrderRequest request) {
        CompletableFuture<OrderOutcome> answer = new CompletableFuture<>();
        if (closed) {
            return refuseBusy(answer, "the node is shutting down; try again");
        }
        if (waiting.incrementAndGet() > capacity) {
            waiting.decrementAndGet();
            return refuseBusy(answer, "too many orders waiting on this node; try again in a moment");
        }
        Pending p = new Pending(request, answer);
        BlockingQueue<Pending> queue = queues.get(lane(request.productId(), queues.size()));
        queue.add(p); // never full: no queue holds more than the counter allows
        if (closed && queue.remove(p)) {
            // close() drained the queues before this order arrived in one: nobody else will answer it
            waiting.decrementAndGet();
            return refuseBusy(answer, "the node is shutting down; try again");
        }
        return answer;
    }

    private CompletableFuture<OrderOutcome> refuseBusy(CompletableFuture<OrderOutcome> answer, String message) {
        tally(CommerceCodes.BUSY);
        answer.complete(new OrderOutcome.Refused(CommerceCodes.BUSY, message));
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
        return waiting.get();
    }

    /** Units were given back on this node (expiry, cancellation, restock): sell again at once. */
    void restockedAll() {
        soldOutUntil.clear();
    }

    private void work(BlockingQueue<Pending> queue) {
        List<Pending> batch = new ArrayList<>(MAX_BATCH);
        while (!closed) {
            try {
                Pending first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, MAX_BATCH - 1);
                waiting.addAndGet(-batch.size());
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
        for (BlockingQueue<Pending> queue : queues) {
            Pending p;
            while ((p = queue.poll()) != null) {
                waiting.decrementAndGet();
                p.answer().complete(new OrderOutcome.Refused(CommerceCodes.BUSY, "the node is shutting down; try again"));
            }
        }
    }
}
