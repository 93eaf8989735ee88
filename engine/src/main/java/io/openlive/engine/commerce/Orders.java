package io.openlive.engine.commerce;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.openlive.engine.platform.Ids;
import io.openlive.engine.platform.PlatformException;
import io.openlive.engine.platform.Principal;
import io.openlive.engine.platform.Role;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Order rules in one transaction each. Placing an order: replay of a known idempotency key first (same order, or
 * {@code idempotency_conflict} for other parameters), then availability, then one conditional UPDATE of the stock that
 * also locks the product's row, then the per-viewer limit (checked after the lock, so concurrent orders of one viewer
 * see each other), then the order row and its webhook event. A refusal after the stock was taken undoes the unit's work
 * ({@link CommerceStore.Undo}). Payment and cancellation come from the order's host app; expiry gives units back.
 */
public final class Orders {
    private final CommerceContext ctx;

    Orders(CommerceContext ctx) {
        this.ctx = ctx;
    }

    /** One {@code order.create} inside the caller's transaction; {@code soldOutHint} skips the stock for a product known to be gone. */
    OrderOutcome place(CommerceStore.Tx tx, OrderRequest r, boolean soldOutHint) {
        return place(tx, r, soldOutHint, new BatchReads(List.of(r)));
    }

    /** As above, one order of a batch whose shared reads ({@link BatchReads}) are made once for the whole batch. */
    OrderOutcome place(CommerceStore.Tx tx, OrderRequest r, boolean soldOutHint, BatchReads reads) {
        Optional<Order> known = reads.placedWithKey(tx, r);
        if (known.isPresent()) {
            return r.sameAs(known.get()) ? new OrderOutcome.Placed(known.get(), true)
                    : new OrderOutcome.Refused(CommerceCodes.IDEMPOTENCY_CONFLICT, "idempotency key " + r.idempotencyKey()
                    + " was used for another order (product, quantity or room differ)");
        }
        Optional<Product> found = reads.attached(tx, r);
        if (found.isEmpty() || !found.get().active() || (found.get().owner().isApp() && !found.get().owner().id().equals(r.appId()))) {
            return new OrderOutcome.Refused(CommerceCodes.UNAVAILABLE, "product " + r.productId() + " is not on sale in this room");
        }
        Product p = found.get();
        if (p.perViewerLimit() != null && r.quantity() > p.perViewerLimit()) {
            return new OrderOutcome.Refused(CommerceCodes.LIMIT_REACHED, "at most " + p.perViewerLimit() + " per viewer");
        }
        if ((soldOutHint || reads.knownEmpty(p.id())) && !p.unlimited()) {
            // not productEmpty: only the store's own answer renews the hint, so it lapses and the store is asked again
            return new OrderOutcome.Refused(CommerceCodes.SOLD_OUT, "sold out");
        }
        Instant now = ctx.now();
        if (!tx.takeStock(p.id(), r.quantity(), now)) {
            long left = tx.findProduct(p.id()).map(Product::stock).orElse(0L);
            if (left == 0) {
                reads.sawEmpty(p.id());
            }
            return new OrderOutcome.Refused(CommerceCodes.SOLD_OUT, left == 0 ? "sold out" : "sold out: only " + left + " left", left == 0);
        }
        // the product's row is locked from here: every other order of this product waits, so the sum below is exact
        if (p.perViewerLimit() != null && tx.liveUnits(r.appId(), r.viewerId(), p.id()) + r.quantity() > p.perViewerLimit()) {
            throw new CommerceStore.Undo(new OrderOutcome.Refused(CommerceCodes.LIMIT_REACHED, "at most " + p.perViewerLimit() + " per viewer"));
        }
        Order o = new Order(Ids.timeOrdered("ord", now.toEpochMilli()), r.roomId(), r.appId(), r.viewerId(), r.component(), p.id(),
                r.quantity(), Math.multiplyExact(p.price(), (long) r.quantity()), p.currency(), OrderStatus.PENDING,
                r.idempotencyKey(), now, now.plus(ctx.orderTtl()), now);
        tx.insertOrder(o);
        event(tx, reads.appSettings(tx, o.appId()), o, "order.created", now);
        return new OrderOutcome.Placed(o, false);
    }

    /** The host app confirms payment of a pending order. */
    public Order paid(Principal p, String orderId) {
        return move(p, orderId, List.of(OrderStatus.PENDING), OrderStatus.PAID, "order.paid");
    }

    /** The host app cancels a pending or paid order; its units go back on sale. */
    public Order cancel(Principal p, String orderId) {
        return move(p, orderId, List.of(OrderStatus.PENDING, OrderStatus.PAID), OrderStatus.CANCELLED, "order.cancelled");
    }

    public Order get(Principal p, String orderId) {
        return ctx.store().transact(tx -> visible(tx, p, orderId));
    }

    /** A room's orders, oldest first, up to {@code limit}: all for admins and the room's owner, an operator's app's own. */
    public List<Order> ofRoom(Principal p, String roomId, int limit) {
        return ctx.store().transact(tx -> {
            String owner = tx.roomOwner(roomId).orElseThrow(() -> PlatformException.notFound("ROOM", roomId));
            boolean all = p.isAdmin() || (p.is(Role.BROADCASTER) && owner.equals(p.scope()));
            if (!all && !p.is(Role.APP_OPERATOR)) {
                throw PlatformException.notFound("ROOM", roomId);
            }
            return tx.roomOrders(roomId, limit).stream().filter(o -> all || o.appId().equals(p.scope())).toList();
        });
    }

    /**
     * One page of a room's orders, oldest first: every app's for admins and the room's owner, its own app's for the
     * operator of a host app the room is delivered to; anyone else {@code 404 ROOM_NOT_FOUND}.
     */
    public io.openlive.engine.platform.Page<Order> page(Principal p, String roomId, io.openlive.engine.platform.Page.Request page) {
        return ctx.store().transact(tx -> {
            String owner = tx.roomOwner(roomId).orElseThrow(() -> PlatformException.notFound("ROOM", roomId));
            String app;
            if (p.isAdmin() || (p.is(Role.BROADCASTER) && owner.equals(p.scope()))) {
                app = null;
            } else if (p.is(Role.APP_OPERATOR) && tx.roomApps(roomId).contains(p.scope())) {
                app = p.scope();
            } else {
                throw PlatformException.notFound("ROOM", roomId);
            }
            return io.openlive.engine.platform.Page.of(tx.roomOrders(roomId, app, page.offset(), page.limit() + 1), page);
        });
    }

    private Order move(Principal p, String orderId, List<OrderStatus> from, OrderStatus to, String action) {
        return ctx.store().transact(tx -> {
            Order before = visible(tx, p, orderId);
            Instant now = ctx.now();
            if (!tx.moveOrder(orderId, from, to, now)) {
                throw PlatformException.conflict("ORDER_" + before.status().name(), "order " + orderId + " is " + before.status().wire());
            }
            if (!to.live()) {
                tx.giveStock(before.productId(), before.quantity(), now);
            }
            Order after = before.withStatus(to, now);
            ctx.audit(tx, p, action, "order", orderId, before, after);
            event(tx, tx.appSettings(after.appId()), after, action, now);
            return after;
        });
    }

    /** Expires pending orders whose time is up, one transaction each; answers how many. Safe on several nodes at once. */
    public int expireDue(int max) {
        List<Order> due = ctx.store().transact(tx -> tx.expiredPending(ctx.now(), max));
        int n = 0;
        for (Order o : due) {
            boolean moved = ctx.store().transact(tx -> {
                Instant now = ctx.now();
                if (!tx.moveOrder(o.id(), List.of(OrderStatus.PENDING), OrderStatus.EXPIRED, now)) {
                    return false; // paid or cancelled meanwhile, or another node expired it
                }
                tx.giveStock(o.productId(), o.quantity(), now);
                event(tx, tx.appSettings(o.appId()), o.withStatus(OrderStatus.EXPIRED, now), "order.expired", now);
                return true;
            });
            n += moved ? 1 : 0;
        }
        return n;
    }

    /** Orders are the host app's: its operators (and admins) read and settle them. */
    private static Order visible(CommerceStore.Tx tx, Principal p, String orderId) {
        Order o = (orderId == null || orderId.length() > 64 ? Optional.<Order>empty() : tx.findOrder(orderId))
                .orElseThrow(() -> PlatformException.notFound("ORDER", orderId));
        if (!p.actsFor(Role.APP_OPERATOR, o.appId())) {
            throw PlatformException.notFound("ORDER", orderId);
        }
        return o;
    }

    /** A webhook event in the same transaction, when the order's host app has a webhook ({@code s}: its settings). */
    private static void event(CommerceStore.Tx tx, Optional<CommerceStore.AppSettings> s, Order o, String type, Instant now) {
        if (s.isEmpty() || s.get().webhookUrl() == null) {
            return;
        }
        String id = Ids.timeOrdered("evt", now.toEpochMilli());
        ObjectNode body = CommerceContext.JSON.createObjectNode().put("id", id).put("type", type).put("createdAt", now.toString());
        body.set("order", CommerceContext.tree(o));
        tx.insertOutbox(new CommerceStore.OutboxEvent(id, o.appId(), type, body.toString(), now, 0, now, null, null));
    }
}
