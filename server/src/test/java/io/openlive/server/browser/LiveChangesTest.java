package io.openlive.server.browser;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Changes the platform makes while a page is open, applied live without reloading it: a revoked version is unmounted
 * within seconds (the server's {@code system} message {@code unmount}), a new instance bound to the room swaps the
 * components (message {@code instance}), and a moderator's deletion removes the comment from the comments list.
 */
class LiveChangesTest {
    @Test
    void revokeUnmountsAndRebindingSwapsComponentsWithoutAReload() throws Exception {
        try (Stage stage = Stage.start(); Browser browser = Browser.open(1366, 900)) {
            RoomPage page = new RoomPage(browser).open(stage.hostPage("shop", "Mia"));
            browser.await("the shop's components", Duration.ofSeconds(20),
                    () -> page.hasFrame("openlive.likes") && page.hasFrame("openlive.gifts") && page.hasFrame("openlive.comments"));
            browser.js("window.sameDocument = 'yes'");

            stage.revoke(stage.versions.get("likes"));
            browser.await("the revoked likes component to be unmounted", Duration.ofSeconds(5), () -> !page.hasFrame("openlive.likes"));
            assertThat(page.hasFrame("openlive.comments")).isTrue();

            stage.bind("shop", List.of("comments", "viewers"), List.of());
            browser.await("gifts and product card to go with the new instance", Duration.ofSeconds(5),
                    () -> !page.hasFrame("openlive.gifts") && !page.hasFrame("openlive.product-card"));
            assertThat(page.hasFrame("openlive.comments")).isTrue();
            assertThat(page.hasFrame("openlive.viewers")).isTrue();
            assertThat(browser.js("return window.sameDocument")).as("no reload").isEqualTo("yes");

            // a moderator deletes a comment: it disappears from the open list
            page.frameJs("openlive.comments", "document.getElementById('text').value = 'delete me'; document.getElementById('send').click()");
            page.awaitFrameJs("openlive.comments", Duration.ofSeconds(10), "return document.getElementById('list').textContent.includes('delete me')");
            String commentId = (String) page.frameJs("openlive.comments", "return document.querySelector('#list li').dataset.id");
            stage.api.post("/rooms/" + stage.roomId + "/moderation", stage.broadcaster, Map.of("action", "delete", "commentId", commentId));
            page.awaitFrameJs("openlive.comments", Duration.ofSeconds(10), "return !document.getElementById('list').textContent.includes('delete me')");
        }
    }
}
