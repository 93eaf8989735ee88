package io.openlive.engine.commerce;

/**
 * A viewer's {@code order.create}: who (host app and viewer, and the component version the call came through, or null),
 * where (room), what ({@code productId}, {@code quantity}) and the client's {@code idempotencyKey}.
 */
public record OrderRequest(String roomId, String appId, String viewerId, String component, String productId, int quantity,
                           String idempotencyKey) {

    /** Whether a replayed key asks for the same thing (the component may differ: the same viewer may retry elsewhere). */
    boolean sameAs(Order o) {
        return o.roomId().equals(roomId) && o.productId().equals(productId) && o.quantity() == quantity;
    }
}
