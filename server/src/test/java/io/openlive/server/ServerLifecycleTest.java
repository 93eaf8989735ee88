package io.openlive.server;

import io.openlive.server.store.Database;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Liveness and readiness probes, and a start that fails leaving nothing behind. */
class ServerLifecycleTest {
    @Test
    void healthzAnswersAndReadyzChecksStoreBusAndListeners() throws Exception {
        try (ServerFixture fixture = ServerFixture.start()) {
            HttpResponse<String> health = get(fixture.http("/healthz"));
            assertThat(health.statusCode()).isEqualTo(200);
            HttpResponse<String> ready = get(fixture.http("/readyz"));
            assertThat(ready.statusCode()).isEqualTo(200);
            assertThat(ready.body()).isEqualTo("{\"status\":\"ready\",\"checks\":{\"store\":true,\"bus\":true,\"listeners\":true}}");
        }
    }

    @Test
    void aStartThatFailsClosesVertxAndTheStore() throws Exception {
        long before = vertxThreads();
        Path dir = Files.createTempDirectory("openlive-failed-start");
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            ServerConfig base = ServerConfig.ephemeral(dir);
            ServerConfig clash = base.toBuilder().rtmpPort(taken.getLocalPort()).build();
            for (int i = 0; i < 3; i++) {
                assertThatThrownBy(() -> OpenliveServer.start(clash).await()).hasMessageContaining("ddress");
            }
            int closedPort = taken.getLocalPort(); // nothing speaks Redis there
            for (int i = 0; i < 2; i++) {
                assertThatThrownBy(() -> OpenliveServer.start(base.withRedis("redis://127.0.0.1:" + closedPort)).await())
                        .hasMessageContaining("Redis");
            }
        }
        Eventually.await("Vert.x threads of the failed starts gone", Duration.ofSeconds(15), () -> vertxThreads() <= before);
        try (Database db = Database.embedded(dir)) {
            assertThat(db.isReachable(2)).as("the store was closed and opens again").isTrue();
        }
    }

    private static long vertxThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.isAlive() && t.getName().startsWith("vert")).count();
    }

    private static HttpResponse<String> get(String url) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
