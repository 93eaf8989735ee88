package io.openlive.server.browser;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A host app that keeps its own cart (docs/commerce.md "Host-owned carts"), in real Chromium: a component's
 * {@code cart.add} (a click on a third-party component's button) becomes an {@code add-to-cart} event on the
 * {@code <live-room>} element with the product, the quantity, the room, the app and the component, and the host page's
 * {@code respond(...)} is what the component's call answers.
 */
class HostCartTest {
    static Stage stage;
    static String productId;

    @BeforeAll
    static void start() throws Exception {
        stage = Stage.start();
        stage.hostCart("shop");
        productId = stage.product(Map.of("title", "Trail shoe", "price", 8900));
        String button = stage.thirdParty("Acme", Stage.testComponent("cart-button"));
        stage.bind("shop", List.of("comments"), List.of(Map.of("versionId", button, "slot", "bottom-bar",
                "config", Map.of("productId", productId))));
    }

    @AfterAll
    static void stop() throws Exception {
        if (stage != null) {
            stage.close();
        }
    }

    @Test
    void cartAddBecomesAnAddToCartEventAndTheHostsAnswerReachesTheComponent() throws Exception {
        try (Browser browser = Browser.open(1366, 900)) {
            Map<String, Object> result = addToCart(browser, "accept");
            assertThat(result).containsEntry("hostCart", true).containsEntry("productId", productId)
                    .containsEntry("quantity", 2L).containsEntry("ok", true).doesNotContainKey("reason");

            @SuppressWarnings("unchecked")
            List<Map<String, Object>> events = (List<Map<String, Object>>) browser.js("return window.hostCart");
            assertThat(events).hasSize(1);
            assertThat(events.get(0)).containsEntry("productId", productId).containsEntry("quantity", 2L)
                    .containsEntry("room", stage.roomId).containsEntry("app", stage.apps.get("shop"))
                    .containsEntry("component", "acme.cart-button").containsEntry("respondIsFunction", true);
        }
    }

    @Test
    void aRefusalFromTheHostPageReachesTheComponentWithItsReason() throws Exception {
        try (Browser browser = Browser.open(1366, 900)) {
            Map<String, Object> result = addToCart(browser, "refuse");
            assertThat(result).containsEntry("hostCart", true).containsEntry("ok", false)
                    .containsEntry("reason", "host cart full");
        }
    }

    /** Opens the host page answering add-to-cart as `answer` says, clicks the component's button, returns its result. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> addToCart(Browser browser, String answer) throws InterruptedException {
        RoomPage page = new RoomPage(browser).open(stage.hostPage("shop", "Mia", "&cart=" + answer));
        page.awaitFrameJs("acme.cart-button", Duration.ofSeconds(30), "return !document.getElementById('add').disabled");
        page.inFrame("acme.cart-button", () -> {
            browser.driver.findElement(By.id("add")).click();
            return null;
        });
        page.awaitFrameJs("acme.cart-button", Duration.ofSeconds(20), "return window.cartResult !== undefined");
        return (Map<String, Object>) page.frameJs("acme.cart-button", "return window.cartResult");
    }
}
