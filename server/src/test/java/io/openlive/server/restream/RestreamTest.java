package io.openlive.server.restream;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.openlive.engine.room.Room;
import io.openlive.server.Eventually;
import io.openlive.server.Ffmpeg;
import io.openlive.server.ServerFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A room restreamed to a real nginx-rtmp: ffmpeg publishes to openlive, openlive pushes to nginx, ffprobe plays both
 * tracks from nginx; nginx is killed and started again and openlive reconnects; the show's end unpublishes there
 * (deleteStream in nginx's log, on_publish_done at once). Plus the API's refusals.
 */
class RestreamTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static ServerFixture fixture;
    private static String admin;

    @BeforeAll
    static void start() throws Exception {
        fixture = ServerFixture.start(c -> c.withStream(io.openlive.engine.stream.StreamConfig.defaults()
                .withPublisherGrace(Duration.ofSeconds(1)).withSlowReaderTimeout(Duration.ofSeconds(3))));
        admin = fixture.server.platform().keys().bootstrapAdmin().orElseThrow();
    }

    @AfterAll
    static void stop() throws Exception {
        fixture.close();
    }

    static HttpResponse<byte[]> call(String method, String url, String key, String body) throws Exception {
        return io.openlive.server.KeyedRequests.send(method, url, key, body);
    }

    private static JsonNode get(String url) {
        try {
            return JSON.readTree(call("GET", url, admin, null).body());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static String metrics() {
        try {
            return new String(call("GET", fixture.http("/metrics"), null, null).body());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** The value of one series in a Prometheus text scrape. */
    private static double metric(String scrape, String series) {
        return scrape.lines().filter(l -> l.startsWith(series + " ")).mapToDouble(l -> Double.parseDouble(l.substring(series.length() + 1)))
                .findFirst().orElseThrow(() -> new AssertionError("no series " + series));
    }

    @Test
    void roomIsPushedToNginxReconnectsAfterItRestartsAndUnpublishesAtTheEnd() throws Exception {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        root.addAppender(logs);
        try (NginxRtmp nginx = new NginxRtmp()) {
            Room room = fixture.newRoom("restreamed");
            String key = "sk" + Long.toHexString(System.nanoTime()) + "secretKEY";
            String api = fixture.http("/api/v1/rooms/" + room.id() + "/restreams");
            HttpResponse<byte[]> made = call("POST", api, admin,
                    "{\"url\":\"rtmp://127.0.0.1:" + nginx.port + "/live\",\"key\":\"" + key + "\"}");
            assertThat(made.statusCode()).as(new String(made.body())).isEqualTo(201);
            JsonNode dest = JSON.readTree(made.body());
            String id = dest.path("id").asText();
            assertThat(dest.path("state").asText()).as("not live yet").isEqualTo("stopped");
            assertThat(new String(made.body())).doesNotContain(key);
            String one = api + "/" + id;

            Process publisher = Ffmpeg.publish(fixture.publishUrl(room), 40);
            try {
                Eventually.await("pushing to nginx", Duration.ofSeconds(20), () -> get(one).path("state").asText().equals("connected")
                        && nginx.callbacks.contains("publish name=" + key));
                assertThat(metrics()).contains("openlive_restream_destinations{state=\"connected\"} 1.0");
                String labels = "{destination=\"" + id + "\",room=\"" + room.id() + "\"}";
                assertThat(metrics()).as("this destination's own status").contains("openlive_restream_destination_connected" + labels + " 1.0");
                JsonNode probe = Ffmpeg.probe(nginx.playUrl(key), 2);
                assertThat(Ffmpeg.codecs(probe)).as("both tracks from nginx").contains("video:h264", "audio:aac");

                nginx.stop();
                Eventually.await("drop noticed", Duration.ofSeconds(15), () -> {
                    JsonNode s = get(one);
                    return s.path("reconnects").asLong() >= 1 && !s.path("lastError").isNull()
                            && !s.path("state").asText().equals("connected");
                });
                long before = get(one).path("bytesSent").asLong();
                nginx.start();
                Eventually.await("reconnected to nginx", Duration.ofSeconds(20), () -> get(one).path("state").asText().equals("connected")
                        && get(one).path("bytesSent").asLong() > before);
                JsonNode again = Ffmpeg.probe(nginx.playUrl(key), 2);
                assertThat(Ffmpeg.codecs(again)).as("both tracks after the reconnect").contains("video:h264", "audio:aac");
                assertThat(metrics()).contains("openlive_restream_reconnects_total");
                String mine = metrics();
                assertThat(mine).contains("openlive_restream_destination_connected" + labels + " 1.0");
                assertThat(metric(mine, "openlive_restream_destination_reconnects_total" + labels)).isGreaterThanOrEqualTo(1);
                assertThat(metric(mine, "openlive_restream_destination_sent_bytes_total" + labels)).isGreaterThan(before);
            } finally {
                publisher.destroy(); // ffmpeg ends the publish (deleteStream) on SIGTERM
                publisher.waitFor(10, TimeUnit.SECONDS);
            }
            long ended = System.nanoTime();
            Eventually.await("nginx saw the unpublish", Duration.ofSeconds(10), () ->
                    nginx.callbacks.stream().filter(c -> c.equals("publish_done name=" + key)).count() >= 1
                            && nginx.unpublishedCleanly(key));
            assertThat(Duration.ofNanos(System.nanoTime() - ended)).as("promptly, not after a time-out").isLessThan(Duration.ofSeconds(8));
            Eventually.await("stopped after the show", Duration.ofSeconds(10), () -> get(one).path("state").asText().equals("stopped"));

            List<String> lines = logs.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
            assertThat(lines).anyMatch(l -> l.contains("[restream room=" + room.id()) && l.contains("retrying"));
            assertThat(lines).noneMatch(l -> l.contains(key));
            assertThat(metrics()).contains("openlive_restream_destination_connected{destination=\"" + id + "\",room=\"" + room.id() + "\"} 0.0");
            assertThat(call("DELETE", one, admin, null).statusCode()).isEqualTo(200);
            assertThat(call("GET", one, admin, null).statusCode()).isEqualTo(404);
            assertThat(metrics()).as("a deleted destination leaves no series behind").doesNotContain(id);
        } finally {
            root.detachAppender(logs);
        }
    }

    @Test
    void aDestinationThatStopsReadingNeverSlowsTheRoom() throws Exception {
        try (NginxRtmp nginx = new NginxRtmp()) {
            Room room = fixture.newRoom("frozen destination");
            String key = "frozen" + Long.toHexString(System.nanoTime());
            String api = fixture.http("/api/v1/rooms/" + room.id() + "/restreams");
            String id = JSON.readTree(call("POST", api, admin,
                    "{\"url\":\"rtmp://127.0.0.1:" + nginx.port + "/live\",\"key\":\"" + key + "\"}").body()).path("id").asText();
            Process publisher = Ffmpeg.publish(fixture.publishUrl(room), 40);
            try {
                Eventually.await("pushing", Duration.ofSeconds(20), () -> get(api + "/" + id).path("state").asText().equals("connected"));
                nginx.freeze(true);
                Eventually.await("the frozen destination dropped as too slow", Duration.ofSeconds(20),
                        () -> get(api + "/" + id).path("lastError").asText().contains("too slow"));
                JsonNode viewer = Ffmpeg.probe(fixture.httpFlvUrl(room), 3);
                assertThat(Ffmpeg.codecs(viewer)).as("the room plays on for its viewers").contains("video:h264", "audio:aac");
                List<Double> video = Ffmpeg.times(viewer, "video");
                assertThat(video.get(video.size() - 1) - video.get(0)).as("a viewer gets the show in real time").isGreaterThan(2.0);
                nginx.freeze(false);
                Eventually.await("pushing again once it reads", Duration.ofSeconds(40),
                        () -> get(api + "/" + id).path("state").asText().equals("connected"));
            } finally {
                nginx.freeze(false);
                publisher.destroy();
                publisher.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void startAndStopThroughTheApiAndKeysMasked() throws Exception {
        Room room = fixture.newRoom("toggled");
        String api = fixture.http("/api/v1/rooms/" + room.id() + "/restreams");
        String key = "live_0123456789abcdefXYZ";
        JsonNode d = JSON.readTree(call("POST", api, admin,
                "{\"url\":\"rtmps://ingest.example.com/app\",\"key\":\"" + key + "\",\"enabled\":false}").body());
        assertThat(d.path("key").asText()).isEqualTo("li…YZ");
        String one = api + "/" + d.path("id").asText();
        assertThat(JSON.readTree(call("POST", one + "/start", admin, null).body()).path("enabled").asBoolean()).isTrue();
        assertThat(JSON.readTree(call("POST", one + "/stop", admin, null).body()).path("enabled").asBoolean()).isFalse();
        JsonNode list = JSON.readTree(call("GET", api, admin, null).body());
        assertThat(list.path("items")).hasSize(1);
        assertThat(list.toString()).doesNotContain(key);
        var audit = fixture.server.platform().audit().list(fixture.server.platform().keys().authenticate(admin), "room", room.id(),
                io.openlive.engine.platform.Page.Request.first(50));
        assertThat(audit.items()).anyMatch(e -> e.action().equals("room.restream.create"))
                .anyMatch(e -> e.action().equals("room.restream.stop"));
        assertThat(audit.items().toString()).doesNotContain(key);
    }

    @Test
    void badInputGetsClearErrors() throws Exception {
        Room room = fixture.newRoom("bad");
        String api = fixture.http("/api/v1/rooms/" + room.id() + "/restreams");
        String broadcaster = JSON.readTree(call("POST", fixture.http("/api/v1/keys"), admin, "{\"role\":\"broadcaster\"}").body()).path("key").asText();
        assertThat(call("POST", fixture.http("/api/v1/rooms/rnosuch/restreams"), admin,
                "{\"url\":\"rtmp://127.0.0.1/live\",\"key\":\"k\"}").statusCode()).as("unknown room").isEqualTo(404);
        for (String body : List.of("{\"url\":\"http://127.0.0.1/live\",\"key\":\"k\"}", "{\"url\":\"rtmp://127.0.0.1/live\"}",
                "{\"url\":\"rtmp://127.0.0.1/live\",\"key\":\"\"}", "{\"url\":\"rtmp://127.0.0.1\",\"key\":\"k\"}",
                "{\"url\":\"rtmp:///live\",\"key\":\"k\"}", "{\"url\":\"not a url\",\"key\":\"k\"}", "{\"key\":\"k\"}",
                "{\"url\":\"rtmp://127.0.0.1/live\",\"key\":\"k\",\"enabled\":\"yes\"}")) {
            HttpResponse<byte[]> r = call("POST", api, admin, body);
            assertThat(r.statusCode()).as(body).isEqualTo(400);
            assertThat(JSON.readTree(r.body()).toString()).as(body).contains("INVALID_");
        }
        assertThat(call("POST", api, broadcaster, "{\"url\":\"rtmp://127.0.0.1/live\",\"key\":\"k\"}").statusCode())
                .as("another tenant's room").isEqualTo(404);
        assertThat(call("GET", api, broadcaster, null).statusCode()).isEqualTo(404);
        assertThat(call("GET", api, null, null).statusCode()).isEqualTo(401);
        assertThat(call("DELETE", api + "/rs_nosuch", admin, null).statusCode()).isEqualTo(404);
        assertThat(call("POST", api + "/rs_nosuch/start", admin, null).statusCode()).isEqualTo(404);
    }

    /** Each destination is an outgoing push and its own series in /metrics: a room has at most eight. */
    @Test
    void aRoomHasAtMostEightDestinations() throws Exception {
        Room room = fixture.newRoom("many");
        String api = fixture.http("/api/v1/rooms/" + room.id() + "/restreams");
        String body = "{\"url\":\"rtmp://127.0.0.1:1/live\",\"key\":\"k\",\"enabled\":false}";
        String first = null;
        for (int i = 0; i < Restreams.MAX_PER_ROOM; i++) {
            HttpResponse<byte[]> r = call("POST", api, admin, body);
            assertThat(r.statusCode()).as("destination %d", i + 1).isEqualTo(201);
            first = first == null ? JSON.readTree(r.body()).path("id").asText() : first;
        }
        HttpResponse<byte[]> ninth = call("POST", api, admin, body);
        assertThat(ninth.statusCode()).isEqualTo(409);
        JsonNode error = JSON.readTree(ninth.body()).path("error");
        assertThat(error.path("code").asText()).isEqualTo("RESTREAM_LIMIT");
        assertThat(error.path("message").asText()).contains("at most 8");
        assertThat(JSON.readTree(call("GET", api, admin, null).body()).path("items")).hasSize(Restreams.MAX_PER_ROOM);
        assertThat(metrics().lines().filter(l -> l.startsWith("openlive_restream_destination_connected{")
                && l.contains("room=\"" + room.id() + "\"")).count()).as("no series for the refused one").isEqualTo(Restreams.MAX_PER_ROOM);
        Room other = fixture.newRoom("few");
        assertThat(call("POST", fixture.http("/api/v1/rooms/" + other.id() + "/restreams"), admin, body).statusCode())
                .as("the cap is per room").isEqualTo(201);
        assertThat(call("DELETE", api + "/" + first, admin, null).statusCode()).isEqualTo(200);
        assertThat(call("POST", api, admin, body).statusCode()).as("a deleted one frees its place").isEqualTo(201);
    }
}
