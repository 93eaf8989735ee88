package io.openlive.server;

import io.openlive.engine.room.Room;
import io.openlive.engine.stream.StreamConfig;
import org.junit.jupiter.api.Test;

import java.time.Duration;

/**
 * A server with a merge window (viewers written to once per window, several frames per write) still gives real players
 * a decodable stream with advancing timestamps, over RTMP play and HTTP-FLV. The window's timing is covered by the engine tests.
 */
class MergeWindowInteropTest {
    @Test
    void playersDecodeAStreamWrittenInMergedWindows() throws Exception {
        try (ServerFixture fixture = ServerFixture.start(StreamConfig.defaults().withMergeWindow(Duration.ofMillis(40)))) {
            Room room = fixture.newRoom("merged");
            Process publisher = Ffmpeg.publish(fixture.publishUrl(room), 40);
            try {
                Eventually.await("room live", Duration.ofSeconds(15), () -> fixture.server.hub().stream(room.id())
                        .map(s -> s.isLive() && s.stats().framesIn.sum() > 60).orElse(false));
                FfmpegInteropTest.assertPlayable(Ffmpeg.probe(fixture.rtmpPlayUrl(room), 3));
                FfmpegInteropTest.assertPlayable(Ffmpeg.probe(fixture.httpFlvUrl(room), 3));
            } finally {
                Ffmpeg.stop(publisher);
            }
        }
    }
}
