package io.openlive.server;

import io.openlive.server.rtmp.RtmpListener;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A client that sends part of the handshake and then nothing is closed by the server, with one log line: the admission
 * deadline (a connection must publish or play within 10 s of connecting) comes before the 30 s idle timer.
 */
class HandshakeIdleTest {
    @Test
    void truncatedHandshakeIsClosedWhenIdle() throws Exception {
        try (ServerFixture fixture = ServerFixture.start();
             LogCapture log = new LogCapture(Class.forName("io.openlive.server.rtmp.RtmpAdmission"));
             TestRtmpClient client = TestRtmpClient.raw(fixture.server.rtmpPort(), 0)) {
            client.sendRaw(new byte[]{3, 0, 0, 0, 0, 0, 0});
            assertThat(client.closedWithin(Duration.ofSeconds(RtmpListener.IDLE_SECONDS + 10)))
                    .as("the server closes a connection stuck in the handshake").isTrue();
            Eventually.await("one log line", Duration.ofSeconds(5),
                    () -> log.lines().stream().anyMatch(l -> l.contains("closed: not publishing or playing 10 s after connecting")));
            assertThat(log.anyThrowable()).as("no stack trace").isFalse();
        }
    }
}
