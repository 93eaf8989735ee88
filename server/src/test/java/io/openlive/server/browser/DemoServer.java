package io.openlive.server.browser;

import com.fasterxml.jackson.databind.JsonNode;
import io.openlive.engine.platform.Principal;
import io.openlive.engine.platform.Role;
import io.openlive.server.ContainerConfig;
import io.openlive.server.ServerFixture;

import java.util.Map;

/** A server in demo mode (demo apps, demo room with its sample loop, official components) on free ports, for browser tests. */
final class DemoServer implements AutoCloseable {
    private static final Principal BROADCASTER = new Principal("browser-test", Role.ADMIN, null);
    final ServerFixture fixture;

    private DemoServer(ServerFixture fixture) {
        this.fixture = fixture;
    }

    static DemoServer start() throws Exception {
        Browser.requireChromium();
        return new DemoServer(ServerFixture.start(c -> c.withContainer(ContainerConfig.ephemeral().withDemo(true))));
    }

    String page(String app) {
        return fixture.http("/demo/" + app + "/");
    }

    String roomId() {
        return fixture.server.demoRoom().id();
    }

    String publishUrl() {
        return "rtmp://127.0.0.1:" + fixture.server.rtmpPort() + "/live/" + fixture.server.demoRoom().streamKey();
    }

    /** Pins a product as the broadcaster would (POST /api/v1/rooms/{roomId}/pin). */
    void pin(Map<String, Object> product) {
        JsonNode json = PlatformApi.JSON.valueToTree(product);
        fixture.server.platform().moderation().pin(BROADCASTER, roomId(), json);
    }

    @Override
    public void close() throws Exception {
        fixture.close();
    }
}
