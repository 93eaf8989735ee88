package io.openlive.engine.commerce;

import io.openlive.engine.platform.AuditEntry;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Durable commerce state. {@link #transact} runs one transaction, committed before it returns. {@link #batch} runs
 * several units of work in one transaction, each undone on its own (a savepoint taken before its first write, so a
 * unit that only reads costs no savepoint): a unit that throws {@link Undo} has its changes rolled back and its value
 * returned, the others commit together; nothing is returned before the commit. Implementations block (JDBC).
 */
public interface CommerceStore {
    <T> T transact(Function<Tx, T> work);

    <T> List<T> batch(List<Function<Tx, T>> units);

    /** Thrown by a unit of a batch to undo its own changes and answer {@code value}. */
    final class Undo extends RuntimeException {
        private final transient Object value;

        public Undo(Object value) {
            super(null, null, false, false);
            this.value = value;
        }

        public Object value() {
            return value;
        }
    }

    /** An idempotency key as orders are unique by it: per host app and viewer. */
    record OrderKey(String appId, String viewerId, String idempotencyKey) {
    }

    /** An item of a viewer's cart in a room. */
    record CartItem(String productId, int quantity) {
    }

    /** A host app's commerce settings: whether it keeps its own cart, and its webhook (the secret is never shown again). */
    record AppSettings(String appId, boolean hostCart, String webhookUrl, String webhookSecret, Instant updatedAt) {
    }

    /** A webhook event waiting in the outbox. */
    record OutboxEvent(String id, String appId, String type, String body, Instant createdAt, int attempts,
                       Instant nextAttemptAt, Instant deliveredAt, String lastError) {
    }

    /** The operations of one transaction. */
    interface Tx {
        void insertProduct(Product p);

        void updateProduct(Product p);

        Optional<Product> findProduct(String id);

        /**
         * Takes {@code quantity} units if that many are left (or the product is unlimited), in one conditional UPDATE
         * that also locks the product's row until the transaction ends. False when not enough are left.
         */
        boolean takeStock(String productId, int quantity, Instant at);

        /** Gives units back to a product with limited stock. */
        void giveStock(String productId, int quantity, Instant at);

        /** The room's owner ({@code ""} when it has none); empty when there is no such room. */
        Optional<String> roomOwner(String roomId);

        /** Host apps the room is delivered to. */
        List<String> roomApps(String roomId);

        void attach(String roomId, String productId, Instant at);

        boolean attached(String roomId, String productId);

        List<Product> roomProducts(String roomId);

        void pin(String roomId, String productId, Instant at);

        Optional<String> pinned(String roomId);

        Optional<Order> findOrder(String id);

        Optional<Order> findOrderByKey(String appId, String viewerId, String idempotencyKey);

        /** The orders placed with any of these keys, in one round trip per few hundred keys. */
        java.util.Map<OrderKey, Order> findOrdersByKeys(java.util.Collection<OrderKey> keys);

        void insertOrder(Order o);

        /** Moves the order to {@code to} if its status is one of {@code from}; false if it was not. */
        boolean moveOrder(String id, List<OrderStatus> from, OrderStatus to, Instant at);

        /** Units held by the viewer's live (pending or paid) orders of the product. */
        long liveUnits(String appId, String viewerId, String productId);

        /** Pending orders whose time is up, oldest first. */
        List<Order> expiredPending(Instant now, int limit);

        List<Order> roomOrders(String roomId, int limit);

        /** A room's orders, oldest first, of one app ({@code null}: every app), {@code limit} from {@code offset}. */
        List<Order> roomOrders(String roomId, String appId, int offset, int limit);

        List<CartItem> cart(String appId, String viewerId, String roomId);

        void putCart(String appId, String viewerId, String roomId, String productId, int quantity, Instant at);

        void removeCart(String appId, String viewerId, String roomId, String productId);

        Optional<AppSettings> appSettings(String appId);

        void putAppSettings(AppSettings s);

        void insertOutbox(OutboxEvent e);

        List<OutboxEvent> dueOutbox(Instant now, int limit);

        /**
         * Claims a due event for one delivery attempt: moves its next attempt to {@code until} if it is still
         * {@code seen} (so another node polling at the same moment skips it). False when someone else claimed it.
         */
        boolean leaseOutbox(String id, Instant seen, Instant until);

        void outboxDelivered(String id, Instant at);

        void outboxFailed(String id, int attempts, Instant next, String error);

        void insertAudit(AuditEntry e);
    }
}
