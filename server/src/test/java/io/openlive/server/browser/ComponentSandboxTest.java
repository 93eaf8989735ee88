package io.openlive.server.browser;

import com.fasterxml.jackson.databind.JsonNode;
import io.openlive.server.Ffmpeg;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A third-party component in real Chromium, on the component origin in a {@code sandbox="allow-scripts"} frame: it
 * cannot read the host page's cookies, storage or DOM, cannot reach the API or any other origin by fetch or WebSocket,
 * never sees the viewer's token, and the container refuses what its manifest does not declare.
 */
class ComponentSandboxTest {
    static Stage stage;
    static String probe;

    @BeforeAll
    static void start() throws Exception {
        stage = Stage.start();
        probe = stage.thirdParty("Acme", Stage.testComponent("probe"));
        stage.bind("shop", List.of("comments"), List.of(Map.of("versionId", probe, "slot", "bottom-bar",
                "config", Map.of("platform", stage.fixture.http("")))));
    }

    @AfterAll
    static void stop() throws Exception {
        if (stage != null) {
            stage.close();
        }
    }

    @Test
    void thirdPartyComponentReachesNothingButItsBridge() throws Exception {
        try (Browser browser = Browser.open(1366, 900)) {
            RoomPage page = new RoomPage(browser).open(stage.hostPage("shop", "Mia"));
            page.awaitFrameJs("acme.probe", Duration.ofSeconds(30), "return window.probe && window.probe.done === true");
            @SuppressWarnings("unchecked")
            Map<String, Object> result = (Map<String, Object>) page.frameJs("acme.probe", "return window.probe");

            assertThat(result.get("cookie")).asString().startsWith("blocked");
            assertThat(result.get("localStorage")).asString().startsWith("blocked");
            assertThat(result.get("sessionStorage")).asString().startsWith("blocked");
            assertThat(result.get("parentDom")).asString().startsWith("blocked");
            assertThat(result.get("topDom")).asString().startsWith("blocked");
            assertThat(result.get("parentLocation")).asString().startsWith("blocked");
            assertThat(result.get("fetchApi")).asString().startsWith("blocked");
            assertThat(result.get("fetchElsewhere")).asString().startsWith("blocked");
            assertThat(result.get("webSocketRt")).asString().startsWith("blocked");

            String token = stage.token("shop", "u-mia", "Mia").split("\\.")[0];
            JsonNode init = PlatformApi.JSON.readTree((String) result.get("init"));
            assertThat(init.path("viewer").path("id").asText()).isEqualTo("u-mia");
            assertThat(init.path("limits").path("callsPerSecond").asInt()).isPositive();
            assertThat(init.path("component").path("versionId").asText()).isEqualTo(probe);
            assertThat(result.toString()).as("nothing the component got holds the token").doesNotContain(token);

            assertThat(result.get("undeclaredCall")).isEqualTo("forbidden");
            assertThat(result.get("undeclaredEmit")).isEqualTo("forbidden");
            assertThat(result.get("undeclaredSubscribe")).isEqualTo("forbidden");
            assertThat(result.get("roomInfo")).asString().contains("\"room\"");
            assertThat(result.get("follow")).asString().contains("\"following\":true");

            // storage: its own, per viewer, in the host page's localStorage, within its quota; calls within their rate
            assertThat(result.get("storageRoundTrip")).isEqualTo("{\"hi\":1}");
            assertThat(result.get("storageQuota")).isEqualTo("quota_exceeded");
            assertThat((String) browser.js("return localStorage.getItem(arguments[0])", "openlive.storage." + stage.apps.get("shop") + ".acme.probe.u-mia"))
                    .contains("\"greeting\"");
            assertThat(((Number) result.get("burstAnswered")).intValue()).isPositive();
            assertThat(((Number) result.get("burstLimited")).intValue()).isPositive();
            assertThat((String) browser.js("return document.cookie")).as("the host page keeps its cookie").contains("host-cookie-secret");

            // shown while on screen, hidden once scrolled away
            page.awaitFrameJs("acme.probe", Duration.ofSeconds(10), "return window.probe.lifecycle.at(-1) === 'show'");
            browser.js("document.body.style.height = '6000px'; window.scrollTo(0, 5000)");
            page.awaitFrameJs("acme.probe", Duration.ofSeconds(10), "return window.probe.lifecycle.at(-1) === 'hide'");
        }
    }

    /** What a tampered container sends straight to /rt from the host page: one call naming a component version. */
    private static final String FORGE = """
            const [url, envelope, done] = arguments;
            const ws = new WebSocket(url);
            ws.onmessage = (e) => {
              const frame = JSON.parse(e.data);
              for (const m of Array.isArray(frame) ? frame : [frame]) {
                if (m.op === 'msg' && m.data && m.data.type === 'welcome') ws.send(envelope);
                if ((m.op === 'result' || m.op === 'error') && m.id === 1) { ws.close(); done(JSON.stringify(m)); }
              }
            };
            ws.onerror = () => done('socket error');
            """;

    @Test
    void serverRefusesAnEnvelopeForgedPastTheContainer() throws Exception {
        try (Browser browser = Browser.open(800, 600)) {
            browser.get(stage.hostPage("shop", "Mia"));
            String rt = stage.fixture.http("/rt").replace("http", "ws") + "?room=" + stage.roomId + "&app=" + stage.apps.get("shop")
                    + "&token=" + stage.token("shop", "u-mia", "Mia");
            String forged = "{\"id\":1,\"op\":\"call\",\"method\":\"comment.send\",\"params\":{\"text\":\"forged\"},\"component\":\"" + probe + "\"}";
            assertThat((String) browser.jsAsync(FORGE, rt, forged)).as("the probe has no comment:write").contains("\"forbidden\"");
            String allowed = forged.replace(probe, stage.versions.get("comments"));
            assertThat((String) browser.jsAsync(FORGE, rt, allowed)).as("the comments component has comment:write").contains("\"result\"");
            String emitWithoutComponent = "{\"id\":1,\"op\":\"call\",\"method\":\"topic.emit\",\"params\":{\"topic\":\"acme.probe.ping\",\"data\":{}}}";
            assertThat((String) browser.jsAsync(FORGE, rt, emitWithoutComponent)).as("topic.emit needs a component").contains("\"forbidden\"");
        }
    }

    static String chaos;

    static synchronized String chaos() throws Exception {
        if (chaos == null) {
            chaos = stage.thirdParty("Chaos Inc", Stage.testComponent("chaos"));
        }
        return chaos;
    }

    @Test
    void misbehavingComponentStopsNeitherThePlayerNorTheOthers() throws Exception {
        stage.bind("pay", List.of("comments"), List.of(Map.of("versionId", chaos(), "slot", "overlay")));
        Process ffmpeg = Ffmpeg.publish(stage.publishUrl(), 60);
        try (Browser browser = Browser.open(1366, 900)) {
            RoomPage page = new RoomPage(browser).open(stage.hostPage("pay", "Noah"));
            page.awaitPlaying(1, Duration.ofSeconds(30));
            browser.await("the container to unmount the flooding component", Duration.ofSeconds(20),
                    () -> (Boolean) browser.js("return window.events.some(e => e.type === 'error' && e.detail.code === 'component_unmounted')")
                            && !page.hasFrame("acme.chaos"));
            page.awaitPlaying(2, Duration.ofSeconds(15));
            page.inFrame("openlive.comments", () -> browser.js(
                    "document.getElementById('text').value = 'still here'; document.getElementById('send').click()"));
            page.awaitFrameJs("openlive.comments", Duration.ofSeconds(10),
                    "return document.getElementById('list').textContent.includes('still here')");
        } finally {
            ffmpeg.destroy();
        }
    }

    /**
     * A component that blocks its thread: the player, in the host page's process, plays on. (Chromium runs sandboxed
     * frames of one site in one process, so components of the same component origin stall with it; docs/components.md.)
     */
    @Test
    void componentThatNeverYieldsDoesNotStopThePlayer() throws Exception {
        stage.bind("pay", List.of(), List.of(Map.of("versionId", chaos(), "slot", "overlay", "config", Map.of("spin", true))));
        Process ffmpeg = Ffmpeg.publish(stage.publishUrl(), 60);
        try (Browser browser = Browser.open(1366, 900)) {
            RoomPage page = new RoomPage(browser).open(stage.hostPage("pay", "Noah"));
            page.awaitPlaying(1, Duration.ofSeconds(30));
            browser.await("the spinning frame to be in the page", Duration.ofSeconds(10), () -> page.hasFrame("acme.chaos"));
            page.awaitPlaying(3, Duration.ofSeconds(15));
            assertThat(page.state()).isEqualTo("live");
        } finally {
            ffmpeg.destroy();
        }
    }
}
