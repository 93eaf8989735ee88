package io.openlive.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.Unpooled;
import io.openlive.engine.hls.HlsConfig;
import io.openlive.engine.room.Room;
import io.openlive.engine.stream.StreamConfig;
import io.openlive.protocol.rtmp.RtmpMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * H.265 published the Enhanced RTMP way plays over HLS: libx265 encodes a real stream (with B-frames, so composition
 * offsets) and AAC into an MP4, ffprobe hands back its hvcC record and every packet, and a test client publishes them as
 * E-RTMP (PacketTypeSequenceStart, CodedFrames, CodedFramesX; the ffmpeg in Debian 12 cannot publish E-RTMP). ffprobe
 * then decodes every frame of the LL-HLS (fMP4) and the classic (MPEG-TS) playlist.
 */
class HevcHlsTest {
    private static final int WIDTH = 640;
    private static final int HEIGHT = 360;
    private static final int SECONDS = 4;
    private static final int FPS = 25;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static ServerFixture fixture;

    /** One packet of the encoded file, in milliseconds from the first decode time. */
    private record Packet(boolean video, int dts, int cts, boolean key, byte[] data) {
    }

    @BeforeAll
    static void start() throws Exception {
        fixture = ServerFixture.start(c -> c.withStream(StreamConfig.defaults().withPublisherGrace(Duration.ofSeconds(1))),
                HlsConfig.defaults().withTargetDuration(Duration.ofSeconds(1)).withPartTarget(Duration.ofMillis(250))
                        .withWindowSegments(12));
    }

    @AfterAll
    static void stop() throws Exception {
        fixture.close();
    }

    @Test
    void hevcOverEnhancedRtmpPlaysFromBothPlaylists(@TempDir Path dir) throws Exception {
        String ffmpeg = Ffmpeg.requireEncoder("libx265");
        Path mp4 = dir.resolve("hevc.mp4");
        run(List.of(ffmpeg, "-nostdin", "-loglevel", "error", "-f", "lavfi", "-i", "testsrc2=size=" + WIDTH + "x" + HEIGHT
                + ":rate=" + FPS, "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100", "-t", String.valueOf(SECONDS),
                "-c:v", "libx265", "-preset", "ultrafast", "-x265-params", "keyint=" + FPS + ":bframes=3:log-level=error",
                "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "64k", mp4.toString()));
        JsonNode file = probeJson(List.of(Tools.require("ffprobe"), "-v", "error", "-show_streams", "-show_packets",
                "-show_data", "-of", "json", mp4.toString()));
        byte[] hvcC = null;
        byte[] asc = null;
        for (JsonNode s : file.path("streams")) {
            if (s.path("codec_name").asText().equals("hevc")) {
                hvcC = hexDump(s.path("extradata").asText());
            } else if (s.path("codec_name").asText().equals("aac")) {
                asc = hexDump(s.path("extradata").asText());
            }
        }
        assertThat(hvcC).as("the hvcC record of the MP4").isNotEmpty();
        assertThat(asc).as("the AudioSpecificConfig of the MP4").isNotEmpty();
        List<Packet> packets = packets(file);
        long videoFrames = packets.stream().filter(Packet::video).count();
        assertThat(videoFrames).isEqualTo((long) SECONDS * FPS);
        assertThat(packets.stream().anyMatch(p -> p.video() && p.cts() != 0)).as("B-frames: composition offsets").isTrue();
        assertThat(packets.get(0).video() && packets.get(0).key()).as("the file starts with a key frame").isTrue();

        Room room = fixture.newRoom("hevc");
        try (TestRtmpClient publisher = TestRtmpClient.connect(fixture.server.rtmpPort())) {
            assertThat(publisher.publish(room.streamKey())).isEqualTo("NetStream.Publish.Start");
            publisher.send(new RtmpMessage.VideoData(0, 1, Unpooled.wrappedBuffer(exVideo(1, 0, 0, hvcC))));
            publisher.send(new RtmpMessage.AudioData(0, 1, Unpooled.wrappedBuffer(aac(0, asc))));
            send(publisher, packets.get(0));
            // the first playlist request starts the room's segmenter at the latest key frame: the first one here
            var first = http.sendAsync(HttpRequest.newBuilder(URI.create(fixture.hlsUrl(room))).build(),
                    HttpResponse.BodyHandlers.discarding());
            Eventually.await("the segmenter reading the room", Duration.ofSeconds(10),
                    () -> fixture.server.hub().stream(room.id()).map(s -> s.readerCount() == 1).orElse(false));
            // the rest as a live encoder sends it, in real time: a burst would put the segmenter more than the hub's
            // reader lag behind, and it would skip to the latest key frame
            long started = System.nanoTime();
            for (Packet p : packets.subList(1, packets.size())) {
                long due = started + (p.dts() - packets.get(0).dts()) * 1_000_000L;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                send(publisher, p);
            }
            assertThat(first.get(15, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        }
        Eventually.await("the end list once the publisher is gone", Duration.ofSeconds(20),
                () -> playlistText(fixture.hlsUrl(room)).contains("#EXT-X-ENDLIST"));

        for (String url : List.of(fixture.hlsUrl(room), fixture.hlsUrl(room) + "?format=ts")) {
            Decoded d = decode(url);
            assertThat(d.errors()).as("ffprobe decoding " + url).isEmpty();
            JsonNode video = d.stream("video");
            assertThat(video.path("codec_name").asText()).as(url).isEqualTo("hevc");
            assertThat(video.path("width").asInt()).isEqualTo(WIDTH);
            assertThat(video.path("height").asInt()).isEqualTo(HEIGHT);
            assertThat(video.path("nb_read_frames").asLong()).as("every frame of " + url + " decodes").isEqualTo(videoFrames);
            assertThat(d.stream("audio").path("codec_name").asText()).isEqualTo("aac");
        }
    }

    /** E-RTMP ExVideoTagHeader (FrameType, PacketType, FourCC hvc1); CodedFrames add an SI24 composition time offset. */
    private static byte[] exVideo(int frameType, int packetType, int cts, byte[] data) {
        int head = packetType == 1 ? 8 : 5;
        byte[] out = new byte[head + data.length];
        out[0] = (byte) (0x80 | (frameType << 4) | packetType);
        out[1] = 'h';
        out[2] = 'v';
        out[3] = 'c';
        out[4] = '1';
        if (packetType == 1) {
            out[5] = (byte) (cts >> 16);
            out[6] = (byte) (cts >> 8);
            out[7] = (byte) cts;
        }
        System.arraycopy(data, 0, out, head, data.length);
        return out;
    }

    /** FLV AUDIODATA: AAC (10), 44 kHz, 16-bit, stereo, then AACPacketType (0 sequence header, 1 raw). */
    private static byte[] aac(int packetType, byte[] data) {
        byte[] out = new byte[2 + data.length];
        out[0] = (byte) 0xAF;
        out[1] = (byte) packetType;
        System.arraycopy(data, 0, out, 2, data.length);
        return out;
    }

    /** Key frames and frames with a composition offset as CodedFrames, the others as CodedFramesX. */
    private static void send(TestRtmpClient publisher, Packet p) throws Exception {
        if (p.video()) {
            byte[] body = p.key() || p.cts() != 0 ? exVideo(p.key() ? 1 : 2, 1, p.cts(), p.data()) : exVideo(2, 3, 0, p.data());
            publisher.send(new RtmpMessage.VideoData(p.dts(), 1, Unpooled.wrappedBuffer(body)));
        } else {
            publisher.send(new RtmpMessage.AudioData(p.dts(), 1, Unpooled.wrappedBuffer(aac(1, p.data()))));
        }
    }

    /** The file's packets in decode order, times moved so the first decode time is 0 (B-frames start it below 0). */
    private static List<Packet> packets(JsonNode file) {
        List<Packet> out = new ArrayList<>();
        for (JsonNode p : file.path("packets")) {
            boolean video = p.path("codec_type").asText().equals("video");
            double dts = p.path("dts_time").asDouble();
            double pts = p.path("pts_time").asDouble();
            out.add(new Packet(video, (int) Math.round(dts * 1000), (int) Math.round((pts - dts) * 1000),
                    p.path("flags").asText().startsWith("K"), hexDump(p.path("data").asText())));
        }
        out.sort(Comparator.comparingInt(Packet::dts));
        int shift = -out.get(0).dts();
        return out.stream().map(p -> new Packet(p.video(), p.dts() + shift, p.cts(), p.key(), p.data())).toList();
    }

    /** ffprobe's {@code -show_data} dump: per line an 8-digit offset, ": ", 41 columns of hex, then the text. */
    private static byte[] hexDump(String dump) {
        StringBuilder hex = new StringBuilder();
        for (String line : dump.split("\n")) {
            if (line.length() > 10) {
                hex.append(line, 10, Math.min(line.length(), 51));
            }
        }
        return HexFormat.of().parseHex(hex.toString().replace(" ", ""));
    }

    private record Decoded(JsonNode probe, String errors) {
        JsonNode stream(String type) {
            for (JsonNode s : probe.path("streams")) {
                if (s.path("codec_type").asText().equals(type)) {
                    return s;
                }
            }
            throw new AssertionError("no " + type + " stream: " + probe);
        }
    }

    /** ffprobe decoding every frame of a playlist: its streams and whatever it reports as errors. */
    private static Decoded decode(String url) throws Exception {
        Process p = new ProcessBuilder(Tools.require("ffprobe"), "-v", "error", "-count_frames", "-show_entries",
                "stream=codec_name,codec_type,width,height,nb_read_frames", "-of", "json", url).start();
        CompletableFuture<String> errors = CompletableFuture.supplyAsync(() -> {
            try (InputStream err = p.getErrorStream()) {
                return new String(err.readAllBytes(), StandardCharsets.UTF_8);
            } catch (java.io.IOException e) {
                return "stderr unreadable: " + e;
            }
        }, task -> Thread.ofVirtual().start(task));
        byte[] out;
        try (InputStream in = p.getInputStream()) {
            out = in.readAllBytes();
        }
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("ffprobe finishes").isTrue();
        return new Decoded(JSON.readTree(out), errors.get(10, TimeUnit.SECONDS));
    }

    private static JsonNode probeJson(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] out;
        try (InputStream in = p.getInputStream()) {
            out = in.readAllBytes();
        }
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("ffprobe finishes").isTrue();
        return JSON.readTree(out);
    }

    private static void run(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(output).isZero();
    }

    private static String playlistText(String url) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? r.body() : "";
        } catch (Exception e) {
            return "";
        }
    }
}
