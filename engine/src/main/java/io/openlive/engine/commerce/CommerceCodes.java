package io.openlive.engine.commerce;

/** Error codes of the commerce methods on the realtime channel (PROTOCOL.md). */
public final class CommerceCodes {
    /** Not enough units left. */
    public static final String SOLD_OUT = "sold_out";
    /** The viewer's live orders of this product would pass its per-viewer limit. */
    public static final String LIMIT_REACHED = "limit_reached";
    /** The product is not attached to this room, is inactive, or belongs to another host app. */
    public static final String UNAVAILABLE = "unavailable";
    /** The idempotency key was used before for another product, quantity or room. */
    public static final String IDEMPOTENCY_CONFLICT = "idempotency_conflict";
    /** Orders are queued beyond the node's bound: try again shortly (nothing was written). */
    public static final String BUSY = "busy";

    private CommerceCodes() {
    }
}
