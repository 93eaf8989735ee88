package io.openlive.engine.commerce;

import java.time.Instant;

/**
 * One viewer's order of {@code quantity} units of a product in a room, through a host app (and, when the call came from
 * a component, that component version). {@code amount} is price times quantity in minor units of {@code currency}, as
 * the price was when ordered. A pending order expires at {@code expiresAt} unless the host app confirms payment.
 */
public record Order(String id, String roomId, String appId, String viewerId, String component, String productId,
                    int quantity, long amount, String currency, OrderStatus status, String idempotencyKey,
                    Instant createdAt, Instant expiresAt, Instant updatedAt) {

    public Order withStatus(OrderStatus s, Instant at) {
        return new Order(id, roomId, appId, viewerId, component, productId, quantity, amount, currency, s, idempotencyKey,
                createdAt, expiresAt, at);
    }
}
