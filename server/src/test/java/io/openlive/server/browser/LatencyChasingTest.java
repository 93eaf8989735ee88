package io.openlive.server.browser;

import io.openlive.server.Ffmpeg;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The player stays near the live edge: after the page's main thread stalls for 4 s (the stream keeps arriving meanwhile,
 * so seconds of media pile up ahead of the playhead), it is back under 1.5 s of buffer within 10 s, and the media time on
 * screen has kept pace with the wall clock, instead of drifting 4 s behind for the rest of the show.
 */
class LatencyChasingTest {
    @Test
    void afterAStallThePlayerCatchesUpWithTheLiveEdge() throws Exception {
        try (Stage stage = Stage.start(); Browser browser = Browser.open(1366, 900)) {
            Process ffmpeg = Ffmpeg.publish(stage.publishUrl(), 90);
            try {
                RoomPage page = new RoomPage(browser).open(stage.hostPage("shop", "Mia"));
                page.awaitPlaying(3, Duration.ofSeconds(30));
                browser.await("a short buffer while playing", Duration.ofSeconds(15), () -> bufferedAhead(browser) < 1.5);

                double before = page.mediaTime();
                long wallBefore = System.currentTimeMillis();
                browser.js("const until = Date.now() + 4000; while (Date.now() < until) { /* the page's thread stalls */ }");
                browser.await("the buffer back under 1.5 s", Duration.ofSeconds(10), () -> bufferedAhead(browser) < 1.5);
                page.awaitPlaying(1, Duration.ofSeconds(10));
                double advanced = page.mediaTime() - before;
                long wall = System.currentTimeMillis() - wallBefore;
                assertThat(advanced).as("media time advanced %s ms in %s ms of wall time", advanced, wall).isGreaterThan(wall - 1500);
            } finally {
                ffmpeg.destroy();
            }
        }
    }

    private static double bufferedAhead(Browser browser) {
        return ((Number) browser.js("return document.querySelector('live-room').playback.bufferedAhead")).doubleValue();
    }
}
