package io.openlive.server.browser;

import io.openlive.server.Ffmpeg;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code <live-room>} playing HLS in real Chromium while ffmpeg publishes: {@code playback="hls"} plays through hls.js
 * (LL-HLS, fMP4) with the room's media time on screen, and the latency behind live is printed; {@code auto} without Media
 * Source Extensions plays the browser's own HLS where it has one (Chromium does), says {@code unsupported} where it has
 * neither, and hands over to hls.js when FLV never arrives (blocked by the network).
 */
class HlsPlaybackTest {
    /** Hides Media Source Extensions from the page before any of its scripts run, as a browser without them would. */
    private static final String NO_MSE = "delete window.MediaSource; delete window.ManagedMediaSource; delete window.WebKitMediaSource;";
    /** And the video element's own HLS. */
    private static final String NO_NATIVE_HLS = "const canPlay = HTMLMediaElement.prototype.canPlayType;"
            + "HTMLMediaElement.prototype.canPlayType = function (t) { return /mpegurl/i.test(t) ? '' : canPlay.call(this, t); };";
    /** WebSockets to a room's FLV go to a path the server does not have (a proxy refusing them); /rt is untouched. */
    private static final String NO_FLV_WEBSOCKET = "const WS = window.WebSocket; window.WebSocket = class extends WS {"
            + " constructor(url, protocols) { super(String(url).replace(/\\.flv/, '.refused'), protocols); } };";
    private static final String RESOURCES = "return performance.getEntriesByType('resource').map((r) => r.name)";

    static Stage stage;
    static Process ffmpeg;

    @BeforeAll
    static void start() throws Exception {
        stage = Stage.start();
        ffmpeg = Ffmpeg.publish(stage.publishUrl(), 300);
        awaitSegments(4); // 8 s of media: a media time mapped from the wrong origin would be seconds off
    }

    @AfterAll
    static void stop() throws Exception {
        if (ffmpeg != null) {
            ffmpeg.destroy();
        }
        if (stage != null) {
            stage.close();
        }
    }

    @Test
    void hlsPlaybackPlaysThroughHlsJsNearTheLiveEdgeWithTheRoomsMediaTime() throws Exception {
        try (Browser browser = Browser.open(1366, 900)) {
            RoomPage page = new RoomPage(browser).open(stage.hostPage("shop", "Mia", "&playback=hls"));
            page.awaitPlaying(3, Duration.ofSeconds(45));
            assertThat(page.state()).isEqualTo("live");
            assertThat(player(browser)).isEqualTo("hls.js");
            assertThat(browser.js("return typeof window.Hls")).isEqualTo("function");
            @SuppressWarnings("unchecked")
            List<String> fetched = (List<String>) browser.js(RESOURCES);
            assertThat(fetched).anyMatch(u -> u.endsWith("/vendor/hls.js/hls.min.js")).anyMatch(u -> u.contains(".m3u8"))
                    .noneMatch(u -> u.contains("mpegts.js")).noneMatch(u -> u.contains(".flv"));

            // latency(): the newest media timestamp the server has minus the one on screen (hls.js's initPTS + currentTime)
            List<Double> sorted = latencySamples(browser, 20, 500);
            assertThat(sorted).as("latency samples").hasSizeGreaterThanOrEqualTo(15);
            double median = sorted.get(sorted.size() / 2);
            System.out.printf("hls.js (LL-HLS, lowLatencyMode, the container's chase) latency behind live: median %.0f ms, min %.0f, max %.0f, n=%d, %s stall(s)%n",
                    median, sorted.get(0), sorted.get(sorted.size() - 1), sorted.size(), browser.js("return document.querySelector('live-room').playback.stalls"));
            assertThat(median).as("latency behind live (ms)").isBetween(-300.0, 6000.0);
        }
    }

    /**
     * After a stall the container steers hls.js back to the playlist's PART-HOLD-BACK (0.9 s). hls.js alone would not:
     * it adds 1 s to its own target for every stall and keeps it for the rest of the show.
     */
    @Test
    void hlsPlaybackComesBackNearTheLiveEdgeAfterAStall() throws Exception {
        try (Browser browser = Browser.open(1366, 900)) {
            RoomPage page = new RoomPage(browser).open(stage.hostPage("shop", "Mia", "&playback=hls"));
            page.awaitPlaying(3, Duration.ofSeconds(45));
            // the network drops for 4 s: the buffer runs dry and hls.js sees the stall (a busy main thread would not do:
            // hls.js's stall watch runs on that thread, and the data is there again when it next looks)
            browser.driver.executeCdpCommand("Network.enable", Map.of());
            browser.driver.executeCdpCommand("Network.emulateNetworkConditions",
                    Map.of("offline", true, "latency", 0, "downloadThroughput", -1, "uploadThroughput", -1));
            browser.await("a stall counted", Duration.ofSeconds(10),
                    () -> ((Number) browser.js("return document.querySelector('live-room').playback.stalls")).intValue() > 0);
            Thread.sleep(3000);
            browser.driver.executeCdpCommand("Network.emulateNetworkConditions",
                    Map.of("offline", false, "latency", 0, "downloadThroughput", -1, "uploadThroughput", -1));
            Thread.sleep(15_000); // the catching up: 1.1-1.25x speed or a jump; hls.js's own target is now 1.9 s
            List<Double> sorted = latencySamples(browser, 10, 300);
            assertThat(sorted).as("latency samples").hasSizeGreaterThanOrEqualTo(8);
            double median = sorted.get(sorted.size() / 2);
            System.out.printf("hls.js 15 s after the network came back: latency behind live median %.0f ms, min %.0f, max %.0f%n",
                    median, sorted.get(0), sorted.get(sorted.size() - 1));
            assertThat(median).as("latency behind live 15 s after the stall (ms): PART-HOLD-BACK 0.9 s plus the part in progress")
                    .isLessThan(1700.0);
        }
    }

    @Test
    void autoWithoutMediaSourceExtensionsPlaysTheBrowsersOwnHls() throws Exception {
        try (Browser browser = Browser.open(1366, 900)) {
            beforeEveryDocument(browser, NO_MSE);
            RoomPage page = new RoomPage(browser).open(stage.hostPage("shop", "Mia"));
            browser.await("a player chosen", Duration.ofSeconds(20), () -> player(browser) != null || "unsupported".equals(page.state()));
            boolean nativeHls = !"".equals(browser.js("return document.createElement('video').canPlayType('application/vnd.apple.mpegurl')"));
            assertThat(nativeHls).as("this Chromium plays HLS itself (the test would prove nothing otherwise)").isTrue();
            assertThat(player(browser)).isEqualTo("native-hls");
            page.awaitPlaying(2, Duration.ofSeconds(45));
            assertThat(page.state()).isEqualTo("live");
            @SuppressWarnings("unchecked")
            List<String> fetched = (List<String>) browser.js(RESOURCES);
            assertThat(fetched).noneMatch(u -> u.contains("mpegts.js") || u.contains("hls.min.js"));
        }
    }

    @Test
    void autoWithNeitherMediaSourceExtensionsNorHlsSaysUnsupported() throws Exception {
        try (Browser browser = Browser.open(1366, 900)) {
            beforeEveryDocument(browser, NO_MSE + NO_NATIVE_HLS);
            RoomPage page = new RoomPage(browser).open(stage.hostPage("shop", "Mia"));
            browser.await("unsupported", Duration.ofSeconds(20), () -> "unsupported".equals(page.state()));
            browser.await("the components (the room works without video)", Duration.ofSeconds(20), () -> page.hasFrame("openlive.comments"));
            assertThat(player(browser)).isNull();
            assertThat(page.currentTime()).isZero();
            assertThat((String) browser.js("return document.querySelector('live-room').shadowRoot.querySelector('.status span').textContent"))
                    .contains("cannot play live video");
        }
    }

    @Test
    void autoHandsOverToHlsJsWhenFlvNeverArrives() throws Exception {
        try (Browser browser = Browser.open(1366, 900)) {
            // a proxy that passes neither: HTTP-FLV blocked, and the FLV WebSocket refused (the blocking list does not
            // cover WebSockets, so the page's WebSocket asks for a path the server does not have instead)
            browser.driver.executeCdpCommand("Network.enable", Map.of());
            browser.driver.executeCdpCommand("Network.setBlockedURLs", Map.of("urls", List.of("*.flv*")));
            beforeEveryDocument(browser, NO_FLV_WEBSOCKET);
            RoomPage page = new RoomPage(browser).open(stage.hostPage("shop", "Mia"));
            browser.await("the hand-over to hls.js", Duration.ofSeconds(45), () -> "hls.js".equals(player(browser)));
            // auto chose FLV first (the SDK's remuxer tried both transports; mpegts.js was never needed), then handed over
            assertThat(browser.js("return typeof window.mpegts")).isEqualTo("undefined");
            assertThat(String.join("\n", browser.console())).contains("FLV did not arrive");
            page.awaitPlaying(2, Duration.ofSeconds(45));
            assertThat(page.state()).isEqualTo("live");
            assertThat(page.mediaTime()).as("media time on screen").isNotNull();
        }
    }

    /** {@code count} samples of the container's latency() (ms), {@code spacingMs} apart, sorted; unknown ones left out. */
    private static List<Double> latencySamples(Browser browser, int count, long spacingMs) throws InterruptedException {
        List<Double> samples = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Object ms = browser.jsAsync("document.querySelector('live-room').latency().then(arguments[0], () => arguments[0](null))");
            if (ms instanceof Number n) {
                samples.add(n.doubleValue());
            }
            Thread.sleep(spacingMs); // spacing of the samples, not a wait for anything
        }
        return samples.stream().sorted().toList();
    }

    private static String player(Browser browser) {
        return (String) browser.js("return document.querySelector('live-room')?.playback.player ?? null");
    }

    private static void beforeEveryDocument(Browser browser, String script) {
        browser.driver.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", script));
    }

    /** Waits until the room's LL-HLS playlist lists this many complete segments. */
    private static void awaitSegments(int count) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        URI playlist = URI.create(stage.fixture.http("/live/" + stage.roomId + ".m3u8"));
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(playlist).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 200 && r.body().lines().filter(l -> l.startsWith("#EXTINF")).count() >= count) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the room's playlist never had " + count + " segments: " + r.statusCode() + " " + r.body());
            }
            Thread.sleep(200);
        }
    }
}
