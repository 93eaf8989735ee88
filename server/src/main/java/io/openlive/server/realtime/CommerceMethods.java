package io.openlive.server.realtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.openlive.engine.commerce.Carts;
import io.openlive.engine.commerce.Commerce;
import io.openlive.engine.commerce.Order;
import io.openlive.engine.commerce.OrderOutcome;
import io.openlive.engine.commerce.OrderRequest;
import io.openlive.protocol.realtime.Envelope;
import io.openlive.protocol.realtime.ErrorCode;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * The commerce methods of the realtime channel: {@code product.current}, {@code cart.add}, {@code cart.get},
 * {@code cart.remove} and {@code order.create}. Parameters are checked on the room's event loop; the store is reached on
 * worker threads (orders through the {@link io.openlive.engine.commerce.OrderDesk}), and an answer is sent only once
 * what it says is committed. Refusals are error envelopes: {@code sold_out}, {@code limit_reached}, {@code unavailable},
 * {@code idempotency_conflict}, {@code busy}, {@code bad_params}.
 */
final class CommerceMethods {
    static final int MAX_QUANTITY = 10_000;
    static final int MAX_KEY_CHARS = 128;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RealtimeHub hub;

    CommerceMethods(RealtimeHub hub) {
        this.hub = hub;
    }

    static boolean handles(String method) {
        return switch (method) {
            case "product.current", "cart.add", "cart.get", "cart.remove", "order.create" -> true;
            default -> false;
        };
    }

    CompletionStage<JsonNode> call(RoomChannel room, RealtimeConnection c, Envelope.Call call) {
        Commerce commerce = hub.commerce();
        if (commerce == null) {
            throw new RealtimeMethods.Refusal(ErrorCode.UNKNOWN_METHOD, "commerce is not enabled on this node");
        }
        JsonNode params = call.params();
        if (call.method().equals("product.current")) {
            return blocking(room, () -> commerce.products().current(room.roomId));
        }
        if (c.viewer.anonymous()) {
            throw new RealtimeMethods.Refusal(ErrorCode.UNAUTHORIZED, "anonymous viewers cannot buy; sign in through the host app");
        }
        String viewer = c.viewer.id();
        return switch (call.method()) {
            case "cart.get" -> blocking(room, () -> commerce.carts().get(c.appId, viewer, room.roomId));
            case "cart.add" -> {
                String productId = productId(params);
                int quantity = quantity(params);
                yield blocking(room, () -> commerce.carts().add(c.appId, viewer, room.roomId, productId, quantity));
            }
            case "cart.remove" -> {
                String productId = productId(params);
                yield blocking(room, () -> commerce.carts().remove(c.appId, viewer, room.roomId, productId));
            }
            case "order.create" -> {
                OrderRequest r = new OrderRequest(room.roomId, c.appId, viewer, call.component(), productId(params), quantity(params),
                        key(params));
                yield commerce.desk().submit(r).thenApply(CommerceMethods::answer);
            }
            default -> throw new IllegalStateException(call.method());
        };
    }

    private static JsonNode answer(OrderOutcome outcome) {
        return switch (outcome) {
            case OrderOutcome.Placed p -> {
                Order o = p.order();
                ObjectNode n = JSON.createObjectNode();
                n.putObject("order").put("id", o.id()).put("status", o.status().wire()).put("amount", o.amount())
                        .put("currency", o.currency()).put("productId", o.productId()).put("quantity", o.quantity());
                yield n;
            }
            case OrderOutcome.Refused r -> throw new RealtimeMethods.Refusal(r.code(), r.message());
        };
    }

    /** Store work on a worker thread; a cart refusal becomes an error envelope. */
    private static CompletionStage<JsonNode> blocking(RoomChannel room, Supplier<JsonNode> work) {
        CompletableFuture<JsonNode> out = new CompletableFuture<>();
        room.context.owner().<JsonNode>executeBlocking(work::get, false).onComplete(ar -> {
            if (ar.succeeded()) {
                out.complete(ar.result());
            } else if (ar.cause() instanceof Carts.Refused r) {
                out.completeExceptionally(new RealtimeMethods.Refusal(r.code(), r.getMessage()));
            } else {
                out.completeExceptionally(ar.cause());
            }
        });
        return out;
    }

    private static String productId(JsonNode params) {
        JsonNode n = params.path("productId");
        if (!n.isTextual() || n.asText().isEmpty() || n.asText().length() > 64) {
            throw new RealtimeMethods.Refusal(ErrorCode.BAD_PARAMS, "productId is required");
        }
        return n.asText();
    }

    private static int quantity(JsonNode params) {
        JsonNode n = params.get("quantity");
        if (n == null || n.isNull()) {
            return 1;
        }
        if (!n.isIntegralNumber() || !n.canConvertToInt() || n.asInt() < 1 || n.asInt() > MAX_QUANTITY) {
            throw new RealtimeMethods.Refusal(ErrorCode.BAD_PARAMS, "quantity must be an integer from 1 to " + MAX_QUANTITY);
        }
        return n.asInt();
    }

    private static String key(JsonNode params) {
        JsonNode n = params.path("idempotencyKey");
        String k = n.isTextual() ? n.asText() : "";
        if (k.isEmpty() || k.length() > MAX_KEY_CHARS || k.chars().anyMatch(ch -> ch < 0x21 || ch > 0x7e)) {
            throw new RealtimeMethods.Refusal(ErrorCode.BAD_PARAMS, "idempotencyKey is required: 1 to " + MAX_KEY_CHARS
                    + " printable ASCII characters, the same for every retry of one order");
        }
        return k;
    }
}
