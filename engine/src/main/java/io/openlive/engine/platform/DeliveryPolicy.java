package io.openlive.engine.platform;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * How approved versions reach a host app: {@code direct} trusts the platform's review (live at once), {@code review}
 * has the app's own reviewers decide each version first.
 */
public enum DeliveryPolicy {
    DIRECT, REVIEW;

    @JsonValue
    public String wire() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static DeliveryPolicy parse(String text) {
        for (DeliveryPolicy p : values()) {
            if (p.wire().equals(text)) {
                return p;
            }
        }
        throw PlatformException.invalid("INVALID_POLICY", "policy must be direct or review, not '" + text + "'");
    }
}
