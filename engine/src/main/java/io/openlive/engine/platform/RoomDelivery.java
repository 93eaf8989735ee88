package io.openlive.engine.platform;

import java.time.Instant;

/** A room delivered to a host app, bound to one of that app's instances (or none yet). */
public record RoomDelivery(String roomId, String appId, String instanceId, Instant updatedAt) {
}
