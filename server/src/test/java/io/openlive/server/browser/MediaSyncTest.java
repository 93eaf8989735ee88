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
        try (Stage stage = Stage.start(); Browser near = Browser.open(1366, 900); Browser far = Browser.open(1366, 900)) {
            Process ffmpeg = Ffmpeg.publish(stage.publishUrl(), 90);
            try {
                RoomPage a = new RoomPage(near).open(stage.hostPage("shop", "Mia"));
                RoomPage b = new RoomPage(far).open(stage.hostPage("shop", "Noah", "&buffer=3"));
                a.awaitPlaying(1, Duration.ofSeconds(30));
                b.awaitPlaying(1, Duration.ofSeconds(30));
                near.await("both players to know their media time, 1.5 s apart", Duration.ofSeconds(20), () -> {
                    Double ta = a.mediaTime();
                    Double tb = b.mediaTime();
                    return ta != null && tb != null && ta - tb > 1500;
                });
                for (RoomPage p : new RoomPage[]{a, b}) {
                    p.awaitFrameJs("openlive.product-card", Duration.ofSeconds(15), "return document.body.dataset.product === ''");
                }

                stage.pin(Map.of("productId", "p-sync", "title", "Synced sneaker", "price", 59));
                Double shownA = null;
                Double shownB = null;
                long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
                while ((shownA == null || shownB == null) && System.nanoTime() < deadline) {
                    if (shownA == null && pinned(a)) {
                        shownA = a.mediaTime();
                    }
                    if (shownB == null && pinned(b)) {
                        shownB = b.mediaTime();
                    }
                }
                assertThat(shownA).as("the near page shows the product").isNotNull();
                assertThat(shownB).as("the far page shows the product").isNotNull();
                assertThat(Math.abs(shownA - shownB)).as("media time on screen when each page showed it: %s and %s", shownA, shownB)
                        .isLessThan(TOLERANCE_MS);
            } finally {
                ffmpeg.destroy();
            }
        }
    }

    private static boolean pinned(RoomPage page) {
        return "p-sync".equals(page.frameJs("openlive.product-card", "return document.body.dataset.product"));
    }
}
