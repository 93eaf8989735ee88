package io.openlive.server.browser;

import io.openlive.server.ContainerConfig;
import io.openlive.server.ServerFixture;


/** A server in demo mode (demo apps, demo room with its sample loop, official components) on free ports, for browser tests. */
final class DemoServer implements AutoCloseable {
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

    @Override
    public void close() throws Exception {
        fixture.close();
    }
}
