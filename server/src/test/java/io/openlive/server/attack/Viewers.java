package io.openlive.server.attack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicLong;

/** Viewers on {@code /rt} for the attack suite: tokens signed as a host app's backend would, and blocking calls. */
final class Viewers {
    private static final AtomicLong IDS = new AtomicLong();

    private Viewers() {
    }

    /** An HS256 JWT (RFC 7519) with {@code claimsJson}. */
    static String sign(String secret, String claimsJson) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String header = b64.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        String payload = b64.encodeToString(claimsJson.getBytes(StandardCharsets.UTF_8));
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return header + "." + payload + "." + b64.encodeToString(mac.doFinal((header + "." + payload).getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String token(String secret, String sub) {
        return sign(secret, "{\"sub\":\"" + sub + "\",\"name\":\"" + sub + "\",\"exp\":" + (System.currentTimeMillis() / 1000 + 600) + "}");
    }

    /** Joins and reads the welcome. */
    static RawWebSocket join(int port, String room, String app, String token) throws IOException {
        RawWebSocket ws = RawWebSocket.open(port, "/rt?room=" + room + "&app=" + app + (token == null ? "" : "&token=" + token), null);
        if (!ws.responseHead.startsWith("HTTP/1.1 101") || !ws.readText().contains("welcome")) {
            throw new IOException("join refused: " + ws.responseHead);
        }
        return ws;
    }

    /** A call (optionally for a component version) and its result or error envelope. */
    static JsonNode call(RawWebSocket ws, String method, JsonNode params, String component) throws IOException {
        long id = IDS.incrementAndGet();
        ObjectNode n = Api.JSON.createObjectNode().put("id", id).put("op", "call").put("method", method);
        n.set("params", params);
        if (component != null) {
            n.put("component", component);
        }
        ws.text(n.toString());
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode got = Api.JSON.readTree(ws.readText());
            for (JsonNode e : got.isArray() ? got : Api.JSON.createArrayNode().add(got)) {
                if (e.path("id").asLong() == id) {
                    return e;
                }
            }
        }
        throw new IOException("no answer to " + method);
    }

    static String code(JsonNode answer) {
        return answer.path("error").path("code").asText("ok");
    }
}
