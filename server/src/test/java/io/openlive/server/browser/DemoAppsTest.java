package io.openlive.server.browser;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The two demo host apps of {@code serve} in real Chromium, with no publisher at all: the demo room's sample loop plays in
 * both pages at once, each page shows its own component set, likes from both add up, both count both viewers, and a
 * gift shows in the shop's ticker. With
 * {@code -Dopenlive.screenshots=DIR} it also writes the screenshots of both apps (docs/demo-shop.png, docs/demo-pay.png).
 */
class DemoAppsTest {
    @Test
    void bothDemoAppsPlayTheLoopingDemoRoomAtOnceWithTheirOwnComponents() throws Exception {
        try (DemoServer server = DemoServer.start(); Browser shopBrowser = Browser.open(1366, 900); Browser payBrowser = Browser.open(390, 844)) {
            RoomPage shop = new RoomPage(shopBrowser).open(server.page("shop"));
            RoomPage pay = new RoomPage(payBrowser).open(server.page("pay"));
            shop.awaitPlaying(2, Duration.ofSeconds(30));
            pay.awaitPlaying(2, Duration.ofSeconds(30));
            assertThat(shop.state()).isEqualTo("live");

            shopBrowser.await("the shop's components", Duration.ofSeconds(15), () -> shop.hasFrame("openlive.product-card") && shop.hasFrame("openlive.gifts"));
            payBrowser.await("the pay app's components", Duration.ofSeconds(15), () -> pay.hasFrame("openlive.comments") && pay.hasFrame("openlive.likes"));
            assertThat(pay.frames()).noneMatch(f -> "openlive.product-card".equals(f.getDomAttribute("data-component")));

            // likes from both apps add up in both
            shop.awaitFrameJs("openlive.likes", Duration.ofSeconds(10), "return document.getElementById('total').dataset.total !== undefined");
            for (int i = 0; i < 3; i++) {
                shop.frameJs("openlive.likes", "document.getElementById('like').click()");
            }
            pay.awaitFrameJs("openlive.likes", Duration.ofSeconds(10), "return !!document.getElementById('total').dataset.total");
            for (int i = 0; i < 2; i++) {
                pay.frameJs("openlive.likes", "document.getElementById('like').click()");
            }
            String five = "return Number(document.getElementById('total').dataset.total) >= 5";
            shop.awaitFrameJs("openlive.likes", Duration.ofSeconds(10), five);
            pay.awaitFrameJs("openlive.likes", Duration.ofSeconds(10), five);

            // both pages count both viewers; a gift sent in the shop shows in its ticker
            String two = "return Number(document.getElementById('count').dataset.total) >= 2";
            shop.awaitFrameJs("openlive.viewers", Duration.ofSeconds(10), two);
            pay.awaitFrameJs("openlive.viewers", Duration.ofSeconds(10), two);
            shop.frameJs("openlive.gifts", "document.querySelector('button[data-gift=rose]').click()");
            shop.awaitFrameJs("openlive.gifts", Duration.ofSeconds(10), "return document.getElementById('ticker').textContent.includes('sent a rose')");

            String dir = System.getProperty("openlive.screenshots");
            if (dir != null) {
                // the demo room's own pinned product (demo mode makes it)
                shop.awaitFrameJs("openlive.product-card", Duration.ofSeconds(15), "return (document.body.dataset.product || '') !== ''");
                shop.frameJs("openlive.comments", "document.getElementById('text').value = 'Does it come in blue?'; document.getElementById('send').click()");
                pay.frameJs("openlive.comments", "document.getElementById('text').value = 'Watching from Demo Pay'; document.getElementById('send').click()");
                pay.awaitFrameJs("openlive.comments", Duration.ofSeconds(10), "return document.getElementById('list').children.length >= 2");
                shop.awaitFrameJs("openlive.comments", Duration.ofSeconds(10), "return document.getElementById('list').children.length >= 2");
                shopBrowser.screenshot(Path.of(dir, "demo-shop.png"));
                payBrowser.screenshot(Path.of(dir, "demo-pay.png"));
            }
        }
    }
}
