package io.openlive.engine.realtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * A message of one room as it travels between nodes: topic, per-room sequence number (0 for ephemeral ones), priority,
 * when it was published, and the envelope already encoded as UTF-8 JSON, so that no node encodes it twice and batches
 * copy its bytes as they are into the frames they send. {@code data} is the envelope's data when the message was made
 * on this node (null when it came from another node): a node that reads a like total or a system event then does not
 * parse what it has just written.
 *
 * <p>A bus that may have lost messages (its connection dropped and came back) delivers a {@linkplain #isGap() gap} to
 * each listener instead: seq -1, and the reason in place of the JSON. Listeners then tell their clients to resync.
 */
public record RoomMessage(String roomId, String topic, long seq, Priority priority, long at, byte[] utf8, JsonNode data) {
    private static final String GAP_TOPIC = "$gap";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A message whose envelope is given as text. */
    public RoomMessage(String roomId, String topic, long seq, Priority priority, long at, String json) {
        this(roomId, topic, seq, priority, at, json.getBytes(StandardCharsets.UTF_8), null);
    }

    /** Messages of the room may have been lost, for {@code reason}. */
    public static RoomMessage gap(String roomId, String reason) {
        return new RoomMessage(roomId, GAP_TOPIC, -1, Priority.HIGH, System.currentTimeMillis(), reason);
    }

    public boolean isGap() {
        return seq < 0 && GAP_TOPIC.equals(topic);
    }

    /** The envelope as text (a gap's reason). */
    public String json() {
        return new String(utf8, StandardCharsets.UTF_8);
    }

    /** The envelope's {@code data}: the one it was made from, or parsed from the bytes (an empty object if they are not JSON). */
    public JsonNode dataNode() {
        if (data != null) {
            return data;
        }
        try {
            return JSON.readTree(utf8).path("data");
        } catch (IOException e) {
            return JSON.createObjectNode();
        }
    }
}
