package io.openlive.engine.platform;

import com.fasterxml.jackson.annotation.JsonValue;

/** Who a developer is to the platform; the tier bounds the permissions a manifest may ask for. */
public enum Tier {
    OFFICIAL("official"), SECOND_PARTY("second-party"), THIRD_PARTY("third-party");

    private final String wire;

    Tier(String wire) {
        this.wire = wire;
    }

    @JsonValue
    public String wire() {
        return wire;
    }

    public static Tier parse(String text) {
        for (Tier t : values()) {
            if (t.wire.equals(text)) {
                return t;
            }
        }
        throw PlatformException.invalid("INVALID_TIER", "tier must be official, second-party or third-party, not '" + text + "'");
    }
}
