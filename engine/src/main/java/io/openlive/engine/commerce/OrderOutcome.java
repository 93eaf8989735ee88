package io.openlive.engine.commerce;

/** What {@code order.create} answers: the order (new, or the one this idempotency key already made) or a refusal. */
public sealed interface OrderOutcome {
    record Placed(Order order, boolean replayed) implements OrderOutcome {
    }

    /** {@code code} is a realtime error code: {@link CommerceCodes}. */
    record Refused(String code, String message) implements OrderOutcome {
    }
}
