package io.openlive.engine.commerce;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the orders of one batch (one transaction of the {@link OrderDesk}) read once instead of once each: in a flash sale
 * thousands of orders share one product, and almost all of them only look up their idempotency key and hear
 * {@code sold_out}. The keys of the whole batch are looked up in one query when the first order asks; each order takes
 * its answer once. A second ask for the same key in this batch (the same key twice in the batch, or an order run again
 * after its insert met another node's order with that key) goes to the store itself, which then sees what was written
 * since. Products on sale are remembered per room for the transaction (their rows without stock, which only the
 * conditional update reads), and so are the host apps' webhook settings (each placed order writes its event by them).
 * A product the store found without units in this transaction is sold out for the rest of the batch: the orders after
 * it answer {@code sold_out} without asking again (a stock update and a read each), as the desk's hint does across
 * batches; units another transaction gives back meanwhile are sold from the next batch.
 */
final class BatchReads {
    /** The batch's keys: asked for in one query, and a hash set because every order of the batch checks its own. */
    private final Set<CommerceStore.OrderKey> keys;
    private Map<CommerceStore.OrderKey, Order> known;
    private final Set<CommerceStore.OrderKey> taken = new HashSet<>();
    private final Map<String, Optional<Product>> onSale = new HashMap<>();
    private final Map<String, Optional<CommerceStore.AppSettings>> settings = new HashMap<>();
    private final Set<String> empty = new HashSet<>();

    BatchReads(List<OrderRequest> batch) {
        this.keys = new LinkedHashSet<>(batch.size() * 2);
        for (OrderRequest r : batch) {
            keys.add(key(r));
        }
    }

    /** The order already placed with this request's idempotency key, if any. */
    Optional<Order> placedWithKey(CommerceStore.Tx tx, OrderRequest r) {
        CommerceStore.OrderKey k = key(r);
        if (!taken.add(k) || !keys.contains(k)) {
            return tx.findOrderByKey(r.appId(), r.viewerId(), r.idempotencyKey());
        }
        if (known == null) {
            known = tx.findOrdersByKeys(keys);
        }
        return Optional.ofNullable(known.get(k));
    }

    /** The product, if it is attached to the room (active or not); asked once per room and product in this batch. */
    Optional<Product> attached(CommerceStore.Tx tx, OrderRequest r) {
        return onSale.computeIfAbsent(r.roomId() + "\n" + r.productId(),
                k -> tx.attached(r.roomId(), r.productId()) ? tx.findProduct(r.productId()) : Optional.empty());
    }

    /** The host app's commerce settings; asked once per app in this batch. */
    Optional<CommerceStore.AppSettings> appSettings(CommerceStore.Tx tx, String appId) {
        return settings.computeIfAbsent(appId, tx::appSettings);
    }

    /** The store found no unit of this product left in this batch's transaction. */
    void sawEmpty(String productId) {
        empty.add(productId);
    }

    /** Whether an order of this batch already found the product without units. */
    boolean knownEmpty(String productId) {
        return empty.contains(productId);
    }

    private static CommerceStore.OrderKey key(OrderRequest r) {
        return new CommerceStore.OrderKey(r.appId(), r.viewerId(), r.idempotencyKey());
    }
}
