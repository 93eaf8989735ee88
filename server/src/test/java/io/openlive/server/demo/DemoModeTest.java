package io.openlive.server.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.openlive.server.ContainerConfig;
import io.openlive.server.OpenliveServer;
import io.openlive.server.ServerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Demo mode on a fresh data directory: two apps with different instances in one room, and their token route. */
class DemoModeTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** A demo node on free ports with the official components shipped in the jar. */
    public static OpenliveServer startDemo(Path dir) {
        return OpenliveServer.start(ServerConfig.ephemeral(dir).withContainer(
                new ContainerConfig(0, "", true, true, ContainerConfig.OFFICIAL_FOLDER))).await();
    }

    static HttpResponse<String> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void twoAppsShowTheDemoRoomWithTheirOwnComponents(@TempDir Path dir) throws Exception {
        OpenliveServer server = startDemo(dir);
        String base = "http://127.0.0.1:" + server.httpPort();
        JsonNode config;
        try {
            HttpResponse<String> r = get(base + "/demo/api/config");
            assertThat(r.statusCode()).isEqualTo(200);
            config = JSON.readTree(r.body());
            assertThat(config.path("room").asText()).isEqualTo(server.demoRoom().id());
            assertThat(config.path("componentOrigin").asText()).isEqualTo("http://127.0.0.1:" + server.componentPort());
            String shop = config.path("apps").path("shop").asText();
            String pay = config.path("apps").path("pay").asText();
            assertThat(shop).startsWith("app_").isNotEqualTo(pay);

            JsonNode shopView = JSON.readTree(get(base + "/api/v1/rooms/" + config.path("room").asText() + "/apps/" + shop + "/container").body());
            assertThat(shopView.path("parts").findValuesAsText("component")).containsExactly("openlive.live", "openlive.comments",
                    "openlive.likes", "openlive.viewers", "openlive.product-card", "openlive.gifts");
            JsonNode payView = JSON.readTree(get(base + "/api/v1/rooms/" + config.path("room").asText() + "/apps/" + pay + "/container").body());
            assertThat(payView.path("parts").findValuesAsText("component"))
                    .as("the pay app reviews deliveries itself: its demo reviewer approved these")
                    .containsExactly("openlive.live", "openlive.comments", "openlive.likes", "openlive.viewers");
            for (JsonNode part : payView.path("parts")) {
                HttpResponse<String> file = get(part.path("url").asText());
                assertThat(file.statusCode()).as(part.path("url").asText()).isEqualTo(200);
                assertThat(file.headers().firstValue("Content-Security-Policy").orElseThrow())
                        .contains("connect-src 'none'", "frame-ancestors " + base);
            }

            // the token signs a viewer the realtime channel accepts
            JsonNode token = JSON.readTree(get(base + "/demo/api/token?app=pay&name=Mia").body());
            assertThat(token.path("viewer").path("name").asText()).isEqualTo("Mia");
            long exp = token.path("exp").asLong();
            assertThat(exp - System.currentTimeMillis() / 1000).isBetween(590L, 600L);
            JsonNode info = roomInfo(server.httpPort(), config.path("room").asText(), pay, token.path("token").asText());
            assertThat(info.path("op").asText()).as(info.toString()).isEqualTo("result");

            JsonNode a = JSON.readTree(get(base + "/demo/api/token?app=shop").body());
            JsonNode b = JSON.readTree(get(base + "/demo/api/token?app=shop").body());
            assertThat(a.path("viewer").path("id").asText()).isNotEqualTo(b.path("viewer").path("id").asText());
            assertThat(JSON.readTree(get(base + "/demo/api/token?app=shop&id=viewer-7").body()).path("viewer").path("id").asText())
                    .isEqualTo("viewer-7");
            assertThat(get(base + "/demo/api/token?app=other").statusCode()).isEqualTo(400);
            assertThat(get(base + "/demo/api/token?app=shop&id=" + URLEncoder.encode("a b", StandardCharsets.UTF_8)).statusCode()).isEqualTo(400);
            assertThat(get(base + "/demo/api/token?app=shop&name=" + "x".repeat(65)).statusCode()).isEqualTo(400);
            assertThat(get(base + "/demo/api/token?app=pay").body()).doesNotContain("hs_");
        } finally {
            server.close();
        }

        OpenliveServer again = startDemo(dir);
        try {
            JsonNode second = JSON.readTree(get("http://127.0.0.1:" + again.httpPort() + "/demo/api/config").body());
            assertThat(second.path("room")).isEqualTo(config.path("room"));
            assertThat(second.path("apps")).as("a restart keeps the demo apps").isEqualTo(config.path("apps"));
        } finally {
            again.close();
        }
    }

    @Test
    void withoutDemoModeThereIsNoTokenRoute(@TempDir Path dir) throws Exception {
        OpenliveServer server = OpenliveServer.start(ServerConfig.ephemeral(dir)).await();
        try {
            assertThat(get("http://127.0.0.1:" + server.httpPort() + "/demo/api/token?app=shop").statusCode()).isEqualTo(404);
            assertThat(get("http://127.0.0.1:" + server.httpPort() + "/demo/api/config").statusCode()).isEqualTo(404);
            assertThat(server.demo()).isEmpty();
        } finally {
            server.close();
        }
    }

    /** Opens the realtime channel with the token and asks room.info: the answer envelope. */
    static JsonNode roomInfo(int port, String room, String app, String token) throws Exception {
        CompletableFuture<String> first = new CompletableFuture<>();
        StringBuilder text = new StringBuilder();
        WebSocket ws = http.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + port + "/rt?room=" + room + "&app=" + app
                + "&token=" + URLEncoder.encode(token, StandardCharsets.UTF_8)), new WebSocket.Listener() {
            @Override
            public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                text.append(data);
                if (last) {
                    String t = text.toString();
                    text.setLength(0);
                    if (t.contains("\"id\":1")) {
                        first.complete(t);
                    }
                }
                w.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onClose(WebSocket w, int code, String reason) {
                first.complete("{\"op\":\"closed\",\"reason\":\"" + reason + "\"}");
                return null;
            }
        }).get(10, TimeUnit.SECONDS);
        try {
            ws.sendText("{\"id\":1,\"op\":\"call\",\"method\":\"room.info\",\"params\":{}}", true).join();
            JsonNode n = JSON.readTree(first.get(10, TimeUnit.SECONDS));
            return n.isArray() ? n.get(0) : n;
        } finally {
            ws.abort();
        }
    }

    static List<String> names(JsonNode parts) {
        return parts.findValuesAsText("component");
    }
}
