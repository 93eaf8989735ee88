package io.openlive.server.store;

import io.openlive.engine.commerce.CommerceStore;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * A {@link CommerceStore} that records what the order desk asks of it: how often each {@link CommerceStore.Tx} operation
 * is called (each is one statement, or one per hundred keys for the key lookup on SQLite), which threads' batches
 * touched which product, and whether a product was ever inside two batches at the same moment.
 */
final class RecordingStore implements CommerceStore {
    private final CommerceStore store;
    private final long holdMillis;
    private final Map<String, LongAdder> calls = new ConcurrentHashMap<>();
    /** The thread whose batch has this product right now. */
    private final Map<String, Thread> inBatch = new ConcurrentHashMap<>();
    private final Map<String, Set<String>> threadsOf = new ConcurrentHashMap<>();
    private final AtomicInteger overlaps = new AtomicInteger();
    private final AtomicInteger batches = new AtomicInteger();

    /** {@code holdMillis}: how long each batch waits before it commits, so that concurrent batches overlap in time. */
    RecordingStore(CommerceStore store, long holdMillis) {
        this.store = store;
        this.holdMillis = holdMillis;
    }

    long calls(String operation) {
        LongAdder n = calls.get(operation);
        return n == null ? 0 : n.sum();
    }

    void resetCalls() {
        calls.clear();
        batches.set(0);
    }

    int batches() {
        return batches.get();
    }

    /** Times a product was entered by one batch while another thread's batch had it. */
    int overlaps() {
        return overlaps.get();
    }

    /** The threads whose batches placed orders of each product. */
    Map<String, Set<String>> threadsOf() {
        return threadsOf;
    }

    @Override
    public <T> T transact(Function<Tx, T> work) {
        return store.transact(work);
    }

    @Override
    public <T> List<T> batch(List<Function<Tx, T>> units) {
        batches.incrementAndGet();
        Set<String> mine = ConcurrentHashMap.newKeySet();
        List<Function<Tx, T>> wrapped = new ArrayList<>();
        for (Function<Tx, T> unit : units) {
            wrapped.add(tx -> unit.apply(recording(tx, mine)));
        }
        wrapped.add(tx -> {
            sleep(holdMillis); // after every unit: this batch holds its rows until the commit
            return null;
        });
        try {
            List<T> out = store.batch(wrapped);
            return new ArrayList<>(out.subList(0, units.size()));
        } finally {
            for (String product : mine) {
                inBatch.remove(product, Thread.currentThread());
            }
        }
    }

    private Tx recording(Tx tx, Set<String> mine) {
        return (Tx) Proxy.newProxyInstance(Tx.class.getClassLoader(), new Class<?>[] {Tx.class}, (proxy, method, args) -> {
            calls.computeIfAbsent(method.getName(), k -> new LongAdder()).increment();
            String product = switch (method.getName()) {
                case "attached" -> (String) args[1];
                case "takeStock", "findProduct" -> (String) args[0];
                default -> null;
            };
            if (product != null && mine.add(product)) {
                Thread other = inBatch.putIfAbsent(product, Thread.currentThread());
                if (other != null && other != Thread.currentThread()) {
                    overlaps.incrementAndGet();
                }
                threadsOf.computeIfAbsent(product, k -> ConcurrentHashMap.newKeySet()).add(Thread.currentThread().getName());
            }
            try {
                return method.invoke(tx, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        });
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
