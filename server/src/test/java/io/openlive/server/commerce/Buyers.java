package io.openlive.server.commerce;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Many realtime viewers for commerce tests, on one shared JDK HttpClient (one selector thread for all sockets): each
 * buyer joins with its own signed token, waits for the welcome, and sends calls whose answers complete futures.
 */
final class Buyers implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    final List<Buyer> all = new ArrayList<>();

    /** One viewer's socket. */
    static final class Buyer {
        final String viewerId;
        final String appId;
        WebSocket ws;
        final CompletableFuture<Void> welcomed = new CompletableFuture<>();
        final CompletableFuture<Integer> closed = new CompletableFuture<>();
        private final Map<Long, CompletableFuture<JsonNode>> calls = new ConcurrentHashMap<>();
        private final AtomicLong ids = new AtomicLong();
        /** Sees every envelope received, on the client's thread. */
        volatile java.util.function.Consumer<JsonNode> onMessage = e -> { };

        Buyer(String viewerId, String appId) {
            this.viewerId = viewerId;
            this.appId = appId;
        }

        /** Sends a call; the future completes with its result or error envelope, or fails when the socket closes first. */
        CompletableFuture<JsonNode> call(String method, Object params) {
            long id = ids.incrementAndGet();
            CompletableFuture<JsonNode> f = new CompletableFuture<>();
            calls.put(id, f);
            ObjectNode n = JSON.createObjectNode().put("id", id).put("op", "call").put("method", method);
            n.set("params", JSON.valueToTree(params));
            synchronized (this) {
                ws.sendText(n.toString(), true).exceptionally(e -> {
                    f.completeExceptionally(e);
                    return null;
                }).join();
            }
            if (closed.isDone()) {
                f.completeExceptionally(new IllegalStateException("closed"));
            }
            return f;
        }

        void sendRaw(String text) {
            synchronized (this) {
                ws.sendText(text, true).join();
            }
        }

        private void onEnvelope(JsonNode e) {
            onMessage.accept(e);
            if (e.path("op").asText().equals("msg") && e.path("data").path("type").asText().equals("welcome")) {
                welcomed.complete(null);
            }
            CompletableFuture<JsonNode> f = e.has("id") ? calls.remove(e.path("id").asLong()) : null;
            if (f != null) {
                f.complete(e);
            }
        }

        private void onClosed(int code) {
            closed.complete(code);
            welcomed.completeExceptionally(new IllegalStateException("closed " + code));
            calls.values().forEach(f -> f.completeExceptionally(new IllegalStateException("closed " + code)));
        }

        void abort() {
            if (ws != null) {
                ws.abort();
            }
        }
    }

    /** Connects {@code count} buyers named {@code prefix-i} of one app, at most 200 handshakes at a time. */
    List<Buyer> join(int port, String room, String appId, String secret, String prefix, int count) throws Exception {
        List<Buyer> joined = new ArrayList<>();
        Semaphore inFlight = new Semaphore(200);
        List<CompletableFuture<Void>> done = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Buyer b = new Buyer(prefix + "-" + i, appId);
            inFlight.acquire();
            done.add(connect(b, port, room, secret).whenComplete((v, e) -> inFlight.release()));
            joined.add(b);
        }
        CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
        synchronized (all) {
            all.addAll(joined);
        }
        return joined;
    }

    CompletableFuture<Void> connect(Buyer b, int port, String room, String secret) {
        String url = "ws://127.0.0.1:" + port + "/rt?room=" + room + "&app=" + b.appId + "&token="
                + URLEncoder.encode(token(secret, b.viewerId), StandardCharsets.UTF_8);
        return http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(30)).buildAsync(URI.create(url), listener(b))
                .thenCompose(ws -> {
                    b.ws = ws;
                    return b.welcomed;
                }).orTimeout(60, TimeUnit.SECONDS);
    }

    private static WebSocket.Listener listener(Buyer b) {
        return new WebSocket.Listener() {
            private final StringBuilder text = new StringBuilder();

            @Override
            public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                text.append(data);
                if (last) {
                    try {
                        JsonNode n = JSON.readTree(text.toString());
                        for (JsonNode e : n.isArray() ? n : JSON.createArrayNode().add(n)) {
                            b.onEnvelope(e);
                        }
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                    text.setLength(0);
                }
                ws.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onClose(WebSocket ws, int code, String reason) {
                b.onClosed(code);
                return null;
            }

            @Override
            public void onError(WebSocket ws, Throwable error) {
                b.onClosed(-1);
            }
        };
    }

    static String token(String secret, String sub) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        long exp = System.currentTimeMillis() / 1000 + 3600;
        String header = b64.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        String payload = b64.encodeToString(("{\"sub\":\"" + sub + "\",\"name\":\"" + sub + "\",\"exp\":" + exp + "}").getBytes(StandardCharsets.UTF_8));
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return header + "." + payload + "." + b64.encodeToString(mac.doFinal((header + "." + payload).getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        synchronized (all) {
            all.forEach(Buyer::abort);
        }
    }
}
