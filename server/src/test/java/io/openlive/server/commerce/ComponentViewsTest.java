package io.openlive.server.commerce;

import com.fasterxml.jackson.databind.JsonNode;
import io.openlive.engine.platform.HostApps;
import io.openlive.engine.platform.InstanceDocument;
import io.openlive.engine.platform.Principal;
import io.openlive.engine.platform.Role;
import io.openlive.server.Eventually;
import io.openlive.server.ServerFixture;
import io.openlive.server.api.TestBundles;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Views of component versions from real viewers over WebSockets: every viewer of an app in a room counts as a view of
 * each version in the instance bound to that room for that app, sampled with the other viewer figures, so the shop's
 * three viewers are three views of its card while the pay app's two viewers (no instance) are none. A version's
 * developer sees its views summed across the rooms it is bound in. On SQLite and on PostgreSQL.
 */
class ComponentViewsTest {
    static final Principal ADMIN = new Principal("test", Role.ADMIN, null);

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void viewersOfAnAppCountAsViewsOfTheVersionsBoundForThatApp(String kind) throws Exception {
        try (Stores db = Stores.of(kind);
             ServerFixture fixture = db.url.isEmpty() ? ServerFixture.start() : ServerFixture.start(c -> c.withDatabase(db.url));
             Buyers buyers = new Buyers()) {
            var platform = fixture.server.platform();
            String adminKey = platform.keys().bootstrapAdmin().orElseThrow();
            HostApps.WithSecret shop = platform.apps().create(ADMIN, "Shop", "direct", List.of(), false);
            HostApps.WithSecret pay = platform.apps().create(ADMIN, "Pay", "direct", List.of(), false);
            String developer = platform.components().createDeveloper(ADMIN, "Cards", "second-party").id();
            Principal dev = new Principal("cards", Role.DEVELOPER, developer);
            platform.components().create(dev, null, "views.live", "Live", "plugin");
            platform.components().create(dev, null, "views.card", "Card", "component");
            String plugin = approved(fixture, dev, "views.live", TestBundles.manifest("views.live", "1.0.0", "plugin", List.of("room:read"), List.of()));
            String card = approved(fixture, dev, "views.card", TestBundles.manifest("views.card", "1.0.0", "component",
                    List.of("product:read"), List.of()));
            String instance = platform.instances().build(ADMIN, shop.app().id(), new InstanceDocument(shop.app().id(),
                    new InstanceDocument.Part(plugin, null, null, null, null),
                    List.of(new InstanceDocument.Part(card, null, null, null, null)))).id();
            String room = platform.rooms().create(ADMIN, "Show", null, List.of(shop.app().id(), pay.app().id())).id();
            platform.rooms().deliver(ADMIN, room, shop.app().id(), instance);
            String second = platform.rooms().create(ADMIN, "Encore", null, List.of(shop.app().id())).id();
            platform.rooms().deliver(ADMIN, second, shop.app().id(), instance);
            String devKey = platform.keys().create(ADMIN, "developer", developer, "cards").secret();
            String payKey = platform.keys().create(ADMIN, "app-operator", pay.app().id(), "pay ops").secret();

            int port = fixture.server.httpPort();
            buyers.join(port, room, shop.app().id(), shop.secret(), "s", 3);
            buyers.join(port, room, pay.app().id(), pay.secret(), "p", 2);
            buyers.join(port, second, shop.app().id(), shop.secret(), "e", 1);

            Rest admin = new Rest(port, adminKey);
            Eventually.await("every viewer sampled", Duration.ofSeconds(20), () -> {
                fixture.server.stats().flush();
                return stats(admin, room).path("total").path("peakViewers").asLong() == 5
                        && stats(admin, second).path("total").path("peakViewers").asLong() == 1;
            });
            JsonNode s = stats(admin, room);
            assertThat(s.path("components").path(card).path("views").asLong()).as("%s", s).isEqualTo(3);
            assertThat(s.path("components").path(plugin).path("views").asLong()).as("the plugin is in the instance too").isEqualTo(3);
            assertThat(stats(admin, second).path("components").path(card).path("views").asLong()).isEqualTo(1);
            JsonNode payView = stats(new Rest(port, payKey), room);
            assertThat(payView.path("components").has(card)).as("the pay app bound no instance: %s", payView).isFalse();

            // the developer: the card's views across both rooms (sampled in the same buckets), and per room
            JsonNode version = new Rest(port, devKey).ok("GET", "/versions/" + card + "/stats", null);
            assertThat(version.path("total").path("views").asLong()).as("%s", version).isEqualTo(4);
            assertThat(version.path("rooms").path(room).path("views").asLong()).isEqualTo(3);
            assertThat(version.path("rooms").path(second).path("views").asLong()).isEqualTo(1);
        }
    }

    private static String approved(ServerFixture fixture, Principal dev, String id, String manifest) {
        var platform = fixture.server.platform();
        String v = platform.components().upload(dev, id, TestBundles.zip(TestBundles.files(manifest))).id();
        platform.components().submit(dev, v);
        platform.review().approve(ADMIN, v, null);
        return v;
    }

    private static JsonNode stats(Rest api, String room) {
        try {
            String from = Instant.now().minus(Duration.ofHours(1)).toString();
            String to = Instant.now().plus(Duration.ofMinutes(5)).toString();
            return api.ok("GET", "/rooms/" + room + "/stats?from=" + from + "&to=" + to + "&step=60", null);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
