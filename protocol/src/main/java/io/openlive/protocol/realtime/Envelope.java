package io.openlive.protocol.realtime;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;

/**
 * What a realtime client sends, decoded (DESIGN.md's envelope). Outgoing envelopes are written by {@link Envelopes}.
 *
 * <pre>
 * → {"id":7,"op":"call","method":"comment.send","params":{"text":"hi"}}
 * → {"op":"sub","topics":["comment","like"]}      → {"op":"unsub","topics":["like"]}      → {"op":"ping"}
 * </pre>
 */
public sealed interface Envelope {
    /**
     * A request; the server answers with a {@code result} or {@code error} carrying the same {@code id}. {@code component} is the version id of the component a container forwards the call for, or null for
     * the host page's own calls (CONTAINER contract: component identity on the WebSocket).
     */
    record Call(long id, String method, JsonNode params, String component) implements Envelope {
        public Call(long id, String method, JsonNode params) {
            this(id, method, params, null);
        }
    }

    record Subscribe(List<String> topics) implements Envelope {
    }

    record Unsubscribe(List<String> topics) implements Envelope {
    }

    /** Keeps an idle connection open through proxies; answered with {@code {"op":"pong"}}. */
    record Ping() implements Envelope {
    }
}
