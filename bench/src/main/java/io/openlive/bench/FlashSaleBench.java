package io.openlive.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
import java.util.concurrent.atomic.LongAdder;

/**
 * Flash sale load against an openlive node: sets up two host apps, a room delivered to both and a product with U units
 * through the REST API (an admin key), joins B buyers over the realtime channel (half in each app), then has every buyer
 * press buy ({@code order.create}, quantity 1) within one second. Reports answers per second, answer time p50/p99 (send to
 * answer), orders, {@code sold_out} answers, errors, and oversold units (orders beyond U, and the stock the server
 * reports below zero): both must be 0.
 */
final class FlashSaleBench {
    private static final ObjectMapper JSON = new ObjectMapper();

    record Options(String label, URI server, String apiKey, int buyers, int units, int connectRate) {
    }

    private final Options o;
    private final PrintStream out;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    FlashSaleBench(Options o, PrintStream out) {
        this.o = o;
        this.out = out;
    }

    static String header() {
        return String.format("%-12s %7s %6s %10s %9s %9s %7s %8s %6s %8s %9s", "server", "buyers", "units", "answers/s", "p50 ms",
                "p99 ms", "orders", "sold_out", "errors", "oversold", "connect s");
    }

    void run() throws Exception {
        List<String> apps = new ArrayList<>();
        List<String> secrets = new ArrayList<>();
        for (String name : List.of("Bench Shop", "Bench Pay")) {
            JsonNode app = rest("POST", "/apps", Map.of("name", name, "policy", "direct"));
            apps.add(app.path("id").asText());
            secrets.add(app.path("secret").asText());
        }
        String room = rest("POST", "/rooms", Map.of("title", "Flash sale bench", "apps", apps)).path("id").asText();
        String product = rest("POST", "/products", Map.of("title", "Bench kettle", "price", 2999, "currency", "EUR", "stock", o.units(),
                "broadcaster", "bench")).path("id").asText();
        rest("POST", "/rooms/" + room + "/products", Map.of("productId", product));

        String ws = "ws://" + o.server().getHost() + ":" + o.server().getPort() + "/rt";
        List<Buyer> buyers = new ArrayList<>();
        long connectStart = System.nanoTime();
        Semaphore inFlight = new Semaphore(200);
        long interval = 1_000_000_000L / o.connectRate();
        List<CompletableFuture<Void>> joins = new ArrayList<>();
        for (int i = 0; i < o.buyers(); i++) {
            int app = i % 2;
            Buyer b = new Buyer();
            buyers.add(b);
            String url = ws + "?room=" + room + "&app=" + apps.get(app) + "&token="
                    + URLEncoder.encode(token(secrets.get(app), "buyer-" + i), StandardCharsets.UTF_8);
            inFlight.acquire();
            joins.add(http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(30)).buildAsync(URI.create(url), b)
                    .thenCompose(s -> {
                        b.socket = s;
                        return b.welcome;
                    }).orTimeout(60, TimeUnit.SECONDS).whenComplete((v, e) -> inFlight.release()));
            long due = connectStart + (i + 1) * interval;
            while (System.nanoTime() < due) {
                Thread.onSpinWait();
            }
        }
        CompletableFuture.allOf(joins.toArray(CompletableFuture[]::new)).get(300, TimeUnit.SECONDS);
        double connectSeconds = (System.nanoTime() - connectStart) / 1e9;

        Histogram times = new Histogram();
        LongAdder orders = new LongAdder();
        LongAdder soldOut = new LongAdder();
        LongAdder errors = new LongAdder();
        Map<String, Boolean> orderIds = new ConcurrentHashMap<>();
        List<CompletableFuture<Void>> answers = new ArrayList<>();
        long start = System.nanoTime();
        long spread = 1_000_000_000L / Math.max(1, o.buyers());
        for (int i = 0; i < buyers.size(); i++) {
            Buyer b = buyers.get(i);
            long due = start + i * spread; // every buyer presses buy within one second
            while (System.nanoTime() < due) {
                Thread.onSpinWait();
            }
            long sent = System.nanoTime();
            answers.add(b.order(product, "bench-" + i).thenAccept(a -> {
                times.record(System.nanoTime() - sent);
                if (a.path("op").asText().equals("result")) {
                    orders.increment();
                    orderIds.put(a.path("result").path("order").path("id").asText(), true);
                } else if (a.path("error").path("code").asText().equals("sold_out")) {
                    soldOut.increment();
                } else {
                    errors.increment();
                }
            }).exceptionally(e -> {
                errors.increment();
                return null;
            }));
        }
        CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
        double seconds = (System.nanoTime() - start) / 1e9;
        long stock = rest("GET", "/products/" + product, null).path("stock").asLong();
        long oversold = Math.max(0, orderIds.size() - o.units()) + Math.max(0, -stock);
        out.println(String.format("%-12s %7d %6d %10.0f %9.1f %9.1f %7d %8d %6d %8d %9.1f", o.label(), o.buyers(), o.units(),
                times.count() / seconds, times.percentileMs(0.50), times.percentileMs(0.99), orders.sum(), soldOut.sum(), errors.sum(),
                oversold, connectSeconds));
        for (Buyer b : buyers) {
            if (b.socket != null) {
                b.socket.abort();
            }
        }
    }

    private JsonNode rest(String method, String path, Object body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(o.server().resolve("/api/v1" + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + o.apiKey())
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        HttpResponse<byte[]> r;
        try {
            r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("cannot reach " + o.server() + ": " + e);
        }
        if (r.statusCode() >= 300) {
            throw new IllegalArgumentException(method + " " + path + " answered " + r.statusCode() + ": " + new String(r.body(), StandardCharsets.UTF_8));
        }
        return JSON.readTree(r.body());
    }

    static String token(String secret, String sub) throws Exception {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String header = b64.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        String payload = b64.encodeToString(("{\"sub\":\"" + sub + "\",\"name\":\"" + sub + "\",\"exp\":"
                + (System.currentTimeMillis() / 1000 + 3600) + "}").getBytes(StandardCharsets.UTF_8));
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return header + "." + payload + "." + b64.encodeToString(mac.doFinal((header + "." + payload).getBytes(StandardCharsets.UTF_8)));
    }

    /** One buyer's socket: the welcome, and the answer to its one order. */
    private static final class Buyer implements WebSocket.Listener {
        final CompletableFuture<Void> welcome = new CompletableFuture<>();
        final CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        final StringBuilder text = new StringBuilder();
        volatile WebSocket socket;

        CompletableFuture<JsonNode> order(String product, String key) {
            socket.sendText("{\"id\":1,\"op\":\"call\",\"method\":\"order.create\",\"params\":{\"productId\":\"" + product
                    + "\",\"quantity\":1,\"idempotencyKey\":\"" + key + "\"}}", true);
            return answer;
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                try {
                    JsonNode n = JSON.readTree(text.toString());
                    for (JsonNode e : n.isArray() ? n : JSON.createArrayNode().add(n)) {
                        if (e.path("data").path("type").asText().equals("welcome")) {
                            welcome.complete(null);
                        } else if (e.path("id").asLong() == 1) {
                            answer.complete(e);
                        }
                    }
                } catch (Exception e) {
                    answer.completeExceptionally(e);
                }
                text.setLength(0);
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int code, String reason) {
            welcome.completeExceptionally(new IllegalStateException("closed " + code + " " + reason));
            answer.completeExceptionally(new IllegalStateException("closed " + code + " " + reason));
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            welcome.completeExceptionally(error);
            answer.completeExceptionally(error);
        }
    }
}
