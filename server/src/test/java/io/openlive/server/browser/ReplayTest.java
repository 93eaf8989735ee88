package io.openlive.server.browser;

import com.fasterxml.jackson.databind.JsonNode;
import io.openlive.server.Ffmpeg;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A room's show recorded (ffmpeg publishes 10 s with the room's recording on), ended (a 1 s grace), then replayed in real
 * Chromium by {@code <live-room replay="latest">}: the container lists the room's recordings over its realtime channel
 * ({@code room.recordings}), plays the newest through hls.js as VOD HLS with the video's controls, says {@code replay},
 * keeps the room's components, and seeks; its length is the recording's. A viewer of a host app the room is not
 * delivered to lists nothing and plays nothing.
 */
class ReplayTest {
    private static final int SECONDS = 10;
    static Stage stage;
    static String recordingId;
    static double recordedSeconds;

    @BeforeAll
    static void recordAShow() throws Exception {
        stage = Stage.start(Duration.ofSeconds(1));
        // a third-party component that records its init data (the probe of ComponentSandboxTest), beside the shop's own
        String probe = stage.thirdParty("Acme", Stage.testComponent("probe"));
        stage.bind("shop", Stage.SHOP, List.of(Map.of("versionId", probe, "slot", "bottom-bar",
                "config", Map.of("platform", stage.fixture.http("")))));
        stage.api.put("/rooms/" + stage.roomId + "/recording", stage.broadcaster, Map.of("enabled", true));
        Process ffmpeg = Ffmpeg.publish(stage.publishUrl(), SECONDS);
        assertThat(ffmpeg.waitFor(60, TimeUnit.SECONDS)).as("ffmpeg published its %d s", SECONDS).isTrue();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        JsonNode done = null;
        while (done == null && System.nanoTime() < deadline) {
            JsonNode items = stage.api.get("/rooms/" + stage.roomId + "/recordings", stage.broadcaster).path("items");
            if (items.size() == 1 && items.get(0).path("status").asText().equals("done")) {
                done = items.get(0);
            } else {
                Thread.sleep(200);
            }
        }
        assertThat(done).as("the recording finished once the show ended").isNotNull();
        recordingId = done.path("id").asText();
        recordedSeconds = done.path("duration").asDouble();
        assertThat(recordingId).matches("rec_[0-9a-z]{24}"); // 8 characters of time, 16 random
        assertThat(recordedSeconds).as("the API's duration, from the MP4's movie header").isCloseTo(SECONDS, Offset.offset(1.0));
    }

    @AfterAll
    static void stop() throws Exception {
        if (stage != null) {
            stage.close();
        }
    }

    @Test
    void latestReplaysTheRoomsRecordingAsVodWithSeekingAndTheRoomsComponents() throws Exception {
        try (Browser browser = Browser.open(1366, 900)) {
            RoomPage page = new RoomPage(browser).open(stage.hostPage("shop", "Mia", "&replay=latest"));
            browser.await("the replay state", Duration.ofSeconds(45), () -> "replay".equals(page.state()));
            assertThat(browser.js("return document.querySelector('live-room').replay.id")).isEqualTo(recordingId);
            assertThat(browser.js("return document.querySelector('live-room').playback.player")).isEqualTo("hls.js");
            @SuppressWarnings("unchecked")
            Map<String, Object> stateEvent = (Map<String, Object>) browser.js(
                    "return window.events.filter(e => e.type === 'state' && e.detail.state === 'replay').at(-1).detail");
            @SuppressWarnings("unchecked")
            Map<String, Object> recording = (Map<String, Object>) stateEvent.get("recording");
            assertThat(recording.get("id")).isEqualTo(recordingId);
            assertThat(((Number) recording.get("duration")).doubleValue()).isCloseTo(recordedSeconds, Offset.offset(0.01));

            page.awaitPlaying(2, Duration.ofSeconds(30));
            double length = ((Number) browser.js("return document.querySelector('live-room').shadowRoot.querySelector('video').duration")).doubleValue();
            assertThat(length).as("a VOD's whole length, the recording's").isCloseTo(recordedSeconds, Offset.offset(0.5));
            assertThat(browser.js("return document.querySelector('live-room').shadowRoot.querySelector('video').controls")).isEqualTo(true);
            assertThat(browser.js("return document.querySelector('live-room').shadowRoot.querySelector('.unmute').hidden"))
                    .as("no unmute button over the controls' bar").isEqualTo(true);

            // seek forward to near the end, then back to the start: both play on from there
            seek(browser, length - 3);
            browser.await("playing from " + (length - 3), Duration.ofSeconds(20), () -> page.currentTime() > length - 2.5);
            seek(browser, 0.5);
            browser.await("playing from the start again", Duration.ofSeconds(20), () -> page.currentTime() > 1 && page.currentTime() < 4);
            page.awaitPlaying(1, Duration.ofSeconds(20));

            // the room's components are there as in the live room, and their init data says which recording plays
            browser.await("the components", Duration.ofSeconds(30), () -> page.hasFrame("openlive.comments"));
            page.awaitFrameJs("acme.probe", Duration.ofSeconds(30), "return !!(window.probe && window.probe.init)");
            JsonNode init = PlatformApi.JSON.readTree((String) page.frameJs("acme.probe", "return window.probe.init"));
            assertThat(init.path("replay").path("id").asText()).isEqualTo(recordingId);
            assertThat(init.path("replay").path("duration").asDouble()).isCloseTo(recordedSeconds, Offset.offset(0.01));
            assertThat(init.path("room").path("state").asText()).as("the room as it is now").isEqualTo("ended");
            assertThat(page.state()).isEqualTo("replay");
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> listed = (List<Map<String, Object>>) browser.jsAsync(
                    "document.querySelector('live-room').recordings().then(arguments[0], (e) => arguments[0]([{error: e.code}]))");
            assertThat(listed).singleElement().satisfies(r -> {
                assertThat(r.get("id")).isEqualTo(recordingId);
                assertThat(((Number) r.get("duration")).doubleValue()).isCloseTo(recordedSeconds, Offset.offset(0.01));
                assertThat(((Number) r.get("startedAt")).longValue()).isPositive();
            });
            @SuppressWarnings("unchecked")
            List<String> fetched = (List<String>) browser.js("return performance.getEntriesByType('resource').map((r) => r.name)");
            assertThat(fetched).anyMatch(u -> u.endsWith("/recordings/" + stage.roomId + "/" + recordingId + ".m3u8"))
                    .anyMatch(u -> u.contains("/recordings/" + stage.roomId + "/" + recordingId + "/s"))
                    .noneMatch(u -> u.contains(".flv") || u.contains("/live/"));
            // the live plugin's badge says what the picture is: the replay, not the room's state now
            page.awaitFrameJs("openlive.live", Duration.ofSeconds(15), "return document.getElementById('state').textContent === 'REPLAY'");
            String dir = System.getProperty("openlive.screenshots");
            if (dir != null) { // to look at a replay on a desktop and a phone window (not committed)
                browser.screenshot(Path.of(dir, "replay-desktop.png"));
                try (Browser phone = Browser.open(390, 844)) {
                    RoomPage small = new RoomPage(phone).open(stage.hostPage("shop", "Mia", "&replay=latest"));
                    small.awaitPlaying(2, Duration.ofSeconds(30));
                    small.awaitFrameJs("openlive.live", Duration.ofSeconds(15), "return document.getElementById('state').textContent === 'REPLAY'");
                    phone.screenshot(Path.of(dir, "replay-phone.png"));
                }
            }
        }
    }

    @Test
    void aReplayByIdPlaysWithoutMediaSourceExtensionsThroughTheBrowsersOwnHls() throws Exception {
        try (Browser browser = Browser.open(1366, 900)) {
            browser.driver.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source",
                    "delete window.MediaSource; delete window.ManagedMediaSource; delete window.WebKitMediaSource;"));
            RoomPage page = new RoomPage(browser).open(stage.hostPage("pay", "Ana", "&replay=" + recordingId));
            browser.await("the replay state", Duration.ofSeconds(45), () -> "replay".equals(page.state()));
            assertThat(browser.js("return document.querySelector('live-room').playback.player")).isEqualTo("native-hls");
            page.awaitPlaying(2, Duration.ofSeconds(30));
            browser.await("the list fills in the start and length", Duration.ofSeconds(20),
                    () -> browser.js("return document.querySelector('live-room').replay.duration") instanceof Number);
        }
    }

    @Test
    void anUnknownRecordingIsAnErrorNotAStall() throws Exception {
        try (Browser browser = Browser.open(1366, 900)) {
            RoomPage page = new RoomPage(browser).open(stage.hostPage("shop", "Mia", "&replay=rec_nosuch0000000000000000"));
            browser.await("an error", Duration.ofSeconds(45), () -> "error".equals(page.state()));
            assertThat(browser.js("return window.events.filter(e => e.type === 'state').at(-1).detail.code")).isEqualTo("replay_unavailable");
        }
    }

    @Test
    void aViewerOfAHostAppTheRoomIsNotDeliveredToCannotListItsRecordings() throws Exception {
        JsonNode other = stage.api.post("/apps", stage.admin, Map.of("name", "Elsewhere", "policy", "direct"));
        stage.apps.put("elsewhere", other.path("id").asText());
        stage.secrets.put("elsewhere", other.path("secret").asText());
        try (Browser browser = Browser.open(1366, 900)) {
            RoomPage page = new RoomPage(browser).open(stage.hostPage("elsewhere", "Eve", "&replay=latest"));
            browser.await("refused", Duration.ofSeconds(30), () -> "error".equals(page.state()));
            assertThat(browser.js("return window.events.filter(e => e.type === 'state').at(-1).detail.code")).isEqualTo("room_not_delivered");
            Object listed = browser.jsAsync(
                    "document.querySelector('live-room').recordings().then((r) => arguments[0]('listed ' + r.length), (e) => arguments[0]('refused: ' + (e.code ?? e.message)))");
            assertThat(String.valueOf(listed)).startsWith("refused");
            @SuppressWarnings("unchecked")
            List<String> fetched = (List<String>) browser.js("return performance.getEntriesByType('resource').map((r) => r.name)");
            assertThat(fetched).noneMatch(u -> u.contains("/recordings/"));
            assertThat(String.join("\n", fetched) + page.state()).doesNotContain(recordingId);
        }
    }

    private static void seek(Browser browser, double to) {
        browser.js("document.querySelector('live-room').shadowRoot.querySelector('video').currentTime = arguments[0]", to);
    }
}
