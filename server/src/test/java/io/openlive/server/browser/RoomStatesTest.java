package io.openlive.server.browser;

import io.openlive.server.Ffmpeg;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The room's life as a page sees it, from the room's {@code system} messages: waiting before the show, live once a
 * publisher streams (the player starts by itself), ended when it leaves (components get destroy and go), and live again
 * with the components back when a publisher returns.
 */
class RoomStatesTest {
    @Test
    void waitingThenLiveThenEndedThenLiveAgain() throws Exception {
        try (Stage stage = Stage.start(Duration.ofSeconds(1)); Browser browser = Browser.open(1366, 900)) {
            RoomPage page = new RoomPage(browser).open(stage.hostPage("shop", "Mia"));
            browser.await("waiting", Duration.ofSeconds(15), () -> "waiting".equals(page.state()));
            browser.await("the components", Duration.ofSeconds(15), () -> page.hasFrame("openlive.comments"));

            Process first = Ffmpeg.publish(stage.publishUrl(), 60);
            try {
                page.awaitPlaying(1, Duration.ofSeconds(30));
                assertThat(page.state()).isEqualTo("live");
            } finally {
                first.destroy();
            }
            browser.await("ended", Duration.ofSeconds(20), () -> "ended".equals(page.state()));
            browser.await("the components to be destroyed", Duration.ofSeconds(5), () -> page.frames().isEmpty());

            Process second = Ffmpeg.publish(stage.publishUrl(), 60);
            try {
                page.awaitPlaying(1, Duration.ofSeconds(30));
                browser.await("the components back", Duration.ofSeconds(15), () -> page.hasFrame("openlive.comments"));
                @SuppressWarnings("unchecked")
                List<String> states = (List<String>) browser.js(
                        "return window.events.filter(e => e.type === 'state').map(e => e.detail.state)");
                assertThat(states).containsSubsequence("waiting", "live", "ended", "live");
            } finally {
                second.destroy();
            }
        }
    }
}
