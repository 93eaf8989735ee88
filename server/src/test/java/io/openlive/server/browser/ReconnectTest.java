package io.openlive.server.browser;

import io.openlive.server.Ffmpeg;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A page whose connections drop while it is offline: the player and the realtime channel reconnect with back-off once
 * the network is back, the video plays on, and a comment sent meanwhile from another app arrives through {@code since=}.
 */
class ReconnectTest {
    /** Keeps every WebSocket the page opens in window.sockets, so the test can drop them as a network failure would. */
    static final String TRACK_SOCKETS = """
            window.sockets = [];
            const Native = window.WebSocket;
            window.WebSocket = class extends Native {
              constructor(...args) { super(...args); window.sockets.push(this); }
            };""";

    @Test
    void afterADropThePlayerAndTheChannelComeBackAndRecoverMissedComments() throws Exception {
        try (Stage stage = Stage.start(); Browser shopBrowser = Browser.open(1366, 900); Browser payBrowser = Browser.open(390, 844)) {
            Process ffmpeg = Ffmpeg.publish(stage.publishUrl(), 90);
            try {
                shopBrowser.driver.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", TRACK_SOCKETS));
                RoomPage shop = new RoomPage(shopBrowser).open(stage.hostPage("shop", "Mia"));
                RoomPage pay = new RoomPage(payBrowser).open(stage.hostPage("pay", "Noah"));
                shop.awaitPlaying(1, Duration.ofSeconds(30));
                shop.awaitFrameJs("openlive.comments", Duration.ofSeconds(15), "return !!document.getElementById('text')");
                pay.awaitFrameJs("openlive.comments", Duration.ofSeconds(15), "return !!document.getElementById('text')");
                // the shop has seen a numbered message, so it knows where to recover from (the welcome names no seq)
                shop.frameJs("openlive.comments", "document.getElementById('text').value = 'before the drop'; document.getElementById('send').click()");
                shop.awaitFrameJs("openlive.comments", Duration.ofSeconds(10),
                        "return document.getElementById('list').textContent.includes('before the drop')");

                // offline: existing sockets are closed, new ones cannot connect
                shopBrowser.driver.executeCdpCommand("Network.enable", Map.of());
                offline(shopBrowser, true);
                shopBrowser.js("window.sockets.forEach(s => s.close())");
                shopBrowser.await("the player to report the drop", Duration.ofSeconds(15),
                        () -> (Boolean) shopBrowser.js("return window.events.some(e => e.type === 'state' && e.detail.state === 'reconnecting')"));
                pay.frameJs("openlive.comments", "document.getElementById('text').value = 'sent while you were away'; document.getElementById('send').click()");
                pay.awaitFrameJs("openlive.comments", Duration.ofSeconds(10),
                        "return document.getElementById('list').textContent.includes('sent while you were away')");
                assertThat((Boolean) shop.frameJs("openlive.comments",
                        "return document.getElementById('list').textContent.includes('sent while you were away')")).isFalse();

                offline(shopBrowser, false);
                shop.awaitFrameJs("openlive.comments", Duration.ofSeconds(30),
                        "return document.getElementById('list').textContent.includes('sent while you were away')");
                shopBrowser.await("the room to be live again", Duration.ofSeconds(30), () -> "live".equals(shop.state()));
                shop.awaitPlaying(2, Duration.ofSeconds(20));
                assertThat((Boolean) shopBrowser.js("return window.sockets.filter(s => s.url.includes('/rt')).some(s => s.url.includes('since='))"))
                        .as("the channel reconnected with since=").isTrue();
            } finally {
                ffmpeg.destroy();
            }
        }
    }

    private static void offline(Browser browser, boolean offline) {
        browser.driver.executeCdpCommand("Network.emulateNetworkConditions",
                Map.of("offline", offline, "latency", 0, "downloadThroughput", -1, "uploadThroughput", -1));
    }
}
