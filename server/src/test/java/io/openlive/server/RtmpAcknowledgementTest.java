package io.openlive.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.openlive.protocol.rtmp.Handshake;
import io.openlive.protocol.rtmp.RtmpChunkEncoder;
import io.openlive.protocol.rtmp.RtmpMessage;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** RTMP 5.4.3: the server's Acknowledgement counts every byte the peer sent, the handshake included. */
class RtmpAcknowledgementTest {
    private static final long HANDSHAKE = 1 + 2L * Handshake.PACKET_SIZE;

    @Test
    void acknowledgementsCountTheHandshakeBytes() throws Exception {
        try (ServerFixture fixture = ServerFixture.start();
             TestRtmpClient client = TestRtmpClient.connect(fixture.server.rtmpPort())) {
            ByteBuf connect = RtmpChunkEncoder.encode(ByteBufAllocator.DEFAULT,
                    new RtmpMessage.Command(0, "connect", 1, Map.of("app", "live", "tcUrl", "rtmp://127.0.0.1/live"), List.of()), 128);
            ByteBuf window = RtmpChunkEncoder.encode(ByteBufAllocator.DEFAULT, new RtmpMessage.WindowAckSize(0), 128);
            long chunks = connect.readableBytes() + window.readableBytes();
            window.release();
            // a window that the chunks alone never fill, and that the handshake and both messages fill exactly
            long size = HANDSHAKE + chunks;
            client.send(new RtmpMessage.WindowAckSize(size));
            client.sendRaw(connect);
            RtmpMessage.Acknowledgement ack = client.awaitMessage(RtmpMessage.Acknowledgement.class, Duration.ofSeconds(5));
            assertThat(ack).as("an acknowledgement once the window is reached").isNotNull();
            assertThat(ack.sequence()).isEqualTo(HANDSHAKE + chunks);
        }
    }
}
