package io.openlive.server;

import io.netty.buffer.Unpooled;
import io.openlive.engine.room.Room;
import io.openlive.engine.stream.LiveStream;
import io.openlive.protocol.rtmp.RtmpMessage;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A node with several event loops spreads its viewers over them: the HTTP and RTMP ports are each served by one listener
 * per loop. With a single listener, Vert.x put every connection on the loop that listened (16 viewers of a 4-loop node,
 * all on one), so {@code --event-loops} added threads that never served a viewer.
 */
class EventLoopSpreadTest {
    static final int LOOPS = 4;

    @Test
    void httpFlvAndRtmpViewersLandOnSeveralEventLoops() throws Exception {
        try (ServerFixture fixture = ServerFixture.start(c -> c.withEventLoops(LOOPS))) {
            Room room = fixture.newRoom("spread");
            try (TestRtmpClient publisher = TestRtmpClient.connect(fixture.server.rtmpPort())) {
                assertThat(publisher.publish(room.streamKey())).isEqualTo("NetStream.Publish.Start");
                publisher.send(new RtmpMessage.VideoData(0, 1, Unpooled.wrappedBuffer(new byte[]{0x17, 0, 0, 0, 0, 1, 0x64})));
                publisher.send(new RtmpMessage.VideoData(0, 1, Unpooled.wrappedBuffer(new byte[]{0x17, 1, 0, 0, 0, 0x65})));
                List<AutoCloseable> viewers = new ArrayList<>();
                try {
                    for (int i = 0; i < 2 * LOOPS; i++) {
                        viewers.add(new FlvClient(fixture.httpFlvUrl(room)));
                    }
                    LiveStream stream = fixture.server.hub().stream(room.id()).orElseThrow();
                    Eventually.await("HTTP-FLV viewers attached", Duration.ofSeconds(10), () -> stream.readerCount() == 2 * LOOPS);
                    assertThat(stream.readerLoops()).as("event loops the %d HTTP-FLV viewers are on", 2 * LOOPS).isEqualTo(LOOPS);

                    Room other = fixture.newRoom("spread-rtmp");
                    try (TestRtmpClient otherPublisher = TestRtmpClient.connect(fixture.server.rtmpPort())) {
                        assertThat(otherPublisher.publish(other.streamKey())).isEqualTo("NetStream.Publish.Start");
                        for (int i = 0; i < 2 * LOOPS; i++) {
                            TestRtmpClient player = TestRtmpClient.connect(fixture.server.rtmpPort());
                            viewers.add(player);
                            player.play(other.id());
                        }
                        LiveStream rtmpStream = fixture.server.hub().stream(other.id()).orElseThrow();
                        Eventually.await("RTMP players attached", Duration.ofSeconds(10), () -> rtmpStream.readerCount() == 2 * LOOPS);
                        assertThat(rtmpStream.readerLoops()).as("event loops the RTMP players are on").isGreaterThanOrEqualTo(LOOPS - 1);
                    }
                } finally {
                    for (AutoCloseable v : viewers) {
                        v.close();
                    }
                }
            }
        }
    }
}
