package io.openlive.engine.commerce;

import io.openlive.engine.platform.PlatformEvents;

import java.time.Clock;
import java.time.Duration;

/**
 * Live commerce, by area: products and pins ({@link Products}), orders and their settlement ({@link Orders}), the order
 * desk that places viewers' orders in batches ({@link OrderDesk}), carts and host-app settings ({@link Carts}).
 * Everything but the desk blocks on the store: call it from a worker thread.
 * Usage: {@code new Commerce(store, clock, events, Duration.ofMinutes(15), 1)}.
 */
public final class Commerce implements AutoCloseable {
    private final CommerceContext ctx;
    private final Products products;
    private final Orders orders;
    private final Carts carts;
    private final OrderDesk desk;
    private final Webhooks webhooks;

    /**
     * @param orderTtl     how long an unpaid order holds its units
     * @param deskWorkers  threads placing orders: 1 for SQLite (one writer anyway), a few for PostgreSQL
     */
    public Commerce(CommerceStore store, Clock clock, PlatformEvents events, Duration orderTtl, int deskWorkers) {
        if (orderTtl.isNegative() || orderTtl.isZero()) {
            throw new IllegalArgumentException("order TTL must be positive");
        }
        this.ctx = new CommerceContext(store, clock, events, orderTtl);
        this.products = new Products(ctx);
        this.orders = new Orders(ctx);
        this.carts = new Carts(ctx);
        this.webhooks = new Webhooks(ctx);
        this.desk = new OrderDesk(store, orders, deskWorkers, OrderDesk.DEFAULT_QUEUE);
    }

    public Products products() {
        return products;
    }

    public Orders orders() {
        return orders;
    }

    public Carts carts() {
        return carts;
    }

    public Webhooks webhooks() {
        return webhooks;
    }

    public OrderDesk desk() {
        return desk;
    }

    /** Expires due unpaid orders and lets this node's desk sell their units at once; answers how many expired. */
    public int expireDue() {
        int n = orders.expireDue(500);
        if (n > 0) {
            desk.restockedAll();
        }
        return n;
    }

    /** The host app cancels an order ({@link Orders#cancel}); its units are on sale again on this node at once. */
    public Order cancel(io.openlive.engine.platform.Principal p, String orderId) {
        Order o = orders.cancel(p, orderId);
        desk.restockedAll();
        return o;
    }

    /** A product changed ({@link Products#update}), maybe restocked: the desk forgets its sold-out hints. */
    public Product updateProduct(io.openlive.engine.platform.Principal p, String id, com.fasterxml.jackson.databind.JsonNode body) {
        Product product = products.update(p, id, body);
        desk.restockedAll();
        return product;
    }

    @Override
    public void close() {
        desk.close();
    }
}
