package io.openlive.engine.realtime;

/**
 * A message of one room as it travels between nodes: topic, per-room sequence number (0 for ephemeral ones), priority,
 * when it was published, and the envelope already encoded as JSON text, so that no node encodes it twice.
 */
public record RoomMessage(String roomId, String topic, long seq, Priority priority, long at, String json) {
}
