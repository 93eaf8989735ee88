package io.openlive.server;

import io.openlive.server.rtmp.RtmpListener;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** A client that sends part of the handshake and then nothing is closed by the server when idle, with one log line. */
class HandshakeIdleTest {
    @Test
    void truncatedHandshakeIsClosedWhenIdle() throws Exception {
        try (ServerFixture fixture = ServerFixture.start();
             LogCapture log = new LogCapture(Class.forName("io.openlive.server.rtmp.RtmpConnection"));
             TestRtmpClient client = TestRtmpClient.raw(fixture.server.rtmpPort(), 0)) {
            client.sendRaw(new byte[]{3, 0, 0, 0, 0, 0, 0});
            assertThat(client.closedWithin(Duration.ofSeconds(RtmpListener.IDLE_SECONDS + 10)))
                    .as("the server closes a connection stuck in the handshake").isTrue();
            Eventually.await("one log line", Duration.ofSeconds(5),
                    () -> log.lines().stream().anyMatch(l -> l.contains("closed: no data for " + RtmpListener.IDLE_SECONDS + " s")));
            assertThat(log.anyThrowable()).as("no stack trace").isFalse();
        }
    }
}
