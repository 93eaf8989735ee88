package io.openlive.server.attack;

import io.openlive.engine.room.Room;
import io.openlive.server.ServerFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Finding: one third-party submit stalled every database user of the node. The checks ran inside the submit's
 * transaction (SQLite's pool is one connection) and their regular expressions backtracked: {@code @import} and 3,000
 * spaces took about 90 s, an HTML file of repeated {@code <link } about a minute. Now the checks run outside any
 * transaction and scan linearly; while a hostile bundle is submitted, API calls, publishes, plays and joins are answered
 * in their normal time, and the submit itself ends promptly.
 */
class HostileBundleTest {
    static ServerFixture node;
    static Api api;
    static String admin;

    @BeforeAll
    static void start() throws Exception {
        node = ServerFixture.start();
        api = new Api(node.server.httpPort());
        admin = node.server.platform().keys().bootstrapAdmin().orElseThrow();
    }

    @AfterAll
    static void stop() throws Exception {
        node.close();
    }

    @Test
    void hostileBundleLeavesTheNodeAnswering() throws Exception {
        String dev = api.developerKey(admin, "Mallory", "third-party");
        api.ok("POST", "/components", dev, Map.of("id", "mallory.stall", "name", "Stall"));
        Map<String, String> files = new LinkedHashMap<>();
        files.put("manifest.json", Api.manifest("mallory.stall", "1.0.0", "[\"room:read\"]", "[]"));
        files.put("index.html", "<!doctype html>" + "<link ".repeat(55_000) + "<script ".repeat(40_000));
        files.put("style.css", "@import" + " ".repeat(3_000) + ";");
        files.put("main.js", ("import" + " ".repeat(400) + "(").repeat(1_000));
        String version = api.ok("POST", "/components/mallory.stall/versions", dev, Api.zip(files)).text("id");

        Room live = node.newRoom("live");
        Probes probes = new Probes(node, api, admin, live);
        probes.round(); // warm up: class loading and first connections are not what is measured

        long start = System.nanoTime();
        CompletableFuture<Api.Response> submit = CompletableFuture.supplyAsync(() -> {
            try {
                return api.call("POST", "/versions/" + version + "/submit", dev, null);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        List<Probes.Timing> timings = new ArrayList<>();
        for (int round = 0; round < 3 || (!submit.isDone() && round < 8); round++) {
            timings.addAll(probes.round());
        }
        Api.Response answer = submit.get(30, TimeUnit.SECONDS);
        long submitMillis = (System.nanoTime() - start) / 1_000_000;

        assertThat(answer.status()).as("submit answer %s", answer.body()).isEqualTo(200);
        assertThat(answer.text("state")).isIn("in_review", "checks_failed");
        assertThat(submitMillis).as("the hostile submit's own time").isLessThan(15_000);
        assertThat(timings).as("every probe answered within 3 s").allSatisfy(t -> {
            assertThat(t.outcome()).as(t.what()).doesNotStartWith("failed");
            assertThat(t.millis()).as(t.what() + " " + t.outcome()).isLessThan(3_000);
        });
    }
}
