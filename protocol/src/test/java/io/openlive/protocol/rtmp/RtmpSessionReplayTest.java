package io.openlive.protocol.rtmp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Replays the bytes real clients sent to openlive (captured by the server module's {@code RtmpSessionCapture}: ffmpeg
 * publishing, rtmpdump playing, and librtmp publishing with OBS's settings — an OBS-like sequence, not an OBS capture)
 * through the chunk decoder at several fragment sizes: every message decodes, commands come in the order the client
 * sent them, and each track's timestamps never go back.
 */
class RtmpSessionReplayTest {
    /** C0, C1 and C2 (RTMP 5.2) come before the first chunk. */
    private static final int HANDSHAKE = 1 + 2 * Handshake.PACKET_SIZE;

    private static ByteBuf fixture(String name) throws IOException {
        try (InputStream in = RtmpSessionReplayTest.class.getResourceAsStream("/rtmp/" + name)) {
            assertThat(in).as(name).isNotNull();
            return Unpooled.wrappedBuffer(in.readAllBytes());
        }
    }

    /** What the decoder makes of the session after the handshake: command names, and media timestamps per type. */
    private record Replay(List<String> commands, Map<Integer, List<Integer>> media, int failures, List<RtmpMessage> others) {
    }

    private static Replay replay(ByteBuf session, int fragment) {
        EmbeddedChannel ch = new EmbeddedChannel(new RtmpChunkDecoder());
        ByteBuf in = session.duplicate().skipBytes(HANDSHAKE);
        while (in.isReadable()) {
            ch.writeInbound(in.readRetainedSlice(Math.min(fragment, in.readableBytes())));
        }
        List<String> commands = new ArrayList<>();
        Map<Integer, List<Integer>> media = new HashMap<>();
        List<RtmpMessage> others = new ArrayList<>();
        int failures = 0;
        Object m;
        while ((m = ch.readInbound()) != null) {
            if (!(m instanceof RtmpMessage.Media)) {
                others.add((RtmpMessage) m);
            }
            switch (m) {
                case RtmpMessage.Command c -> commands.add(c.name());
                case RtmpMessage.Media md -> {
                    media.computeIfAbsent(md.type(), t -> new ArrayList<>()).add(md.timestamp());
                    md.release();
                }
                case RtmpMessage.Malformed bad -> failures++;
                default -> { }
            }
        }
        assertThat(ch.finish()).isFalse();
        return new Replay(commands, media, failures, others);
    }

    @ParameterizedTest(name = "fragments of {0} bytes")
    @ValueSource(ints = {1, 7, 128, 1500, 1 << 20})
    void ffmpegPublishing(int fragment) throws IOException {
        ByteBuf session = fixture("ffmpeg-publish.bin");
        Replay r = replay(session, fragment);
        assertThat(r.failures()).isZero();
        assertThat(r.commands()).containsSubsequence("connect", "releaseStream", "FCPublish", "createStream", "publish");
        assertThat(r.media().get(RtmpMessage.VIDEO)).as("video").hasSizeGreaterThan(5).isSorted();
        assertThat(r.media().get(RtmpMessage.AUDIO)).as("audio").hasSizeGreaterThan(5).isSorted();
        session.release();
    }

    @ParameterizedTest(name = "fragments of {0} bytes")
    @ValueSource(ints = {1, 7, 128, 1500, 1 << 20})
    void rtmpdumpPlaying(int fragment) throws IOException {
        ByteBuf session = fixture("rtmpdump-play.bin");
        Replay r = replay(session, fragment);
        assertThat(r.failures()).isZero();
        assertThat(r.commands()).containsSubsequence("connect", "createStream", "play");
        session.release();
    }

    /**
     * librtmp (the library OBS's RTMP output forked) publishing with OBS's settings: its connect, the FMLE flashVer,
     * chunk size 4096, OBS's onMetaData behind @setDataFrame, and FCUnpublish and deleteStream at the end.
     */
    @ParameterizedTest(name = "fragments of {0} bytes")
    @ValueSource(ints = {1, 7, 128, 1500, 1 << 20})
    void librtmpPublishingWithObsSettings(int fragment) throws IOException {
        ByteBuf session = fixture("librtmp-obs-like-publish.bin");
        Replay r = replay(session, fragment);
        assertThat(r.failures()).isZero();
        assertThat(r.commands()).containsExactly("connect", "releaseStream", "FCPublish", "createStream", "publish", "FCUnpublish", "deleteStream");
        RtmpMessage.Command connect = (RtmpMessage.Command) r.others().stream().filter(o -> o instanceof RtmpMessage.Command).findFirst().orElseThrow();
        assertThat(connect.commandObject()).containsEntry("type", "nonprivate").containsEntry("flashVer", "FMLE/3.0 (compatible; FMSc/1.0)")
                .containsEntry("app", "live").containsKey("swfUrl").containsKey("tcUrl");
        assertThat(r.others()).contains(new RtmpMessage.SetChunkSize(4096));
        RtmpMessage.Data metadata = (RtmpMessage.Data) r.others().stream().filter(o -> o instanceof RtmpMessage.Data).findFirst().orElseThrow();
        assertThat(metadata.values()).startsWith("@setDataFrame", "onMetaData");
        @SuppressWarnings("unchecked")
        Map<String, Object> fields = (Map<String, Object>) metadata.values().get(2);
        assertThat(fields).containsEntry("encoder", "obs-output module (libobs version 30.0.0)")
                .containsEntry("videocodecid", 7.0).containsEntry("audiocodecid", 10.0).hasSize(20);
        assertThat(r.media().get(RtmpMessage.VIDEO)).as("video").hasSizeGreaterThan(5).isSorted();
        assertThat(r.media().get(RtmpMessage.AUDIO)).as("audio").hasSizeGreaterThan(5).isSorted();
        session.release();
    }
}
