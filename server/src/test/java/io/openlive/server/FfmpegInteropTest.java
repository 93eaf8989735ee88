package io.openlive.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.openlive.engine.room.Room;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** ffmpeg publishes; ffprobe, rtmpdump and small clients play over every egress protocol. */
class FfmpegInteropTest {
    private static ServerFixture fixture;
    private final List<Process> processes = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        fixture = ServerFixture.start();
    }

    @AfterAll
    static void stop() throws Exception {
        fixture.close();
    }

    @AfterEach
    void stopPeers() throws Exception {
        for (Process p : processes) {
            Ffmpeg.stop(p);
        }
    }

    private Room liveRoom() throws Exception {
        Room room = fixture.newRoom("interop");
        processes.add(Ffmpeg.publish(fixture.publishUrl(room), 40));
        Eventually.await("room live", Duration.ofSeconds(15), () -> fixture.server.hub().stream(room.id())
                .map(s -> s.isLive() && s.stats().framesIn.sum() > 60).orElse(false));
        return room;
    }

    static void assertPlayable(JsonNode probe) {
        assertThat(Ffmpeg.codecs(probe)).contains("video:h264", "audio:aac");
        JsonNode video = null;
        for (JsonNode s : probe.path("streams")) {
            if ("video".equals(s.path("codec_type").asText())) {
                video = s;
            }
        }
        assertThat(video).isNotNull();
        assertThat(video.path("width").asInt()).isEqualTo(1280);
        assertThat(video.path("height").asInt()).isEqualTo(720);
        List<Double> pts = Ffmpeg.times(probe, "video");
        assertThat(pts).hasSizeGreaterThan(20);
        assertThat(pts.get(pts.size() - 1) - pts.get(0)).as("video timestamps advance").isGreaterThan(1.0);
        // HTTP-FLV and WS-FLV viewers get one script tag first (onOpenliveClock, which ffprobe lists as a data packet);
        // every packet after it is media
        JsonNode packets = probe.path("packets");
        int first = "data".equals(packets.get(0).path("codec_type").asText()) ? 1 : 0;
        assertThat(packets.get(first).path("codec_type").asText()).as("the first packet after the clock tag is media").isIn("audio", "video");
        boolean firstVideoIsKey = false;
        for (JsonNode p : probe.path("packets")) {
            if ("video".equals(p.path("codec_type").asText())) {
                firstVideoIsKey = p.path("flags").asText().startsWith("K");
                break;
            }
        }
        assertThat(firstVideoIsKey).as("a new viewer starts on a key frame").isTrue();
        assertThat(Ffmpeg.times(probe, "audio")).hasSizeGreaterThan(20);
    }

    @Test
    void ffprobeReadsHttpFlv() throws Exception {
        Room room = liveRoom();
        assertPlayable(Ffmpeg.probe(fixture.httpFlvUrl(room), 3));
    }

    @Test
    void ffprobeReadsRtmpPlay() throws Exception {
        Room room = liveRoom();
        assertPlayable(Ffmpeg.probe(fixture.rtmpPlayUrl(room), 3));
    }

    @Test
    void ffprobeReadsWebSocketFlvThroughASmallClient() throws Exception {
        Room room = liveRoom();
        JsonNode probe = Ffmpeg.probeStdin(out -> pipeWebSocket(fixture.wsFlvUrl(room), out, Duration.ofSeconds(4)));
        assertPlayable(probe);
    }

    /** Copies each binary WebSocket message to {@code out} for {@code duration}, then closes. */
    private static void pipeWebSocket(String url, OutputStream out, Duration duration) {
        CompletableFuture<Void> failed = new CompletableFuture<>();
        WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(URI.create(url), new WebSocket.Listener() {
            @Override
            public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
                byte[] bytes = new byte[data.remaining()];
                data.get(bytes);
                try {
                    out.write(bytes);
                } catch (java.io.IOException e) {
                    failed.complete(null);
                }
                webSocket.request(1);
                return null;
            }
        }).join();
        try {
            failed.get(duration.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception timeUp) {
            // played for the whole duration
        }
        ws.abort();
    }

    @Test
    void rtmpdumpPlaysForSomeSeconds() throws Exception {
        Room room = liveRoom();
        Path file = Files.createTempFile("rtmpdump", ".flv");
        Process dump = Ffmpeg.start(List.of(Tools.require("rtmpdump"), "-q", "--live", "-r", fixture.rtmpPlayUrl(room), "-o", file.toString()));
        processes.add(dump);
        Eventually.await("rtmpdump has about 4 s at 2.5 Mb/s", Duration.ofSeconds(20), () -> {
            try {
                return Files.size(file) > 1_200_000;
            } catch (java.io.IOException e) {
                return false;
            }
        });
        Ffmpeg.stop(dump);
        assertThat(Files.size(file)).as("about 4 s at 2.5 Mb/s").isGreaterThan(400_000);
        JsonNode probe = Ffmpeg.probe(file.toString(), 30);
        assertThat(Ffmpeg.codecs(probe)).contains("video:h264", "audio:aac");
        List<Double> pts = Ffmpeg.times(probe, "video");
        assertThat(pts.get(pts.size() - 1) - pts.get(0)).isGreaterThan(2.0);
    }

    @Test
    void wrongStreamKeyIsRefused() throws Exception {
        Room room = fixture.newRoom("guarded");
        String wrong = "rtmp://127.0.0.1:" + fixture.server.rtmpPort() + "/live/sk_not_the_key";
        Process p = Ffmpeg.publish(wrong, 10);
        processes.add(p);
        assertThat(p.waitFor(15, TimeUnit.SECONDS)).as("ffmpeg gives up").isTrue();
        assertThat(p.exitValue()).isNotZero();
        assertThat(fixture.server.hub().stream(room.id())).isEmpty();
        Process byId = Ffmpeg.publish("rtmp://127.0.0.1:" + fixture.server.rtmpPort() + "/live/" + room.id(), 10);
        processes.add(byId);
        assertThat(byId.waitFor(15, TimeUnit.SECONDS)).isTrue();
        assertThat(byId.exitValue()).as("the public room id is not a stream key").isNotZero();
    }

    @Test
    void secondPublisherOnALiveRoomIsRefused() throws Exception {
        Room room = liveRoom();
        Process second = Ffmpeg.publish(fixture.publishUrl(room), 10);
        processes.add(second);
        assertThat(second.waitFor(15, TimeUnit.SECONDS)).isTrue();
        assertThat(second.exitValue()).isNotZero();
        assertThat(fixture.server.hub().stream(room.id()).orElseThrow().isLive()).isTrue();
    }

    @Test
    void viewerStaysConnectedWhilePublisherIsKilledAndRestarted() throws Exception {
        Room room = liveRoom();
        try (FlvClient viewer = new FlvClient(fixture.httpFlvUrl(room))) {
            Eventually.await("video before restart", Duration.ofSeconds(10), () -> viewer.count(9) > 30);
            processes.get(0).destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            Eventually.await("the server notices the publisher gone", Duration.ofSeconds(10), () -> fixture.server.hub()
                    .stream(room.id()).map(s -> s.stats().publishers.get() == 0).orElse(true));
            int before = viewer.tags.size();
            processes.add(Ffmpeg.publish(fixture.publishUrl(room), 30));
            Eventually.await("video after restart", Duration.ofSeconds(20), () -> viewer.tags.size() > before + 60);
            assertThat(viewer.ended).as("viewer kept its connection").isFalse();
            int last = -1;
            for (FlvClient.Tag t : viewer.tags) {
                assertThat(t.timestamp()).as("timestamps never go back").isGreaterThanOrEqualTo(last - 50);
                last = Math.max(last, t.timestamp());
            }
            FlvClient.Tag firstVideoAfter = viewer.tags.subList(before, viewer.tags.size()).stream()
                    .filter(t -> t.type() == 9 && t.secondByte() == 1).findFirst().orElseThrow();
            assertThat(firstVideoAfter.firstByte() >> 4).as("resumes on a key frame").isEqualTo(1);
        }
    }

    @Test
    void unknownRoomIsNotFound() throws Exception {
        var response = HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(URI.create(fixture.http("/live/rnosuchroom.flv"))).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.body()).contains("\"code\":\"ROOM_NOT_FOUND\"");
        Process probe = Ffmpeg.start(List.of(Tools.require("ffprobe"), "-v", "error", "-rw_timeout", "5000000",
                "rtmp://127.0.0.1:" + fixture.server.rtmpPort() + "/live/rnosuchroom"));
        processes.add(probe);
        assertThat(probe.waitFor(15, TimeUnit.SECONDS)).isTrue();
        assertThat(probe.exitValue()).isNotZero();
    }

    @Test
    void metricsCountViewersAndBytes() throws Exception {
        Room room = liveRoom();
        try (FlvClient viewer = new FlvClient(fixture.httpFlvUrl(room))) {
            Eventually.await("video", Duration.ofSeconds(10), () -> viewer.count(9) > 10);
            String metrics = HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(URI.create(fixture.http("/metrics"))).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            assertThat(metrics).contains("openlive_viewers{protocol=\"http-flv\"}")
                    .contains("openlive_room_viewers{protocol=\"http-flv\",room=\"" + room.id() + "\"} 1.0")
                    .contains("openlive_ingest_bytes_total")
                    .containsPattern("openlive_room_publishers\\{room=\"" + room.id() + "\"} 1.0")
                    .containsPattern("openlive_first_frame_seconds_bucket\\{protocol=\"http-flv\",le=\"0.1\"} [1-9]")
                    .containsPattern("openlive_egress_delay_seconds_bucket\\{protocol=\"http-flv\",le=\"0.1\"} [1-9]");
            assertThat(viewer.status).isEqualTo(200);
        }
    }
}
