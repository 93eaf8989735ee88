package io.openlive.server;

import io.netty.buffer.Unpooled;
import io.openlive.engine.room.Room;
import io.openlive.protocol.rtmp.RtmpMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * H.265 sent the Enhanced RTMP way (ExVideoTagHeader, FourCC hvc1) is carried byte for byte: the sequence start reaches a
 * late viewer before the latest key frame, over HTTP-FLV and RTMP play. (The ffmpeg in Debian 12 cannot send E-RTMP, so a
 * test client sends the frames.)
 */
class EnhancedRtmpTest {
    private static ServerFixture fixture;

    @BeforeAll
    static void start() throws Exception {
        fixture = ServerFixture.start();
    }

    @AfterAll
    static void stop() throws Exception {
        fixture.close();
    }

    private static byte[] exVideo(int frameType, int packetType, byte... data) {
        byte[] header = {(byte) (0x80 | (frameType << 4) | packetType), 'h', 'v', 'c', '1'};
        byte[] out = Arrays.copyOf(header, header.length + data.length);
        System.arraycopy(data, 0, out, header.length, data.length);
        return out;
    }

    @Test
    void viewerOfARoomNotYetLiveWaitsForThePublisher() throws Exception {
        Room room = fixture.newRoom("later");
        try (FlvClient early = new FlvClient(fixture.httpFlvUrl(room))) {
            assertThat(early.status).isEqualTo(200);
            // the viewer is attached to the room's stream before anyone publishes, so it really waits for the publisher
            Eventually.await("the viewer waiting on the room's stream", Duration.ofSeconds(5),
                    () -> fixture.server.hub().stream(room.id()).map(s -> s.readerCount() == 1 && !s.isLive()).orElse(false));
            assertThat(early.tags).as("nothing sent while no one publishes").isEmpty();
            try (TestRtmpClient publisher = TestRtmpClient.connect(fixture.server.rtmpPort())) {
                assertThat(publisher.publish(room.streamKey())).isEqualTo("NetStream.Publish.Start");
                publisher.send(new RtmpMessage.VideoData(0, 1, Unpooled.wrappedBuffer(new byte[]{0x17, 0, 0, 0, 0, 1, 0x64})));
                publisher.send(new RtmpMessage.VideoData(0, 1, Unpooled.wrappedBuffer(new byte[]{0x17, 1, 0, 0, 0, 0x65})));
                Eventually.await("the waiting viewer gets the stream", Duration.ofSeconds(5), () -> early.media().size() >= 2);
                assertThat(early.media().get(0).secondByte()).as("sequence header first").isZero();
                assertThat(early.media().get(1).firstByte()).as("then the key frame").isEqualTo(0x17);
                assertThat(early.ended).isFalse();
            }
        }
    }

    @Test
    void hevcFramesAreCarriedAsTheyCome() throws Exception {
        Room room = fixture.newRoom("hevc");
        byte[] sequenceStart = exVideo(1, 0, (byte) 0x01, (byte) 0x01, (byte) 0x60, (byte) 0, (byte) 0, (byte) 0); // start of an HEVCDecoderConfigurationRecord
        List<byte[]> sent = new ArrayList<>();
        try (TestRtmpClient publisher = TestRtmpClient.connect(fixture.server.rtmpPort())) {
            assertThat(publisher.publish(room.streamKey())).isEqualTo("NetStream.Publish.Start");
            publisher.send(new RtmpMessage.VideoData(0, 1, Unpooled.wrappedBuffer(sequenceStart)));
            for (int i = 0; i < 10; i++) {
                byte[] frame = i % 5 == 0 ? exVideo(1, 1, (byte) 0, (byte) 0, (byte) 0, (byte) 0x26, (byte) i) // CodedFrames, key
                        : exVideo(2, 3, (byte) 0x02, (byte) i); // CodedFramesX, inter
                sent.add(frame);
                publisher.send(new RtmpMessage.VideoData(i * 40, 1, Unpooled.wrappedBuffer(frame)));
            }
            Eventually.await("frames ingested", Duration.ofSeconds(5),
                    () -> fixture.server.hub().stream(room.id()).map(s -> s.stats().framesIn.sum() >= 11).orElse(false));

            try (FlvClient viewer = new FlvClient(fixture.httpFlvUrl(room))) {
                Eventually.await("GOP from the latest key frame", Duration.ofSeconds(5), () -> viewer.media().size() >= 6);
                assertThat(viewer.media().get(0).body()).as("sequence start first").isEqualTo(sequenceStart);
                for (int i = 0; i < 5; i++) {
                    assertThat(viewer.media().get(1 + i).body()).as("frame %d byte for byte", 5 + i).isEqualTo(sent.get(5 + i));
                    assertThat(viewer.media().get(1 + i).timestamp()).isEqualTo((5 + i) * 40);
                }
            }

            try (TestRtmpClient player = TestRtmpClient.connect(fixture.server.rtmpPort())) {
                assertThat(player.play(room.id())).isEqualTo("NetStream.Play.Reset");
                RtmpMessage.Media first = player.awaitMedia(Duration.ofSeconds(5));
                byte[] got = new byte[first.payload().readableBytes()];
                first.payload().getBytes(0, got);
                assertThat(got).isEqualTo(sequenceStart);
                RtmpMessage.Media key = player.awaitMedia(Duration.ofSeconds(5));
                assertThat(key.timestamp()).isEqualTo(200);
                assertThat(key.payload().getByte(0) & 0xFF).isEqualTo(0x80 | 0x10 | 1);
            }
        }
    }
}
