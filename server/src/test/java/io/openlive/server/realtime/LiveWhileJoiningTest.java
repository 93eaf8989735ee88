package io.openlive.server.realtime;

import io.openlive.engine.platform.HostApps;
import io.openlive.engine.platform.Principal;
import io.openlive.engine.platform.Role;
import io.openlive.engine.room.Room;
import io.openlive.server.ServerFixture;
import io.openlive.server.TestRtmpClient;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A room that goes live while no one on this node listens to it, just before a viewer joins: the join's lookup (cached
 * for a second) still says the room waits, and the {@code live} announcement reached no channel. The channel reads the
 * state again once it listens, so the viewer is told the room is live. Before, such a page stayed "waiting" until the
 * show ended (browser tests timed out on it now and then).
 */
class LiveWhileJoiningTest {
    @Test
    void aViewerJoiningJustAfterTheRoomWentLiveUnheardIsToldItIsLive() throws Exception {
        Principal admin = new Principal("test", Role.ADMIN, null);
        try (ServerFixture fixture = ServerFixture.start()) {
            HostApps.WithSecret app = fixture.server.platform().apps().create(admin, "Shop", "direct", List.of(), false);
            String roomId = fixture.server.platform().rooms().create(admin, "Live", null, List.of(app.app().id())).id();
            Room room = fixture.server.rooms().find(roomId).orElseThrow();
            String url = RtClient.url(fixture.server.httpPort(), roomId, app.app().id(), Tokens.viewer(app.secret(), "v", "V"), 0);
            long looked = System.nanoTime();
            try (RtClient first = RtClient.connect(url)) { // fills the join cache with "scheduled"
                assertThat(first.call("room.info", Map.of()).path("result").path("room").path("state").asText()).isEqualTo("scheduled");
            }
            awaitNoChannel(fixture, roomId); // nobody on this node listens to the room now
            try (TestRtmpClient publisher = TestRtmpClient.connect(fixture.server.rtmpPort())) {
                assertThat(publisher.publish(room.streamKey())).isEqualTo("NetStream.Publish.Start");
                awaitSaved(fixture, roomId, "live"); // saved, so announced: to no one on this node
                try (RtClient second = RtClient.connect(url)) {
                    long sinceLookup = (System.nanoTime() - looked) / 1_000_000;
                    assertThat(second.call("room.info", Map.of()).path("result").path("room").path("state").asText())
                            .as("room.info %d ms after the cached lookup", sinceLookup).isEqualTo("live");
                }
            }
        }
    }

    private static void awaitNoChannel(ServerFixture fixture, String roomId) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 2000;
        while (fixture.server.realtime().hasChannel(roomId) && System.currentTimeMillis() < deadline) {
            Thread.sleep(5);
        }
        assertThat(fixture.server.realtime().hasChannel(roomId)).as("the room's channel closed with its last viewer").isFalse();
    }

    private static void awaitSaved(ServerFixture fixture, String roomId, String state) throws InterruptedException {
        Principal admin = new Principal("test", Role.ADMIN, null);
        long deadline = System.currentTimeMillis() + 2000;
        while (!fixture.server.platform().rooms().get(admin, roomId).state().wire().equals(state) && System.currentTimeMillis() < deadline) {
            Thread.sleep(5);
        }
        assertThat(fixture.server.platform().rooms().get(admin, roomId).state().wire()).isEqualTo(state);
    }
}
