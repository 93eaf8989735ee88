package io.openlive.server.hls;

import io.openlive.engine.room.Room;
import io.openlive.server.Eventually;
import io.openlive.server.Ffmpeg;
import io.openlive.server.ServerFixture;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** A room's segmenter exists only while players ask for it: it stops after the idle time-out and lets go of the stream. */
class HlsIdleTest {
    @Test
    void segmenterStopsWhenNobodyAsksAndStartsAgainOnTheNextRequest() throws Exception {
        try (ServerFixture fixture = ServerFixture.start(c -> c, HlsTest.HLS.withIdleTimeout(Duration.ofSeconds(1)))) {
            Room room = fixture.newRoom("idle");
            Process publisher = Ffmpeg.publish(fixture.publishUrl(room), 40);
            try {
                Eventually.await("room live", Duration.ofSeconds(15), () -> fixture.server.hub().stream(room.id())
                        .map(s -> s.isLive() && s.stats().framesIn.sum() > 0).orElse(false));
                assertThat(fixture.server.hub().stream(room.id()).orElseThrow().readerCount()).isZero();
                assertThat(HlsTest.get(fixture.hlsUrl(room)).statusCode()).isEqualTo(200);
                String first = fixture.server.hls().find(room.id()).orElseThrow().window().generation();
                assertThat(fixture.server.hub().stream(room.id()).orElseThrow().readerCount()).as("the segmenter reads the stream").isEqualTo(1);

                Eventually.await("segmenter stopped", Duration.ofSeconds(15), () -> fixture.server.hls().find(room.id()).isEmpty());
                Eventually.await("reader detached", Duration.ofSeconds(5),
                        () -> fixture.server.hub().stream(room.id()).orElseThrow().readerCount() == 0);

                assertThat(HlsTest.get(fixture.hlsUrl(room)).statusCode()).isEqualTo(200);
                String second = fixture.server.hls().find(room.id()).orElseThrow().window().generation();
                assertThat(second).as("a new run has new names, so nothing cached is reused").isNotEqualTo(first);
            } finally {
                Ffmpeg.stop(publisher);
            }
        }
    }
}
