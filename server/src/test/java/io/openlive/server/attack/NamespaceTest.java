package io.openlive.server.attack;

import io.openlive.engine.platform.Platform;
import io.openlive.engine.platform.PlatformException;
import io.openlive.engine.platform.Principal;
import io.openlive.engine.platform.Role;
import io.openlive.server.ServerFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Finding: developer B could register {@code acme.poll.vote} (and so emit {@code acme.poll.vote.tally}) inside
 * developer A's {@code acme.poll.*}; a third-party developer could register {@code openlive.} ids and ship a plugin.
 * Now a component id is its developer's namespace, {@code openlive.} is official, and plugins need a tier allowed them.
 */
class NamespaceTest {
    static final Principal ADMIN = new Principal("test", Role.ADMIN, null);
    static ServerFixture node;
    static Platform platform;

    @BeforeAll
    static void start() throws Exception {
        node = ServerFixture.start();
        platform = node.server.platform();
    }

    @AfterAll
    static void stop() throws Exception {
        node.close();
    }

    static Principal developer(String name, String tier) {
        return new Principal(name, Role.DEVELOPER, platform.components().createDeveloper(ADMIN, name, tier).id());
    }

    @Test
    void idsStayInTheirDevelopersNamespace() {
        Principal a = developer("A", "third-party");
        Principal b = developer("B", "third-party");
        platform.components().create(a, null, "acme.poll", "Poll", "component");
        assertThatThrownBy(() -> platform.components().create(b, null, "acme.poll.vote", "Vote", "component"))
                .isInstanceOfSatisfying(PlatformException.class, e -> assertThat(e.code()).isEqualTo("NAMESPACE_TAKEN"));
        platform.components().create(a, null, "acme.poll.extra", "Extra", "component"); // its own namespace is fine
        platform.components().create(b, null, "beta.poll", "Poll", "component");
        assertThatThrownBy(() -> platform.components().create(a, null, "beta", "Wrap", "component"))
                .as("no id that would hold another developer's").isInstanceOf(PlatformException.class);
    }

    @Test
    void officialNamespaceAndPluginsAreReserved() {
        Principal third = developer("Third", "third-party");
        assertThatThrownBy(() -> platform.components().create(third, null, "openlive.fake", "Fake", "component"))
                .isInstanceOf(PlatformException.class).hasMessageContaining("reserved");
        assertThatThrownBy(() -> platform.components().create(third, null, "third.wrap", "Wrap", "plugin"))
                .isInstanceOf(PlatformException.class).hasMessageContaining("plugins");
        Principal official = developer("openlive", "official");
        assertThat(platform.components().create(official, null, "openlive.thing", "Thing", "plugin").id()).isEqualTo("openlive.thing");
        Principal second = developer("Second", "second-party");
        assertThat(platform.components().create(second, null, "second.live", "Live", "plugin").kind()).isEqualTo("plugin");
    }
}
