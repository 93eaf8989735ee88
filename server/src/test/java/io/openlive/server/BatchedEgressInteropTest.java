package io.openlive.server;

import io.openlive.engine.room.Room;
import io.openlive.engine.stream.StreamConfig;
import io.openlive.engine.stream.StreamStats;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A server that batches frames into fewer writes — a merge window (viewers written to once per window), a pair hold
 * (a frame waits for the other track's next one) or Nagle on viewer sockets (the kernel merges small writes) — still gives real players a decodable stream with advancing timestamps,
 * over RTMP play and HTTP-FLV. The timing of both is covered by the engine tests with a manual clock.
 */
class BatchedEgressInteropTest {
    @Test
    void playersDecodeAStreamWrittenInMergedWindows() throws Exception {
        try (ServerFixture fixture = ServerFixture.start(StreamConfig.defaults().withMergeWindow(Duration.ofMillis(40)))) {
            publishAndPlay(fixture, fixture.newRoom("merged"));
        }
    }

    @Test
    void withAPairHoldFfmpegsFramesWaitForTheirPartnerAndStillPlay() throws Exception {
        try (ServerFixture fixture = ServerFixture.start(StreamConfig.defaults().withPairHold(Duration.ofMillis(10)))) {
            Room room = fixture.newRoom("paired");
            StreamStats stats = publishAndPlay(fixture, room);
            assertThat(stats.pairingHolds.sum()).as("ffmpeg's audio and video arrive apart; some wait for their partner")
                    .isGreaterThan(10);
            String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(fixture.http("/metrics"))).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertThat(metrics).containsPattern("openlive_egress_pairing_holds_total [1-9]");
        }
    }

    @Test
    void withNagleOnViewerSocketsPlayersStillDecode() throws Exception {
        try (ServerFixture fixture = ServerFixture.start(config -> config.withViewerNoDelay(false))) {
            publishAndPlay(fixture, fixture.newRoom("nagle"));
        }
    }

    private static StreamStats publishAndPlay(ServerFixture fixture, Room room) throws Exception {
        Process publisher = Ffmpeg.publish(fixture.publishUrl(room), 40);
        try {
            Eventually.await("room live", Duration.ofSeconds(15), () -> fixture.server.hub().stream(room.id())
                    .map(s -> s.isLive() && s.stats().framesIn.sum() > 60).orElse(false));
            FfmpegInteropTest.assertPlayable(Ffmpeg.probe(fixture.rtmpPlayUrl(room), 3));
            FfmpegInteropTest.assertPlayable(Ffmpeg.probe(fixture.httpFlvUrl(room), 3));
            return fixture.server.hub().stream(room.id()).orElseThrow().stats();
        } finally {
            Ffmpeg.stop(publisher);
        }
    }
}
