package io.openlive.server.browser;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The host side of {@code <live-room>} in Chromium: a browser without Media Source Extensions gets a clear unsupported
 * state while the components still run; where sound needs a gesture it plays muted and the unmute button turns sound
 * on; a token provider is asked again before its token expires; a component's
 * host.open reaches the page as an {@code open} event the page can mark handled.
 */
class LiveRoomElementTest {
    static Stage stage;

    @BeforeAll
    static void start() throws Exception {
        stage = Stage.start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (stage != null) {
            stage.close();
        }
    }

    @Test
    void withoutMediaSourceExtensionsNorHlsTheRoomSaysSoAndComponentsStillRun() throws Exception {
        try (Browser browser = Browser.open(390, 844)) {
            // Chromium plays HLS itself without MSE (HlsPlaybackTest), so its own HLS goes too
            browser.driver.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument",
                    Map.of("source", "delete window.MediaSource; delete window.ManagedMediaSource;"
                            + "HTMLMediaElement.prototype.canPlayType = function () { return ''; };"));
            RoomPage page = new RoomPage(browser).open(stage.hostPage("shop", "Mia"));
            browser.await("the unsupported state", Duration.ofSeconds(10), () -> "unsupported".equals(page.state()));
            assertThat((String) browser.js("return document.querySelector('live-room').shadowRoot.querySelector('.status').textContent"))
                    .contains("cannot play live video");
            page.awaitFrameJs("openlive.comments", Duration.ofSeconds(15), "return !!document.getElementById('text')");
        }
    }

    @Test
    void whereSoundNeedsAGestureItPlaysMutedAndTheUnmuteButtonTurnsSoundOn() throws Exception {
        // a stage of its own: its show ends when ffmpeg stops, which would end the other tests' room
        try (Stage own = Stage.start(); Browser browser = Browser.open(800, 700, "document-user-activation-required")) {
            Process ffmpeg = io.openlive.server.Ffmpeg.publish(own.publishUrl(), 60);
            try {
                RoomPage page = new RoomPage(browser).open(own.hostPage("shop", "Mia"));
                page.awaitPlaying(1, Duration.ofSeconds(30));
                assertThat(browser.js("return document.querySelector('live-room').playback.muted")).isEqualTo(true);
                org.openqa.selenium.WebElement unmute = browser.driver.findElement(org.openqa.selenium.By.cssSelector("live-room"))
                        .getShadowRoot().findElement(org.openqa.selenium.By.cssSelector("button.unmute"));
                unmute.click(); // a real click: the gesture the browser asks for
                browser.await("sound on", Duration.ofSeconds(5),
                        () -> Boolean.FALSE.equals(browser.js("return document.querySelector('live-room').playback.muted")));
                page.awaitPlaying(1, Duration.ofSeconds(10));
                assertThat((Boolean) browser.js("return document.querySelector('live-room').shadowRoot.querySelector('button.unmute').hidden")).isTrue();
            } finally {
                ffmpeg.destroy();
            }
        }
    }

    @Test
    void tokenProviderIsAskedAgainBeforeTheTokenExpires() throws Exception {
        long soon = System.currentTimeMillis() / 1000 + 63; // renewed 60 s before expiry: about 3 s from now
        String first = stage.token("shop", "u-ava", "Ava", soon);
        String second = stage.token("shop", "u-ava", "Ava", soon + 3600);
        try (Browser browser = Browser.open(800, 700)) {
            RoomPage page = new RoomPage(browser).open(stage.hostPage("shop", null, "&tokens=" + first + "," + second));
            page.awaitFrameJs("openlive.comments", Duration.ofSeconds(15), "return !!document.getElementById('text')");
            browser.await("the provider to be asked a second time", Duration.ofSeconds(15),
                    () -> ((Number) browser.js("return window.providerCalls")).intValue() >= 2);
            page.frameJs("openlive.comments", "document.getElementById('text').value = 'signed in'; document.getElementById('send').click()");
            page.awaitFrameJs("openlive.comments", Duration.ofSeconds(10), "return document.getElementById('list').textContent.includes('Ava')");
        }
    }

    @Test
    void componentAsksTheHostPageToOpenSomething() throws Exception {
        try (Browser browser = Browser.open(1366, 900)) {
            RoomPage page = new RoomPage(browser).open(stage.hostPage("shop", "Mia"));
            browser.js("document.querySelector('live-room').addEventListener('open', (e) => e.preventDefault())");
            page.awaitFrameJs("openlive.product-card", Duration.ofSeconds(15), "return document.body.dataset.product === ''");
            String id = stage.product(Map.of("title", "Openable", "price", 1000));
            stage.pin(id);
            page.awaitFrameJs("openlive.product-card", Duration.ofSeconds(15), "return document.body.dataset.product === '" + id + "'");
            page.frameJs("openlive.product-card", "document.getElementById('title').click()");
            browser.await("the open event", Duration.ofSeconds(10),
                    () -> (Boolean) browser.js("return window.events.some(e => e.type === 'open' && e.detail.target === 'product'"
                            + " && e.detail.params.productId === '" + id + "' && e.detail.component === 'openlive.product-card')"));
            // the buy button places a real order through the card's identity, and the page is asked to open checkout
            page.frameJs("openlive.product-card", "document.getElementById('buy').click()");
            page.awaitFrameJs("openlive.product-card", Duration.ofSeconds(10),
                    "return document.getElementById('note').textContent.startsWith('Ordered')");
            browser.await("the checkout open event", Duration.ofSeconds(10),
                    () -> (Boolean) browser.js("return window.events.some(e => e.type === 'open' && e.detail.target === 'checkout'"
                            + " && String(e.detail.params.orderId).startsWith('ord'))"));
            assertThat(stage.fixture.server.commerce().products().get(
                    new io.openlive.engine.platform.Principal("t", io.openlive.engine.platform.Role.ADMIN, null), id).stock())
                    .as("one unit sold").isEqualTo(99L);
        }
    }
}
