package io.openlive.server.attack;

import io.openlive.engine.platform.HostApps;
import io.openlive.engine.platform.Principal;
import io.openlive.engine.platform.Role;
import io.openlive.server.Eventually;
import io.openlive.server.ServerFixture;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Finding: a client that reset during a {@code /rt} join made RealtimeConnection throw a NullPointerException and left
 * an empty room channel with its timers running until shutdown. Now a join whose client is gone is dropped, and the
 * channel made for it closes.
 */
class ResetDuringJoinTest {
    @Test
    void resetsDuringJoinsLeaveNoChannelBehind() throws Exception {
        try (ServerFixture node = ServerFixture.start()) {
            Principal admin = new Principal("test", Role.ADMIN, null);
            HostApps.WithSecret app = node.server.platform().apps().create(admin, "Shop", "direct", List.of(), false);
            for (int i = 0; i < 10; i++) {
                // a fresh room each time: its access is not cached, so the join waits on the store while the client resets
                String room = node.server.platform().rooms().create(admin, "Room " + i, null, List.of(app.app().id())).id();
                RawWebSocket ws = RawWebSocket.open(node.server.httpPort(), "/rt?room=" + room + "&app=" + app.app().id(), null);
                ws.socket.setSoLinger(true, 0); // close with RST
                ws.close();
            }
            Eventually.await("every room channel closed", Duration.ofSeconds(10), () -> node.server.realtime().rooms() == 0);
            assertThat(node.server.realtime().connections()).isZero();
        }
    }
}
