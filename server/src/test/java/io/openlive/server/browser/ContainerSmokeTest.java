package io.openlive.server.browser;

import io.openlive.server.Ffmpeg;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class ContainerSmokeTest {
    @Test
    void shopPagePlaysAndCommentsReachPay() throws Exception {
        try (Stage stage = Stage.start(); Browser shopBrowser = Browser.open(1366, 900); Browser payBrowser = Browser.open(390, 844)) {
            Process ffmpeg = Ffmpeg.publish(stage.publishUrl(), 60);
            try {
                RoomPage shop = new RoomPage(shopBrowser).open(stage.hostPage("shop", "Mia"));
                RoomPage pay = new RoomPage(payBrowser).open(stage.hostPage("pay", "Noah"));
                shop.awaitPlaying(2, Duration.ofSeconds(30));
                pay.awaitPlaying(2, Duration.ofSeconds(30));
                shopBrowser.screenshot(java.nio.file.Path.of("target/smoke-shop.png"));
                shop.awaitFrameJs("openlive.comments", Duration.ofSeconds(10), "return !!document.getElementById('text')");
                shop.inFrame("openlive.comments", () -> {
                    shopBrowser.driver.findElement(By.id("text")).sendKeys("hello from the shop", Keys.ENTER);
                    return null;
                });
                pay.awaitFrameJs("openlive.comments", Duration.ofSeconds(10),
                        "return document.getElementById('list').textContent.includes('hello from the shop')");
                payBrowser.screenshot(java.nio.file.Path.of("target/smoke-pay.png"));
                assertThat(shop.state()).isEqualTo("live");
            } finally {
                ffmpeg.destroy();
            }
        }
    }
}
