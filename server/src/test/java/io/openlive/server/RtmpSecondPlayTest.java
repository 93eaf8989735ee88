package io.openlive.server;

import io.netty.buffer.Unpooled;
import io.openlive.engine.room.Room;
import io.openlive.protocol.rtmp.RtmpMessage;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A player that stops (closeStream) and plays again on the same connection, as players do on a channel switch. */
class RtmpSecondPlayTest {
    @Test
    void aSecondPlayOnOneConnectionPlaysAgain() throws Exception {
        try (ServerFixture fixture = ServerFixture.start();
             LogCapture log = new LogCapture(Class.forName("io.openlive.server.rtmp.RtmpConnection"));
             TestRtmpClient publisher = TestRtmpClient.connect(fixture.server.rtmpPort());
             TestRtmpClient player = TestRtmpClient.connect(fixture.server.rtmpPort())) {
            Room room = fixture.newRoom("channel switch");
            assertThat(publisher.publish(room.streamKey())).isEqualTo("NetStream.Publish.Start");
            publisher.send(new RtmpMessage.VideoData(0, 1, Unpooled.wrappedBuffer(new byte[]{0x17, 0, 0, 0, 0, 1, 0x64})));
            publisher.send(new RtmpMessage.VideoData(0, 1, Unpooled.wrappedBuffer(new byte[]{0x17, 1, 0, 0, 0, 0x65})));

            assertThat(player.play(room.id())).isEqualTo("NetStream.Play.Reset");
            player.awaitMedia(Duration.ofSeconds(5));
            player.send(new RtmpMessage.Command(1, "closeStream", 0, Map.of(), List.of()));
            player.send(new RtmpMessage.Command(1, "play", 4, Map.of(), List.of(room.id())));
            String code;
            do {
                code = TestRtmpClient.statusCode(player.awaitCommand("onStatus", Duration.ofSeconds(5)));
            } while (!code.equals("NetStream.Play.Reset"));
            publisher.send(new RtmpMessage.VideoData(40, 1, Unpooled.wrappedBuffer(new byte[]{0x27, 1, 0, 0, 0, 0x41})));
            RtmpMessage.Media media = player.awaitMedia(Duration.ofSeconds(5));
            assertThat(media).isNotNull();
            assertThat(player.closedWithin(Duration.ofMillis(200))).as("the connection stays open").isFalse();
            assertThat(log.anyThrowable()).as("no internal error").isFalse();
        }
    }
}
