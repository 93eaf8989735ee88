package io.openlive.engine.room;

import java.time.Instant;

/**
 * A live room. {@code id} is public (it is in every play URL); {@code streamKey} is the broadcaster's secret for publishing
 * and is never derived from the id.
 */
public record Room(String id, String title, String streamKey, RoomState state, Instant createdAt, Instant updatedAt) {
}
