package io.openlive.server.realtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/** A realtime client for tests on the JDK's WebSocket: every envelope received (batches flattened), calls by id. */
final class RtClient implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();

    final LinkedBlockingQueue<JsonNode> received = new LinkedBlockingQueue<>();
    final List<JsonNode> all = java.util.Collections.synchronizedList(new ArrayList<>());
    final CompletableFuture<Integer> closed = new CompletableFuture<>();
    volatile String closeReason;
    private final AtomicLong ids = new AtomicLong();
    private WebSocket ws;

    static String url(int port, String room, String app, String token, long since) {
        StringBuilder u = new StringBuilder("ws://127.0.0.1:" + port + "/rt?room=" + room + "&app=" + app);
        if (token != null) {
            u.append("&token=").append(URLEncoder.encode(token, StandardCharsets.UTF_8));
        }
        if (since > 0) {
            u.append("&since=").append(since);
        }
        return u.toString();
    }

    static RtClient connect(String url) throws Exception {
        return connect(url, null);
    }

    /** Connects as a browser page of {@code origin} would (null: as a non-browser client, without an Origin header). */
    static RtClient connect(String url, String origin) throws Exception {
        RtClient c = new RtClient();
        WebSocket.Builder builder = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
        if (origin != null) {
            builder.header("Origin", origin);
        }
        c.ws = builder.buildAsync(URI.create(url), c.listener()).get(10, TimeUnit.SECONDS);
        return c;
    }

    private WebSocket.Listener listener() {
        return new WebSocket.Listener() {
            private final StringBuilder text = new StringBuilder();

            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                text.append(data);
                if (last) {
                    try {
                        JsonNode n = JSON.readTree(text.toString());
                        for (JsonNode e : n.isArray() ? n : JSON.createArrayNode().add(n)) {
                            all.add(e); // before the queue: a test woken by the queue must find it in received() too
                            received.add(e);
                        }
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                    text.setLength(0);
                }
                webSocket.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                closeReason = reason;
                closed.complete(statusCode);
                return null;
            }

            @Override
            public void onError(WebSocket webSocket, Throwable error) {
                closed.complete(-1);
            }
        };
    }

    void sendText(String text) {
        ws.sendText(text, true).join();
    }

    void sendBinary(byte[] data) {
        ws.sendBinary(ByteBuffer.wrap(data), true).join();
    }

    void sub(String... topics) {
        ObjectNode n = JSON.createObjectNode().put("op", "sub");
        for (String t : topics) {
            n.withArray("topics").add(t);
        }
        sendText(n.toString());
    }

    /** Sends a call and waits for its result or error envelope. */
    JsonNode call(String method, Object params) throws InterruptedException {
        return call(method, params, null);
    }

    /** Sends a call as a container forwards it for the component version {@code component} (null: the page's own). */
    JsonNode call(String method, Object params, String component) throws InterruptedException {
        long id = ids.incrementAndGet();
        ObjectNode n = JSON.createObjectNode().put("id", id).put("op", "call").put("method", method);
        if (component != null) {
            n.put("component", component);
        }
        n.set("params", JSON.valueToTree(params));
        sendText(n.toString());
        return await(e -> e.path("id").asLong() == id, 10_000);
    }

    /** A copy of every envelope received so far: the client's event loop keeps adding while a test reads. */
    List<JsonNode> received() {
        synchronized (all) {
            return List.copyOf(all);
        }
    }

    /** The first received envelope matching {@code p} (others received meanwhile stay in {@link #all}). */
    JsonNode await(Predicate<JsonNode> p, long timeoutMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (System.currentTimeMillis() < deadline) {
            JsonNode e = received.poll(50, TimeUnit.MILLISECONDS);
            if (e != null && p.test(e)) {
                return e;
            }
        }
        List<String> last = new ArrayList<>();
        synchronized (all) {
            for (JsonNode e : all.subList(Math.max(0, all.size() - 5), all.size())) {
                String t = e.toString();
                last.add(t.length() > 200 ? t.substring(0, 200) + "…" : t);
            }
        }
        throw new AssertionError("no matching envelope within " + timeoutMillis + " ms; " + all.size() + " received, the last: " + last);
    }

    JsonNode awaitMsg(String topic, Predicate<JsonNode> data, long timeoutMillis) throws InterruptedException {
        return await(e -> "msg".equals(e.path("op").asText()) && topic.equals(e.path("topic").asText()) && data.test(e.path("data")), timeoutMillis);
    }

    int awaitClose() throws Exception {
        return closed.get(15, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        if (!closed.isDone()) {
            ws.sendClose(1000, "bye");
            ws.abort();
        }
    }
}
