package io.openlive.server.browser;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hooks bench's browser mode reads, in real Chromium on the Demo Shop: the container's {@code openlive:first-frame}
 * mark (requestVideoFrameCallback) and one {@code openlive:init:<component>} mark per component frame, both timed from
 * navigation start, the steps between (connected, token, container, room-live, player-library, player-start, media-info,
 * loadedmetadata, play, loadeddata, playing), each once and in the order they depend on each other, and {@code latency()}, room.info's newest media timestamp minus the one on screen.
 */
class PerformanceMarksTest {
    private static final String MARKS = "return performance.getEntriesByType('mark').filter((m) => m.name.startsWith('openlive:'))"
            + ".map((m) => ({ name: m.name, at: m.startTime }))";

    @Test
    void theContainerMarksTheFirstFrameAndEveryComponentsInitAndMeasuresItsLatencyBehindLive() throws Exception {
        try (DemoServer server = DemoServer.start(); Browser browser = Browser.open(1366, 900)) {
            RoomPage shop = new RoomPage(browser).open(server.page("shop"));
            shop.awaitPlaying(1, Duration.ofSeconds(30));
            browser.await("an init mark for every component frame", Duration.ofSeconds(15),
                    () -> !shop.frames().isEmpty() && names(browser).stream().filter(n -> n.startsWith("openlive:init:")).count() == shop.frames().size());

            List<String> names = names(browser);
            assertThat(names).containsOnlyOnce("openlive:first-frame");
            shop.frames().forEach(f -> assertThat(names).contains("openlive:init:" + f.getDomAttribute("data-component")));
            double now = ((Number) browser.js("return performance.now()")).doubleValue();
            for (Object m : (List<?>) browser.js(MARKS)) {
                double at = ((Number) ((Map<?, ?>) m).get("at")).doubleValue();
                assertThat(at).as("%s", m).isPositive().isLessThanOrEqualTo(now);
            }

            // the steps between (marks.js), each once, in the order they depend on each other
            assertThat(names).contains("openlive:connected", "openlive:token", "openlive:container", "openlive:loadedmetadata", "openlive:play",
                    "openlive:loadeddata", "openlive:playing");
            // the library is fetched from the start, beside the container document; the player starts once it is in,
            // without waiting for the container document, and the component frames wait for the first frame
            List<List<String>> before = new java.util.ArrayList<>(List.of(List.of("connected", "room-live"), List.of("connected", "player-library"),
                    List.of("player-library", "player-start"), List.of("player-start", "media-info"), List.of("media-info", "play"),
                    List.of("media-info", "first-frame")));
            shop.frames().forEach(f -> before.add(List.of("first-frame", "init:" + f.getDomAttribute("data-component"))));
            Map<String, Double> at = times(browser);
            for (List<String> pair : before) {
                String first = "openlive:" + pair.get(0);
                String then = "openlive:" + pair.get(1);
                assertThat(names).containsOnlyOnce(first, then);
                assertThat(at.get(then)).as("%s after %s: %s", then, first, at).isGreaterThanOrEqualTo(at.get(first));
            }

            Object latency = browser.jsAsync("document.querySelector('live-room').latency().then(arguments[0], () => arguments[0]('failed'))");
            assertThat(latency).as("latency() while live").isInstanceOf(Number.class);
            assertThat(((Number) latency).doubleValue()).isGreaterThanOrEqualTo(0);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Double> times(Browser browser) {
        Map<String, Double> out = new java.util.HashMap<>();
        ((List<Map<String, Object>>) browser.js(MARKS)).forEach(m -> out.putIfAbsent((String) m.get("name"), ((Number) m.get("at")).doubleValue()));
        return out;
    }

    @SuppressWarnings("unchecked")
    private static List<String> names(Browser browser) {
        return ((List<Map<String, Object>>) browser.js(MARKS)).stream().map(m -> (String) m.get("name")).toList();
    }
}
