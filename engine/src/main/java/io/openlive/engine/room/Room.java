package io.openlive.engine.room;

import java.time.Instant;

/**
 * A live room. {@code id} is public (it is in every play URL); {@code streamKey} is the broadcaster's secret for publishing
 * and is never derived from the id. {@code owner} is the principal that created it (null for rooms made by the node
 * itself, such as the demo room); {@code scheduledAt} is when the show is announced to start, if it is.
 */
public record Room(String id, String title, String streamKey, RoomState state, String owner, Instant scheduledAt,
                   Instant createdAt, Instant updatedAt) {
}
