package io.openlive.engine.commerce;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Where an order is: {@code pending} (units held, waiting for the host app's payment), {@code paid}, {@code cancelled}
 * or {@code expired} (units given back). Pending and paid orders are <em>live</em>: they hold their units.
 */
public enum OrderStatus {
    PENDING, PAID, CANCELLED, EXPIRED;

    @JsonValue
    public String wire() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public boolean live() {
        return this == PENDING || this == PAID;
    }

    public static OrderStatus parse(String text) {
        return valueOf(text.toUpperCase(java.util.Locale.ROOT));
    }
}
