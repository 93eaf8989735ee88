package io.openlive.engine.platform;

import java.time.Instant;

/** Where one approved version stands in one host app; only {@code live} versions reach that app's viewers. */
public record Delivery(String versionId, String componentId, String version, String appId, DeliveryState state,
                       String reason, String decidedBy, Instant updatedAt) {
    public Delivery with(DeliveryState next, String why, String by, Instant at) {
        return new Delivery(versionId, componentId, version, appId, next, why, by, at);
    }
}
