package io.openlive.server.browser;

import io.openlive.server.Ffmpeg;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One broadcast from ffmpeg into two host apps at once: the shop page (desktop) and the pay page (a phone) both play it,
 * and a comment typed in the shop's comments component shows in the pay app's.
 */
class CrossAppCommentsTest {
    @Test
    void aCommentSentInTheShopShowsInThePayAppWhileBothPlay() throws Exception {
        try (Stage stage = Stage.start(); Browser shopBrowser = Browser.open(1366, 900); Browser payBrowser = Browser.open(390, 844)) {
            Process ffmpeg = Ffmpeg.publish(stage.publishUrl(), 60);
            try {
                RoomPage shop = new RoomPage(shopBrowser).open(stage.hostPage("shop", "Mia"));
                RoomPage pay = new RoomPage(payBrowser).open(stage.hostPage("pay", "Noah"));
                shop.awaitPlaying(2, Duration.ofSeconds(30));
                pay.awaitPlaying(2, Duration.ofSeconds(30));
                shop.awaitFrameJs("openlive.comments", Duration.ofSeconds(10), "return !!document.getElementById('text')");
                shop.inFrame("openlive.comments", () -> {
                    shopBrowser.driver.findElement(By.id("text")).sendKeys("hello from the shop", Keys.ENTER);
                    return null;
                });
                pay.awaitFrameJs("openlive.comments", Duration.ofSeconds(10),
                        "return document.getElementById('list').textContent.includes('hello from the shop')");
                assertThat(shop.state()).isEqualTo("live");
            } finally {
                ffmpeg.destroy();
            }
        }
    }
}
