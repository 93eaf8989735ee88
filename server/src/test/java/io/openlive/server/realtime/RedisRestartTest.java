package io.openlive.server.realtime;

import io.openlive.engine.realtime.BusConfig;
import io.openlive.engine.realtime.Priority;
import io.openlive.engine.platform.HostApps;
import io.openlive.server.OpenliveServer;
import io.openlive.server.ServerConfig;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two nodes on a Redis of the test's own that is killed and started again under them: the nodes resubscribe, their
 * clients are told to resync, messages flow again, and /metrics shows the reconnect. Scripts go by digest.
 */
class RedisRestartTest {
    @Test
    void nodesComeBackAfterRedisRestartsAndTellClientsToResync() throws Exception {
        try (OwnRedis redis = OwnRedis.start()) {
            Path dir = Files.createTempDirectory("openlive-redis-restart");
            OpenliveServer a = OpenliveServer.start(ServerConfig.ephemeral(dir).withRedis(redis.url())).await();
            OpenliveServer b = OpenliveServer.start(ServerConfig.ephemeral(dir).withRedis(redis.url())).await();
            try {
                HostApps.WithSecret shop = a.platform().apps().create(TwoNodeRedisTest.ADMIN, "Shop", "direct", List.of(), false);
                String room = a.platform().rooms().create(TwoNodeRedisTest.ADMIN, "Restart", null, List.of(shop.app().id())).id();
                try (RtClient alice = join(a, room, shop, "alice"); RtClient bob = join(b, room, shop, "bob")) {
                    bob.sub("comment");
                    bob.call("room.info", Map.of()); // answered after the sub before it
                    alice.call("comment.send", Map.of("text", "before"));
                    bob.awaitMsg("comment", d -> d.path("text").asText().equals("before"), 5000);

                    redis.restart();

                    bob.await(e -> e.path("op").asText().equals("resync"), 15_000);
                    alice.await(e -> e.path("op").asText().equals("resync"), 15_000);
                    await(() -> a.bus().isConnected() && b.bus().isConnected(), 15_000);
                    assertThat(b.bus().reconnects()).isEqualTo(1);
                    try (RtClient carol = join(a, room, shop, "carol")) {
                        carol.call("comment.send", Map.of("text", "after"));
                        bob.awaitMsg("comment", d -> d.path("text").asText().equals("after"), 10_000);
                    }
                    String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + b.httpPort() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
                    assertThat(metrics).contains("openlive_bus_connected 1.0").contains("openlive_bus_reconnects_total 1.0");
                }
            } finally {
                b.close();
                a.close();
            }
        }
    }

    @Test
    void readyzIsFalseWhileRedisIsDownAndTrueOnceTheBusIsBack() throws Exception {
        try (OwnRedis redis = OwnRedis.start()) {
            OpenliveServer node = OpenliveServer.start(ServerConfig.ephemeral(Files.createTempDirectory("openlive-readyz"))
                    .withRedis(redis.url())).await();
            try {
                String readyz = "http://127.0.0.1:" + node.httpPort() + "/readyz";
                assertThat(get(readyz).statusCode()).isEqualTo(200);
                redis.stop();
                await(() -> get(readyz).statusCode() == 503, 10_000);
                assertThat(get(readyz).body()).contains("\"bus\":false").contains("\"store\":true");
                assertThat(get("http://127.0.0.1:" + node.httpPort() + "/healthz").statusCode()).as("alive all along").isEqualTo(200);
                redis.launch();
                await(() -> get(readyz).statusCode() == 200, 15_000);
            } finally {
                node.close();
            }
        }
    }

    private static HttpResponse<String> get(String url) {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new AssertionError(url + ": " + e, e);
        }
    }

    @Test
    void scriptsAreSentOnceThenCalledByTheirDigest() throws Exception {
        Vertx vertx = Vertx.vertx();
        try (OwnRedis redis = OwnRedis.start();
             RedisRoomBus bus = RedisRoomBus.connect(vertx, redis.url(), BusConfig.defaults())) {
            var data = RtClient.JSON.createObjectNode().put("text", "hi");
            for (int i = 0; i < 5; i++) {
                bus.publish("rdigest", "comment", Priority.NORMAL, data).toCompletableFuture().get(5, TimeUnit.SECONDS);
            }
            String stats = redis.command("INFO", "commandstats");
            assertThat(callsOf(stats, "eval")).as("the script text goes over the wire once").isEqualTo(1);
            assertThat(callsOf(stats, "evalsha")).isEqualTo(5);
        } finally {
            vertx.close().await();
        }
    }

    private static long callsOf(String commandStats, String command) {
        for (String line : commandStats.split("\r?\n")) {
            if (line.startsWith("cmdstat_" + command + ":calls=")) {
                return Long.parseLong(line.substring(("cmdstat_" + command + ":calls=").length()).split(",")[0]);
            }
        }
        return 0;
    }

    private static RtClient join(OpenliveServer node, String room, HostApps.WithSecret app, String user) throws Exception {
        RtClient c = RtClient.connect(RtClient.url(node.httpPort(), room, app.app().id(), Tokens.viewer(app.secret(), user, user), 0));
        c.awaitMsg("system", d -> d.path("type").asText().equals("welcome"), 5000);
        return c;
    }

    private static void await(BooleanSupplier condition, long timeoutMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (!condition.getAsBoolean()) {
            assertThat(System.currentTimeMillis()).as("condition within %d ms", timeoutMillis).isLessThan(deadline);
            Thread.sleep(20);
        }
    }
}
