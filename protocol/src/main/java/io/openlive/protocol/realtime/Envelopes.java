package io.openlive.protocol.realtime;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Writes server envelopes as JSON text. A room message is encoded once, when it is published, and the same text goes into
 * every batch that carries it; a batch is a JSON array of envelopes.
 *
 * <pre>
 * ← {"id":7,"op":"result","result":{…}}      ← {"id":7,"op":"error","error":{"code":"rate_limited","message":"…"}}
 * ← {"op":"msg","topic":"comment","seq":1042,"mt":81234,"data":{…}}  (seq only on messages kept in the room's history;
 *                                                                 mt, the room's media time, only while it is live)
 * ← {"op":"skipped","topic":"comment","count":37}            (comments left out of a busy room's stream)
 * ← {"op":"resync","reason":"…"}                              (recovery from since= is impossible)
 * </pre>
 */
public final class Envelopes {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Envelopes() {
    }

    public static String result(long id, JsonNode result) {
        ObjectNode n = JSON.createObjectNode().put("id", id).put("op", "result");
        n.set("result", result);
        return write(n);
    }

    public static String error(long id, String code, String message) {
        ObjectNode n = JSON.createObjectNode();
        if (id > 0) {
            n.put("id", id);
        }
        n.put("op", "error");
        n.putObject("error").put("code", code).put("message", message);
        return write(n);
    }

    /** A room message; {@code seq} 0 means not kept in history (like totals, presence). */
    public static String msg(String topic, long seq, JsonNode data) {
        return msg(topic, seq, -1, data);
    }

    /** A room message stamped with the room's media time {@code mt} (ms of its ingest timeline); negative leaves it out. */
    public static String msg(String topic, long seq, long mt, JsonNode data) {
        return write(msgNode(topic, seq, mt, data));
    }

    /** {@link #msg(String, long, long, JsonNode)} as UTF-8 bytes, the form a room message travels in to the socket. */
    public static byte[] msgUtf8(String topic, long seq, long mt, JsonNode data) {
        try {
            return JSON.writeValueAsBytes(msgNode(topic, seq, mt, data));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ObjectNode msgNode(String topic, long seq, long mt, JsonNode data) {
        ObjectNode n = JSON.createObjectNode().put("op", "msg").put("topic", topic);
        if (seq > 0) {
            n.put("seq", seq);
        }
        if (mt >= 0) {
            n.put("mt", mt);
        }
        n.set("data", data);
        return n;
    }

    public static String skipped(String topic, long count) {
        return write(JSON.createObjectNode().put("op", "skipped").put("topic", topic).put("count", count));
    }

    public static String resync(String reason) {
        return write(JSON.createObjectNode().put("op", "resync").put("reason", reason));
    }

    public static String pong() {
        return "{\"op\":\"pong\"}";
    }

    private static String write(JsonNode n) {
        try {
            return JSON.writeValueAsString(n);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
