package io.openlive.engine.realtime;

/**
 * A message of one room as it travels between nodes: topic, per-room sequence number (0 for ephemeral ones), priority,
 * when it was published, and the envelope already encoded as JSON text, so that no node encodes it twice.
 *
 * <p>A bus that may have lost messages (its connection dropped and came back) delivers a {@linkplain #isGap() gap} to
 * each listener instead: seq -1, and the reason in place of the JSON. Listeners then tell their clients to resync.
 */
public record RoomMessage(String roomId, String topic, long seq, Priority priority, long at, String json) {
    private static final String GAP_TOPIC = "$gap";

    /** Messages of the room may have been lost, for {@code reason}. */
    public static RoomMessage gap(String roomId, String reason) {
        return new RoomMessage(roomId, GAP_TOPIC, -1, Priority.HIGH, System.currentTimeMillis(), reason);
    }

    public boolean isGap() {
        return seq < 0 && GAP_TOPIC.equals(topic);
    }
}
