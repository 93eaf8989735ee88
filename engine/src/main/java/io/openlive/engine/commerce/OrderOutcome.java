package io.openlive.engine.commerce;

/** What {@code order.create} answers: the order (new, or the one this idempotency key already made) or a refusal. */
public sealed interface OrderOutcome {
    record Placed(Order order, boolean replayed) implements OrderOutcome {
    }

    /**
     * {@code code} is a realtime error code: {@link CommerceCodes}. {@code productEmpty}: the store saw no unit left
     * at all (not merely fewer than asked), which is what lets the desk answer the next orders from its hint.
     */
    record Refused(String code, String message, boolean productEmpty) implements OrderOutcome {
        public Refused(String code, String message) {
            this(code, message, false);
        }
    }
}
