package io.openlive.engine.platform;

import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/** A version in one host app: {@code pending} (app review) → {@code live} | {@code rejected}; any → {@code revoked}. */
public enum DeliveryState {
    PENDING, LIVE, REJECTED, REVOKED;

    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static DeliveryState fromWire(String text) {
        for (DeliveryState s : values()) {
            if (s.wire().equals(text)) {
                return s;
            }
        }
        throw PlatformException.invalid("INVALID_STATE", "delivery state must be pending, live, rejected or revoked, not '" + text + "'");
    }
}
