package io.openlive.protocol.realtime;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Decodes one client text frame into an {@link Envelope}. Anything else fails with {@link EnvelopeException}: not JSON,
 * too large, too deeply nested, an unknown op, a call without a positive integer id or a method name.
 */
public final class EnvelopeDecoder {
    /** Largest client frame accepted, in bytes. */
    public static final int DEFAULT_MAX_FRAME_BYTES = 16 * 1024;
    /** Most topics in one sub/unsub. */
    public static final int MAX_TOPICS = 64;
    /** A component version id as the platform makes them ({@code ver_} and random characters), bounded. */
    private static final Pattern COMPONENT = Pattern.compile("[a-z]{1,8}_[A-Za-z0-9]{1,40}");
    private static final Pattern METHOD = Pattern.compile("[a-z][a-z0-9-]*(\\.[a-z][a-z0-9-]*){0,5}");
    private static final Pattern TOPIC = Pattern.compile("[a-z][a-z0-9-]*(\\.[a-z][a-z0-9-]*){0,6}");

    private static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(32).maxStringLength(DEFAULT_MAX_FRAME_BYTES).build())
            .build());

    private final int maxFrameBytes;

    public EnvelopeDecoder(int maxFrameBytes) {
        this.maxFrameBytes = maxFrameBytes;
    }

    public Envelope decode(byte[] utf8) throws EnvelopeException {
        if (utf8.length > maxFrameBytes) {
            throw new EnvelopeException(ErrorCode.TOO_LARGE, "frame is " + utf8.length + " bytes; the limit is " + maxFrameBytes, 0);
        }
        JsonNode root;
        try {
            root = JSON.readTree(utf8);
        } catch (JsonProcessingException e) {
            throw new EnvelopeException(ErrorCode.BAD_JSON, "not JSON: " + e.getOriginalMessage(), 0);
        } catch (IOException e) {
            throw new EnvelopeException(ErrorCode.BAD_JSON, "not JSON", 0);
        }
        if (root == null || root.isMissingNode()) {
            throw new EnvelopeException(ErrorCode.BAD_JSON, "empty frame", 0);
        }
        if (!root.isObject()) {
            throw new EnvelopeException(ErrorCode.BAD_ENVELOPE, "an envelope is a JSON object with an op", 0);
        }
        String op = root.path("op").asText("");
        return switch (op) {
            case "call" -> call(root);
            case "sub" -> new Envelope.Subscribe(topics(root));
            case "unsub" -> new Envelope.Unsubscribe(topics(root));
            case "ping" -> new Envelope.Ping();
            default -> throw new EnvelopeException(ErrorCode.UNKNOWN_OP, "unknown op '" + truncate(op) + "' (call, sub, unsub, ping)", 0);
        };
    }

    private static Envelope.Call call(JsonNode root) throws EnvelopeException {
        JsonNode id = root.get("id");
        if (id == null || !id.canConvertToLong() || !id.isIntegralNumber() || id.asLong() <= 0) {
            throw new EnvelopeException(ErrorCode.BAD_ENVELOPE, "a call needs a positive integer id", 0);
        }
        String method = root.path("method").asText("");
        if (!METHOD.matcher(method).matches()) {
            throw new EnvelopeException(ErrorCode.BAD_ENVELOPE, "a call needs a method such as comment.send", id.asLong());
        }
        JsonNode params = root.get("params");
        if (params != null && !params.isObject() && !params.isNull()) {
            throw new EnvelopeException(ErrorCode.BAD_PARAMS, "params must be an object", id.asLong());
        }
        JsonNode component = root.get("component");
        if (component != null && !component.isNull() && (!component.isTextual() || !COMPONENT.matcher(component.asText()).matches())) {
            throw new EnvelopeException(ErrorCode.BAD_ENVELOPE, "component must be a component version id such as ver_…", id.asLong());
        }
        return new Envelope.Call(id.asLong(), method, params == null || params.isNull() ? JSON.createObjectNode() : params,
                component == null || component.isNull() ? null : component.asText());
    }

    private static List<String> topics(JsonNode root) throws EnvelopeException {
        JsonNode topics = root.get("topics");
        if (topics == null || !topics.isArray() || topics.size() > MAX_TOPICS) {
            throw new EnvelopeException(ErrorCode.BAD_ENVELOPE, "topics must be an array of at most " + MAX_TOPICS + " topic names", 0);
        }
        List<String> out = new ArrayList<>();
        for (JsonNode t : topics) {
            if (!t.isTextual() || !TOPIC.matcher(t.asText()).matches()) {
                throw new EnvelopeException(ErrorCode.BAD_ENVELOPE, "'" + truncate(t.asText()) + "' is not a topic name", 0);
            }
            out.add(t.asText());
        }
        return out;
    }

    private static String truncate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "…" : s;
    }
}
