package io.openlive.server.realtime;

import com.fasterxml.jackson.databind.JsonNode;
import io.openlive.engine.platform.HostApps;
import io.openlive.engine.room.Room;
import io.openlive.engine.room.RoomState;
import io.openlive.server.Eventually;
import io.openlive.server.Ffmpeg;
import io.openlive.server.ServerFixture;
import io.openlive.server.store.Database;
import io.openlive.server.store.JdbcRoomStore;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What SIGTERM runs ({@code OpenliveServer.close()}) with a real publisher and a realtime viewer connected: the viewer
 * is told and closed with 1001, the publisher is dropped, and the room that was live is saved as ended.
 */
class GracefulShutdownTest {
    @Test
    void shutdownTellsViewersDropsPublishersAndSavesLiveRoomsAsEnded() throws Exception {
        ServerFixture fixture = ServerFixture.start();
        Process ffmpeg = null;
        try {
            HostApps.WithSecret shop = fixture.server.platform().apps().create(TwoNodeRedisTest.ADMIN, "Shop", "direct", List.of(), false);
            String roomId = fixture.server.platform().rooms().create(TwoNodeRedisTest.ADMIN, "Going away", null, List.of(shop.app().id())).id();
            Room room = fixture.server.rooms().find(roomId).orElseThrow();
            ffmpeg = Ffmpeg.publish(fixture.publishUrl(room), 60);
            Eventually.await("room saved as live", Duration.ofSeconds(20),
                    () -> fixture.server.rooms().find(roomId).orElseThrow().state() == RoomState.LIVE);
            RtClient viewer = RtClient.connect(RtClient.url(fixture.server.httpPort(), roomId, shop.app().id(),
                    Tokens.viewer(shop.secret(), "vic", "Vic"), 0));
            viewer.awaitMsg("system", d -> d.path("type").asText().equals("welcome"), 5000);

            fixture.server.close();

            JsonNode told = viewer.awaitMsg("system", d -> d.path("type").asText().equals("shutdown"), 5000);
            assertThat(told).isNotNull();
            assertThat(viewer.awaitClose()).as("going away").isEqualTo(1001);
            assertThat(ffmpeg.waitFor(15, TimeUnit.SECONDS)).as("the publisher's connection was closed").isTrue();
            try (Database db = Database.embedded(fixture.dataDir)) {
                assertThat(new JdbcRoomStore(db, Clock.systemUTC()).find(roomId).orElseThrow().state()).isEqualTo(RoomState.ENDED);
            }
        } finally {
            if (ffmpeg != null) {
                ffmpeg.destroyForcibly().waitFor();
            }
        }
    }
}
