package io.openlive.server.realtime;

import io.openlive.engine.platform.HostApps;
import io.openlive.engine.platform.Principal;
import io.openlive.engine.platform.Role;
import io.openlive.engine.room.Room;
import io.openlive.engine.stream.StreamConfig;
import io.openlive.server.Ffmpeg;
import io.openlive.server.ServerFixture;
import io.openlive.server.Tools;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The media core drives the channel: a real ffmpeg publish makes the room live for its viewers, and its end ends it. */
class RoomStateMessagesTest {
    @Test
    void publishingAndStoppingAreAnnouncedOnTheSystemTopic() throws Exception {
        Tools.require("ffmpeg");
        Principal admin = new Principal("test", Role.ADMIN, null);
        try (ServerFixture fixture = ServerFixture.start(StreamConfig.defaults().withPublisherGrace(Duration.ofMillis(500)))) {
            HostApps.WithSecret app = fixture.server.platform().apps().create(admin, "Shop", "direct", List.of(), false);
            String roomId = fixture.server.platform().rooms().create(admin, "Live", null, List.of(app.app().id())).id();
            Room room = fixture.server.rooms().find(roomId).orElseThrow();
            try (RtClient viewer = RtClient.connect(RtClient.url(fixture.server.httpPort(), roomId, app.app().id(),
                    Tokens.viewer(app.secret(), "v", "V"), 0))) {
                Process ffmpeg = Ffmpeg.publish(fixture.publishUrl(room), 3);
                try {
                    viewer.awaitMsg("system", d -> d.path("type").asText().equals("live"), 10_000);
                    assertThat(viewer.call("room.info", java.util.Map.of()).path("result").path("room").path("state").asText()).isEqualTo("live");
                } finally {
                    ffmpeg.waitFor();
                }
                viewer.awaitMsg("system", d -> d.path("type").asText().equals("ended"), 10_000);
            }
        }
    }
}
