package io.openlive.server.browser;

import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/** A host page with one {@code <live-room>}, as the tests read it: the player, the host page events, the component frames. */
final class RoomPage {
    final Browser browser;

    RoomPage(Browser browser) {
        this.browser = browser;
    }

    RoomPage open(String url) {
        browser.get(url);
        return this;
    }

    /** What the video element says, for a failure message. */
    static final String VIDEO_STATE = """
            const room = document.querySelector('live-room');
            const v = room?.shadowRoot?.querySelector('video');
            if (!v) return 'no video element';
            const ranges = [];
            for (let i = 0; i < v.buffered.length; i++) ranges.push(v.buffered.start(i).toFixed(2) + '-' + v.buffered.end(i).toFixed(2));
            return JSON.stringify({ state: room.state, playback: room.playback, readyState: v.readyState, networkState: v.networkState,
              paused: v.paused, muted: v.muted, currentTime: v.currentTime, buffered: ranges, error: v.error?.message ?? null,
              size: v.videoWidth + 'x' + v.videoHeight, events: (window.events ?? []).filter((e) => e.type === 'state').map((e) => e.detail),
              marks: performance.getEntriesByType('mark').map((m) => m.name + '@' + Math.round(m.startTime)) });""";

    double currentTime() {
        Object t = browser.js("return document.querySelector('live-room').playback.currentTime");
        return t instanceof Number n ? n.doubleValue() : 0;
    }

    Double mediaTime() {
        Object t = browser.js("return document.querySelector('live-room').playback.mediaTime");
        return t instanceof Number n ? n.doubleValue() : null;
    }

    String state() {
        return (String) browser.js("return document.querySelector('live-room').state");
    }

    /** The video's time advances by at least `seconds` within `limit`. */
    void awaitPlaying(double seconds, Duration limit) throws InterruptedException {
        try {
            browser.await("the video element to play", limit, () -> currentTime() > 0.2);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\nvideo: " + browser.js(VIDEO_STATE), e);
        }
        double start = currentTime();
        browser.await("the video to advance " + seconds + " s from " + start, limit, () -> currentTime() - start >= seconds);
    }

    List<WebElement> frames() {
        return browser.driver.findElement(By.cssSelector("live-room")).getShadowRoot().findElements(By.cssSelector("iframe.component"));
    }

    WebElement frame(String component) {
        return browser.driver.findElement(By.cssSelector("live-room")).getShadowRoot()
                .findElement(By.cssSelector("iframe[data-component='" + component + "']"));
    }

    /** Whether the component's frame is mounted and not on its way out (a destroyed frame is hidden, then removed). */
    boolean hasFrame(String component) {
        return Boolean.TRUE.equals(browser.js(
                "return [...document.querySelector('live-room').shadowRoot.querySelectorAll('iframe.component')]"
                        + ".some(f => f.dataset.component === arguments[0] && f.style.visibility !== 'hidden')", component));
    }

    /** Runs `action` inside the component's frame and comes back to the page. */
    <T> T inFrame(String component, Supplier<T> action) {
        browser.switchTo().frame(frame(component));
        try {
            return action.get();
        } finally {
            browser.switchTo().defaultContent();
        }
    }

    /** Runs a script inside the component's frame (Selenium's visibility checks do not see through the shadow root). */
    Object frameJs(String component, String script, Object... args) {
        return inFrame(component, () -> browser.js(script, args));
    }

    /** Waits until a script run inside the component's frame returns true. */
    void awaitFrameJs(String component, Duration limit, String script, Object... args) throws InterruptedException {
        browser.await(component + ": " + script, limit, () -> Boolean.TRUE.equals(frameJs(component, script, args)));
    }

    void awaitFrame(String component, Duration limit, Supplier<Boolean> condition) throws InterruptedException {
        browser.await(component + " to show it", limit, () -> inFrame(component, condition));
    }
}
