package io.openlive.server.demo;

import com.fasterxml.jackson.databind.JsonNode;
import io.openlive.engine.room.Room;
import io.openlive.server.Ffmpeg;
import io.openlive.server.OpenliveServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The demo room plays its sample loop to a real player without any publisher, gives way to ffmpeg and comes back. */
class DemoLoopTest {
    @Test
    void theDemoRoomPlaysWithoutAPublisherAndARealOneTakesOverUntilItLeaves(@TempDir Path dir) throws Exception {
        OpenliveServer server = DemoModeTest.startDemo(dir);
        Process ffmpeg = null;
        try {
            Room demo = server.demoRoom();
            String flv = "http://127.0.0.1:" + server.httpPort() + "/live/" + demo.id() + ".flv";

            // longer than the 8 s clip: the second pass continues the timeline
            JsonNode loop = Ffmpeg.probe(flv, 10);
            assertThat(Ffmpeg.codecs(loop)).contains("video:h264", "audio:aac");
            assertThat(size(loop)).isEqualTo("640x360");
            List<Double> video = Ffmpeg.times(loop, "video");
            assertThat(video).as("timestamps keep increasing across passes").isSorted().doesNotHaveDuplicates();
            assertThat(video.get(video.size() - 1) - video.get(0)).isGreaterThan(8.5);

            Room other = server.rooms().create("Not a demo room");
            assertThat(server.hub().stream(other.id())).as("only the demo room loops").isEmpty();

            ffmpeg = Ffmpeg.publish("rtmp://127.0.0.1:" + server.rtmpPort() + "/live/" + demo.streamKey(), 60);
            String taken = awaitSize(flv, "1280x720");
            assertThat(taken).as("ffmpeg's own picture takes over").isEqualTo("1280x720");

            Ffmpeg.stop(ffmpeg);
            ffmpeg = null;
            assertThat(awaitSize(flv, "640x360")).as("the loop is back once ffmpeg left").isEqualTo("640x360");
            assertThat(server.hub().stream(demo.id()).orElseThrow().isLive()).isTrue();
        } finally {
            Ffmpeg.stop(ffmpeg);
            server.close();
        }
    }

    /** Probes until a new player sees {@code wanted} (bounded); the last size seen. */
    private static String awaitSize(String flv, String wanted) throws Exception {
        long deadline = System.nanoTime() + 30_000_000_000L;
        String seen = "";
        while (System.nanoTime() < deadline) {
            seen = size(Ffmpeg.probe(flv, 1));
            if (seen.equals(wanted)) {
                return seen;
            }
        }
        return seen;
    }

    private static String size(JsonNode probe) {
        for (JsonNode s : probe.path("streams")) {
            if ("video".equals(s.path("codec_type").asText())) {
                return s.path("width").asInt() + "x" + s.path("height").asInt();
            }
        }
        return "none";
    }
}
