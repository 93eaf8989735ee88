package io.openlive.server.record;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.openlive.engine.room.Room;
import io.openlive.server.Eventually;
import io.openlive.server.Ffmpeg;
import io.openlive.server.ServerFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** A room recorded through the REST API: written while live, finalised at the end, listed, fetched, deleted. */
class RecordingTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static ServerFixture fixture;
    private static String admin;

    @BeforeAll
    static void start() throws Exception {
        fixture = ServerFixture.start(c -> c.withStream(io.openlive.engine.stream.StreamConfig.defaults()
                .withPublisherGrace(Duration.ofSeconds(1))));
        admin = fixture.server.platform().keys().bootstrapAdmin().orElseThrow();
    }

    @AfterAll
    static void stop() throws Exception {
        fixture.close();
    }

    static HttpResponse<byte[]> call(String method, String url, String key, String body) throws Exception {
        return io.openlive.server.KeyedRequests.send(method, url, key, body);
    }

    private static JsonNode json(HttpResponse<byte[]> r) throws Exception {
        return JSON.readTree(r.body());
    }

    @Test
    void showIsRecordedFinalisedAsFaststartMp4ListedFetchedAndDeleted() throws Exception {
        int seconds = 6;
        Room room = fixture.newRoom("recorded");
        String api = fixture.http("/api/v1/rooms/" + room.id());
        HttpResponse<byte[]> set = call("PUT", api + "/recording", admin, "{\"enabled\":true}");
        assertThat(set.statusCode()).as(new String(set.body())).isEqualTo(200);
        assertThat(json(set).path("enabled").asBoolean()).isTrue();

        Process publisher = Ffmpeg.publish(fixture.publishUrl(room), seconds);
        Eventually.await("recording shown in /metrics", Duration.ofSeconds(15), () -> {
            try {
                return new String(call("GET", fixture.http("/metrics"), null, null).body()).contains("openlive_recordings_active 1.0");
            } catch (Exception e) {
                return false;
            }
        });
        assertThat(publisher.waitFor(40, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        Eventually.await("recording done", Duration.ofSeconds(30), () -> {
            try {
                JsonNode items = json(call("GET", api + "/recordings", admin, null)).path("items");
                return items.size() == 1 && items.get(0).path("status").asText().equals("done");
            } catch (Exception e) {
                return false;
            }
        });
        JsonNode rec = json(call("GET", api + "/recordings", admin, null)).path("items").get(0);
        String id = rec.path("id").asText();
        assertThat(rec.path("bytes").asLong()).isGreaterThan(100_000);
        assertThat(rec.path("duration").asDouble()).as("the movie header's length").isCloseTo(seconds, org.assertj.core.data.Offset.offset(0.5));
        assertThat(id).as("rec_, 8 characters of time, 16 random").matches("rec_[0-9a-z]{24}");

        HttpResponse<byte[]> file = call("GET", fixture.http("/recordings/" + room.id() + "/" + id + ".mp4"), admin, null);
        assertThat(file.statusCode()).isEqualTo(200);
        assertThat(file.headers().firstValue("Content-Type")).hasValue("video/mp4");
        Path local = Files.createTempFile("recording", ".mp4");
        Files.write(local, file.body());
        assertThat(Mp4Probe.topBoxes(local)).as("index first").containsExactly("ftyp", "moov", "mdat");
        JsonNode probe = Mp4Probe.probe(local);
        assertThat(Ffmpeg.codecs(probe)).contains("video:h264", "audio:aac");
        assertThat(Mp4Probe.videoSeconds(probe)).as("the whole show, within one part").isCloseTo(seconds, org.assertj.core.data.Offset.offset(0.5));
        Files.delete(local);

        // replayed as VOD HLS, without a key, cut on key frames from the MP4 without re-encoding
        String replay = fixture.http("/recordings/" + room.id() + "/" + id + ".m3u8");
        HttpResponse<byte[]> playlist = call("GET", replay, null, null);
        assertThat(playlist.statusCode()).isEqualTo(200);
        String text = new String(playlist.body(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(text).contains("#EXT-X-PLAYLIST-TYPE:VOD\n", "#EXT-X-MAP:URI=\"" + id + "/init.mp4\"", id + "/s0.m4s\n")
                .endsWith("#EXT-X-ENDLIST\n");
        JsonNode vod = io.openlive.server.hls.HlsProbe.probe(replay, 60);
        assertThat(Ffmpeg.codecs(vod)).contains("video:h264", "audio:aac");
        assertThat(Mp4Probe.videoSeconds(vod)).as("the replay has the whole show").isCloseTo(seconds, org.assertj.core.data.Offset.offset(0.5));
        assertThat(call("GET", fixture.http("/recordings/" + room.id() + "/" + id + "/s9999.m4s"), null, null).statusCode()).isEqualTo(404);
        assertThat(call("GET", fixture.http("/recordings/" + room.id() + "/" + id + "/..%2F..%2Fdata.db"), null, null).statusCode()).isEqualTo(404);
        assertThat(call("GET", fixture.http("/recordings/rother/" + id + ".m3u8"), null, null).statusCode()).isEqualTo(404);

        var audit = fixture.server.platform().audit().list(fixture.server.platform().keys().authenticate(admin), "room", room.id(),
                io.openlive.engine.platform.Page.Request.first(50));
        assertThat(audit.items()).anyMatch(e -> e.action().equals("room.recording"));

        assertThat(call("DELETE", api + "/recordings/" + id, admin, null).statusCode()).isEqualTo(200);
        assertThat(json(call("GET", api + "/recordings", admin, null)).path("items").size()).isZero();
        assertThat(fixture.server.platform().audit().list(fixture.server.platform().keys().authenticate(admin), "room", room.id(),
                io.openlive.engine.platform.Page.Request.first(50)).items())
                .as("the deletion is audited").anyMatch(e -> e.action().equals("room.recording.delete"));
        assertThat(call("GET", fixture.http("/recordings/" + room.id() + "/" + id + ".mp4"), admin, null).statusCode()).isEqualTo(404);
    }

    @Test
    void otherTenantsAndBadNamesGetClearErrors() throws Exception {
        Room room = fixture.newRoom("private");
        String api = fixture.http("/api/v1/rooms/" + room.id());
        String broadcaster = json(call("POST", fixture.http("/api/v1/keys"), admin, "{\"role\":\"broadcaster\"}")).path("key").asText();
        assertThat(call("PUT", api + "/recording", broadcaster, "{\"enabled\":true}").statusCode()).as("another tenant's room").isEqualTo(404);
        assertThat(call("GET", api + "/recordings", broadcaster, null).statusCode()).isEqualTo(404);
        assertThat(call("GET", api + "/recordings", null, null).statusCode()).isEqualTo(401);
        String reviewer = json(call("POST", fixture.http("/api/v1/keys"), admin, "{\"role\":\"reviewer\"}")).path("key").asText();
        assertThat(call("GET", api + "/recordings", reviewer, null).statusCode()).as("reviewers read").isEqualTo(200);
        assertThat(call("PUT", api + "/recording", reviewer, "{\"enabled\":true}").statusCode()).as("but do not change").isEqualTo(403);
        assertThat(call("DELETE", api + "/recordings/rec_nosuch", reviewer, null).statusCode()).isEqualTo(403);
        assertThat(call("PUT", api + "/recording", admin, "{\"enabled\":\"yes\"}").statusCode()).isEqualTo(400);
        assertThat(call("DELETE", api + "/recordings/rec_nosuch", admin, null).statusCode()).isEqualTo(404);
        assertThat(call("GET", fixture.http("/recordings/" + room.id() + "/rec_nosuch.mp4"), admin, null).statusCode()).isEqualTo(404);
        assertThat(call("GET", fixture.http("/recordings/" + room.id() + "/..%2F..%2Fdata.db"), admin, null).statusCode()).isEqualTo(404);
        assertThat(call("GET", fixture.http("/recordings/" + room.id() + "/x.mp4"), broadcaster, null).statusCode()).isEqualTo(404);
        assertThat(call("GET", fixture.http("/recordings/" + room.id() + "/x.mp4"), null, null).statusCode()).isEqualTo(401);
        assertThat(call("GET", fixture.http("/api/v1/rooms/rnosuch/recordings"), admin, null).statusCode()).isEqualTo(404);
    }
}
