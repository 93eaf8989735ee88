package io.openlive.server.browser;

import io.openlive.server.Ffmpeg;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A pinned product shows with the same frame in two pages whose players run at different latency: the container holds
 * the {@code product.pin} message (stamped with the room's media time, {@code mt}) until the frame with that media time
 * is on screen ({@code onOpenliveClock} maps the player's time to the room's timeline).
 */
class MediaSyncTest {
    /** How close in media time the two pages must show the product; their latencies differ by more than 1.5 s. */
    static final double TOLERANCE_MS = 400;

    @Test
    void twoPagesWithDifferentLatencyShowThePinnedProductAtTheSameMediaTime() throws Exception {
        pinShowsAtTheSameMediaTime("&buffer=3");
    }

    /** The far page plays LL-HLS through hls.js (its media time from the fragments' timestamps), 3 s behind live. */
    @Test
    void anFlvPageAndAnHlsPageShowThePinnedProductAtTheSameMediaTime() throws Exception {
        pinShowsAtTheSameMediaTime("&playback=hls&buffer=3");
    }

    private static void pinShowsAtTheSameMediaTime(String farPage) throws Exception {
        try (Stage stage = Stage.start(); Browser near = Browser.open(1366, 900); Browser far = Browser.open(1366, 900)) {
            Process ffmpeg = Ffmpeg.publish(stage.publishUrl(), 90);
            try {
                RoomPage a = new RoomPage(near).open(stage.hostPage("shop", "Mia"));
                RoomPage b = new RoomPage(far).open(stage.hostPage("shop", "Noah", farPage));
                a.awaitPlaying(1, Duration.ofSeconds(30));
                b.awaitPlaying(1, Duration.ofSeconds(30));
                // an HLS page starts later: the room's segmenter starts with its first playlist request, and the player
                // holds back 3 s of segments before it plays
                near.await("both players to know their media time, 1.5 s apart", Duration.ofSeconds(45), () -> {
                    Double ta = a.mediaTime();
                    Double tb = b.mediaTime();
                    return ta != null && tb != null && ta - tb > 1500;
                });
                String sneaker = stage.product(Map.of("title", "Synced sneaker", "price", 5900));
                for (RoomPage p : new RoomPage[]{a, b}) {
                    p.awaitFrameJs("openlive.product-card", Duration.ofSeconds(15), "return document.body.dataset.product === ''");
                    // each frame notes the wall-clock moment it shows the product; each page samples its media time,
                    // so the comparison does not depend on how fast WebDriver can poll
                    p.frameJs("openlive.product-card", """
                            new MutationObserver(() => {
                              if (document.body.dataset.product === '%s' && !window.shownAt) window.shownAt = Date.now();
                            }).observe(document.body, { attributes: true });""".formatted(sneaker));
                    p.browser.js("""
                            window.samples = [];
                            setInterval(() => {
                              const t = document.querySelector('live-room').playback.mediaTime;
                              if (t != null) window.samples.push([Date.now(), t]);
                            }, 10);""");
                }

                stage.pin(sneaker);
                double shownA = shownAtMediaTime(a);
                double shownB = shownAtMediaTime(b);
                System.out.printf("media time on screen when the pin showed: near %.0f ms, far (%s) %.0f ms%n", shownA, farPage, shownB);
                assertThat(Math.abs(shownA - shownB)).as("media time on screen when each page showed it: %s and %s", shownA, shownB)
                        .isLessThan(TOLERANCE_MS);
            } finally {
                ffmpeg.destroy();
            }
        }
    }

    /** The page's media time (ms) at the wall-clock moment its product card showed the pinned product. */
    private static double shownAtMediaTime(RoomPage page) throws InterruptedException {
        page.awaitFrameJs("openlive.product-card", Duration.ofSeconds(15), "return !!window.shownAt");
        long at = ((Number) page.frameJs("openlive.product-card", "return window.shownAt")).longValue();
        Object t = page.browser.js("""
                const at = arguments[0];
                let best = null;
                for (const [wall, mt] of window.samples) {
                  if (best == null || Math.abs(wall - at) < Math.abs(best[0] - at)) best = [wall, mt];
                }
                return best && best[1] + (at - best[0]);""", at);
        assertThat(t).as("media time samples around the moment it showed").isInstanceOf(Number.class);
        return ((Number) t).doubleValue();
    }
}
