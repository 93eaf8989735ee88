package io.openlive.server.browser;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.openlive.server.Ffmpeg;
import io.openlive.server.ServerFixture;
import io.openlive.server.Tools;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The SDK's FLV to fragmented MP4 remuxer (web/sdk/flv-reader.js, flv-remuxer.js, mp4-boxes.js, mse-feed.js) in real
 * Chromium, on FLV files ffmpeg made: the fMP4 it writes is read back by ffprobe (codecs, durations, every timestamp
 * as in the FLV), it plays in a video element through Media Source Extensions, including across a new sequence header
 * with another profile and picture size (a publisher that came back), and malformed bytes end in an error, never a hang.
 * The test page is web/browser-test/remux.html (test resources).
 */
class RemuxerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static ServerFixture server;
    private static Browser browser;

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() throws Exception {
        Browser.requireChromium();
        Tools.require("ffmpeg");
        server = ServerFixture.start();
        browser = Browser.open(800, 600);
    }

    @AfterAll
    static void stop() throws Exception {
        if (browser != null) {
            browser.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void h264AndAacBecomeFragmentedMp4WithTheFlvsTimestamps() throws Exception {
        Path flv = ffmpeg("av.flv", "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=30", "-f", "lavfi", "-i",
                "sine=frequency=440:sample_rate=44100", "-c:v", "libx264", "-preset", "medium", "-bf", "2", "-g", "30",
                "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "96k", "-t", "4");
        JsonNode result = remux(flv);
        assertThat(result.path("tracks")).hasSize(2);
        assertThat(result.path("segments").asInt()).as("media segments").isGreaterThan(200);
        assertThat(result.path("inits").asInt()).isEqualTo(2);
        Map<String, Path> mp4 = write(result);
        assertThat(mp4).containsOnlyKeys("video", "audio");
        assertThat(result.path("tracks").get(0).path("mime").asText()).startsWith("video/mp4; codecs=\"avc1.64");
        assertThat(result.path("tracks").get(1).path("mime").asText()).isEqualTo("audio/mp4; codecs=\"mp4a.40.2\"");

        JsonNode video = probe(mp4.get("video"));
        assertThat(video.at("/streams/0/codec_name").asText()).isEqualTo("h264");
        assertThat(video.at("/streams/0/width").asInt()).isEqualTo(320);
        assertThat(video.at("/streams/0/height").asInt()).isEqualTo(240);
        assertThat(video.at("/streams/0/duration").asDouble()).isCloseTo(4.0, org.assertj.core.data.Offset.offset(0.1));
        JsonNode audio = probe(mp4.get("audio"));
        assertThat(audio.at("/streams/0/codec_name").asText()).isEqualTo("aac");
        assertThat(audio.at("/streams/0/sample_rate").asInt()).isEqualTo(44100);
        assertThat(audio.at("/streams/0/duration").asDouble()).isCloseTo(4.0, org.assertj.core.data.Offset.offset(0.1));

        // the timeline starts at the first media tag (mpegts.js's too: onOpenliveClock + currentTime is the FLV time)
        JsonNode source = probe(flv);
        assertMonotonic(video, "video");
        assertMonotonic(audio, "audio");
        assertThat(times(video, "video", "pts_time")).as("every video frame at its FLV presentation time")
                .containsExactlyElementsOf(shifted(times(source, "video", "pts_time"), firstDts(source)));
        List<Double> audioIn = shifted(times(source, "audio", "pts_time"), firstDts(source));
        List<Double> audioOut = times(audio, "audio", "pts_time");
        assertThat(audioOut).hasSameSizeAs(audioIn);
        for (int i = 0; i < audioIn.size(); i++) {
            // counted in samples, so within a millisecond of the FLV's (millisecond) timestamps
            assertThat(audioOut.get(i)).as("audio frame %s", i).isCloseTo(audioIn.get(i), org.assertj.core.data.Offset.offset(0.0015));
        }
    }

    @Test
    void videoOnly() throws Exception {
        Path flv = ffmpeg("v.flv", "-f", "lavfi", "-i", "testsrc2=size=426x240:rate=25", "-c:v", "libx264", "-preset",
                "ultrafast", "-g", "25", "-pix_fmt", "yuv420p", "-t", "3");
        JsonNode result = remux(flv);
        Map<String, Path> mp4 = write(result);
        assertThat(mp4).containsOnlyKeys("video");
        JsonNode video = probe(mp4.get("video"));
        assertThat(video.at("/streams/0/codec_name").asText()).isEqualTo("h264");
        assertThat(video.at("/streams/0/width").asInt()).isEqualTo(426);
        assertThat(video.at("/streams/0/duration").asDouble()).isCloseTo(3.0, org.assertj.core.data.Offset.offset(0.1));
        assertMonotonic(video, "video");
        JsonNode source = probe(flv);
        assertThat(times(video, "video", "pts_time")).containsExactlyElementsOf(shifted(times(source, "video", "pts_time"), firstDts(source)));

        browser.js("window.play(arguments[0])", dataUrl(Files.readAllBytes(flv)));
        browser.await("the video-only stream to play 1.5 s", Duration.ofSeconds(15), () -> currentTime() > 1.5);
        assertThat(log()).noneMatch(e -> e.path("type").asText().equals("error"));
    }

    @Test
    void playsAcrossANewSequenceHeaderWithAnotherProfileAndSize() throws Exception {
        // a publisher that came back with other settings: the server sends the new sequence headers and continues the
        // timeline at its last timestamp + 1 (engine Timeline), which is what the splice below does
        Path a = ffmpeg("a.flv", "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=30", "-f", "lavfi", "-i",
                "sine=frequency=440:sample_rate=44100", "-c:v", "libx264", "-profile:v", "baseline", "-preset", "ultrafast",
                "-g", "30", "-pix_fmt", "yuv420p", "-c:a", "aac", "-t", "2.5");
        Path b = ffmpeg("b.flv", "-f", "lavfi", "-i", "testsrc=size=640x360:rate=30", "-f", "lavfi", "-i",
                "sine=frequency=880:sample_rate=44100", "-c:v", "libx264", "-profile:v", "high", "-preset", "ultrafast",
                "-g", "30", "-pix_fmt", "yuv420p", "-c:a", "aac", "-t", "2.5");
        byte[] spliced = splice(Files.readAllBytes(a), Files.readAllBytes(b));

        browser.js("window.play(arguments[0])", dataUrl(spliced));
        browser.await("the video to play past the new sequence header (2.5 s)", Duration.ofSeconds(20), () -> currentTime() > 3.8);
        List<JsonNode> log = log();
        assertThat(log).noneMatch(e -> e.path("type").asText().equals("error"));
        assertThat(log).anyMatch(e -> e.path("detail").asText().equals("320x240"));
        assertThat(log).anyMatch(e -> e.path("detail").asText().equals("640x360"));
    }

    /**
     * Timestamps that jump 3 s forward mid-stream (an encoder that paused, its gap kept by the server's timeline) stay
     * where the FLV put them: the samples before the gap keep their own durations, the ones after it start a new media
     * segment at their own time, so the media time on screen stays the FLV's on both sides (the player steps over the gap).
     */
    @Test
    void aForwardJumpOfTheTimestampsIsKept() throws Exception {
        String[] same = {"-c:v", "libx264", "-preset", "ultrafast", "-g", "30", "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "96k", "-t", "2"};
        List<String> a = new ArrayList<>(List.of("-f", "lavfi", "-i", "testsrc2=size=320x240:rate=30", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100"));
        List<String> b = new ArrayList<>(List.of("-f", "lavfi", "-i", "testsrc2=size=320x240:rate=30", "-f", "lavfi", "-i", "sine=frequency=660:sample_rate=44100"));
        a.addAll(List.of(same));
        b.addAll(List.of(same));
        Path jumped = dir.resolve("jumped.flv");
        Files.write(jumped, splice(Files.readAllBytes(ffmpeg("j1.flv", a.toArray(String[]::new))),
                Files.readAllBytes(ffmpeg("j2.flv", b.toArray(String[]::new))), 3000));
        JsonNode result = remux(jumped);
        assertThat(result.path("inits").asInt()).as("the same configuration again: no new init segment").isEqualTo(2);
        Map<String, Path> mp4 = write(result);
        JsonNode source = probe(jumped);
        JsonNode video = probe(mp4.get("video"));
        assertMonotonic(video, "video");
        assertThat(times(video, "video", "pts_time")).containsExactlyElementsOf(shifted(times(source, "video", "pts_time"), firstDts(source)));
        List<Double> audioIn = shifted(times(source, "audio", "pts_time"), firstDts(source));
        List<Double> audioOut = times(probe(mp4.get("audio")), "audio", "pts_time");
        assertThat(audioOut).hasSameSizeAs(audioIn);
        for (int i = 0; i < audioIn.size(); i++) {
            assertThat(audioOut.get(i)).as("audio frame %s", i).isCloseTo(audioIn.get(i), org.assertj.core.data.Offset.offset(0.0015));
        }
    }

    /** The same H.264 in Enhanced RTMP's video tags (FourCC 'avc1', packet types SequenceStart and CodedFrames). */
    @Test
    void enhancedRtmpAvcIsRemuxedLikeLegacyAvc() throws Exception {
        Path flv = ffmpeg("e.flv", "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=30", "-c:v", "libx264", "-preset", "ultrafast",
                "-bf", "0", "-g", "30", "-pix_fmt", "yuv420p", "-t", "2");
        byte[] legacy = Files.readAllBytes(flv);
        Path enhanced = dir.resolve("enhanced.flv");
        Files.write(enhanced, rewriteVideo(legacy, body -> {
            // legacy: FrameType|CodecID, AVCPacketType, CompositionTime(3), data; E-RTMP: IsExHeader|FrameType|PacketType, FourCC, [CompositionTime(3)], data
            int frameType = (body[0] & 0xff) >> 4;
            int packetType = body[1];
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(0x80 | (frameType << 4) | packetType);
            out.writeBytes("avc1".getBytes(StandardCharsets.US_ASCII));
            out.write(body, packetType == 1 ? 2 : 5, body.length - (packetType == 1 ? 2 : 5));
            return out.toByteArray();
        }));
        JsonNode result = remux(enhanced);
        JsonNode video = probe(write(result).get("video"));
        assertThat(video.at("/streams/0/codec_name").asText()).isEqualTo("h264");
        JsonNode source = probe(flv);
        assertThat(times(video, "video", "pts_time")).containsExactlyElementsOf(shifted(times(source, "video", "pts_time"), firstDts(source)));
    }

    /** What the remuxer does not play is reported as such, so the player hands the stream to mpegts.js. */
    @Test
    void otherCodecsAreReportedAsUnsupported() throws Exception {
        byte[] header = {'F', 'L', 'V', 1, 5, 0, 0, 0, 9, 0, 0, 0, 0};
        byte[] hevc = {(byte) 0x90, 'h', 'v', 'c', '1', 1, 2, 3};
        assertThat(parse(concat(header, tag(9, 0, hevc)))).isEqualTo("UnsupportedMedia: E-RTMP video codec hvc1");
        assertThat(parse(concat(header, tag(8, 0, new byte[]{0x2f, 1, 2, 3})))).isEqualTo("UnsupportedMedia: FLV audio format MP3");
        assertThat(parse(concat(header, tag(9, 0, new byte[]{0x12, 1, 2, 3})))).isEqualTo("UnsupportedMedia: FLV video codec id 2"); // Sorenson H.263
    }

    @Test
    void malformedBytesAreAnErrorNotAHang() throws Exception {
        Path flv = ffmpeg("m.flv", "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=30", "-f", "lavfi", "-i",
                "sine=frequency=440:sample_rate=44100", "-c:v", "libx264", "-preset", "ultrafast", "-g", "30",
                "-pix_fmt", "yuv420p", "-c:a", "aac", "-t", "1");
        byte[] good = Files.readAllBytes(flv);
        assertThat(parse(good)).startsWith("ok, 0 bytes held");
        assertThat(parse("<html>not a stream</html>".getBytes(StandardCharsets.UTF_8))).contains("FlvError").contains("signature");

        byte[] huge = java.util.Arrays.copyOf(good, 13 + 11);
        huge[13] = 9;
        huge[14] = huge[15] = huge[16] = (byte) 0xff; // a 16 MiB tag
        assertThat(parse(huge)).contains("FlvError").contains("exceeds the limit");

        byte[] badType = good.clone();
        badType[13] = 0x0c;
        assertThat(parse(badType)).contains("unknown FLV tag type 12");

        List<int[]> tags = tags(good);
        int[] firstVideoFrame = tags.stream().filter(t -> t[0] == 9 && good[t[1]] == 0x17 && good[t[1] + 1] == 1).findFirst().orElseThrow();
        byte[] badSize = good.clone();
        badSize[firstVideoFrame[1] + firstVideoFrame[2] + 3] ^= 0x40; // its PreviousTagSize
        assertThat(parse(badSize)).contains("PreviousTagSize");

        byte[] badNal = good.clone();
        badNal[firstVideoFrame[1] + 5] = 0x7f; // the first NAL unit's length runs far past the frame
        assertThat(parse(badNal)).contains("FlvError").contains("NAL unit");

        byte[] badConfig = good.clone();
        int[] avcC = tags.stream().filter(t -> t[0] == 9 && good[t[1] + 1] == 0).findFirst().orElseThrow();
        badConfig[avcC[1] + 5] = 7; // configurationVersion
        assertThat(parse(badConfig)).contains("ConfigError");

        // a stream cut in the middle of a tag holds no more than that tag
        String cut = parse(java.util.Arrays.copyOf(good, firstVideoFrame[1] + 100));
        assertThat(cut).matches("ok, \\d+ bytes held");
        assertThat(Integer.parseInt(cut.replaceAll("\\D", ""))).isLessThanOrEqualTo(firstVideoFrame[2] + 15);

        // through the engine: garbage after a valid start ends in an error event, and the player reconnects
        byte[] garbage = java.util.Arrays.copyOf(good, good.length + 64);
        java.util.Arrays.fill(garbage, good.length, garbage.length, (byte) 0x5a);
        browser.js("window.play(arguments[0])", dataUrl(garbage));
        browser.await("an error from the engine", Duration.ofSeconds(10),
                () -> log().stream().anyMatch(e -> e.path("type").asText().equals("error")));
        assertThat(log()).filteredOn(e -> e.path("type").asText().equals("error")).first()
                .satisfies(e -> assertThat(e.path("detail").asText()).contains("bad FLV"));
    }

    @Test
    void aPlayerGivenMalformedBytesReconnects() throws Exception {
        browser.js("""
                window.states = [];
                import('/sdk/player.js').then(({ LivePlayer }) => {
                  const p = new LivePlayer(document.getElementById('video'), { ws: arguments[0], http: arguments[1] }, {
                    onState: (s, d) => window.states.push(s + ' ' + (d?.reason ?? '')), onSound() {}, onUnplayable: () => false });
                  window.livePlayer = p;
                  p.start(location.origin + '/');
                });""", "ws://127.0.0.1:9/none.flv", dataUrl("FLV\u0001\u0005\0\0\0\u0009\0\0\0\0garbage-garbage".getBytes(StandardCharsets.ISO_8859_1)));
        try {
            browser.await("a reconnect after the bad bytes", Duration.ofSeconds(15), () -> {
                List<?> states = (List<?>) browser.js("return window.states");
                return states.stream().anyMatch(s -> s.toString().startsWith("reconnecting bad FLV"));
            });
        } finally {
            browser.js("window.livePlayer?.stop()");
        }
    }

    // --- helpers -------------------------------------------------------------------------------------------------------

    private JsonNode remux(Path flv) throws Exception {
        browser.get(server.http("/browser-test/remux.html"));
        browser.await("the test page", Duration.ofSeconds(10), () -> Boolean.TRUE.equals(browser.js("return typeof window.remux === 'function'")));
        Object r = browser.js("return JSON.stringify(window.remux(arguments[0]))", Base64.getEncoder().encodeToString(Files.readAllBytes(flv)));
        return JSON.readTree((String) r);
    }

    private String parse(byte[] flv) throws InterruptedException {
        openPage();
        return (String) browser.js("return window.parse(arguments[0])", Base64.getEncoder().encodeToString(flv));
    }

    private void openPage() throws InterruptedException {
        if (!String.valueOf(browser.js("return location.pathname")).endsWith("/remux.html")) {
            browser.get(server.http("/browser-test/remux.html"));
        }
        browser.await("the test page", Duration.ofSeconds(10), () -> Boolean.TRUE.equals(browser.js("return typeof window.parse === 'function'")));
    }

    private String dataUrl(byte[] bytes) throws InterruptedException {
        browser.get(server.http("/browser-test/remux.html")); // a fresh page and video element for each run
        openPage();
        return "data:video/x-flv;base64," + Base64.getEncoder().encodeToString(bytes);
    }

    private double currentTime() {
        return ((Number) browser.js("return document.getElementById('video').currentTime")).doubleValue();
    }

    private List<JsonNode> log() {
        try {
            List<JsonNode> out = new ArrayList<>();
            JSON.readTree((String) browser.js("return JSON.stringify(window.log ?? [])")).forEach(out::add);
            return out;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Map<String, Path> write(JsonNode result) throws Exception {
        Map<String, Path> out = new java.util.LinkedHashMap<>();
        for (JsonNode t : result.path("tracks")) {
            Path file = dir.resolve(System.nanoTime() + "-" + t.path("kind").asText() + ".mp4");
            Files.write(file, Base64.getDecoder().decode(t.path("mp4").asText()));
            out.put(t.path("kind").asText(), file);
        }
        return out;
    }

    private static Path ffmpeg(String name, String... args) throws Exception {
        Path out = dir.resolve(name);
        List<String> command = new ArrayList<>(List.of(Tools.require("ffmpeg"), "-nostdin", "-loglevel", "error", "-y"));
        command.addAll(List.of(args));
        command.addAll(List.of("-f", "flv", out.toString()));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("ffmpeg: %s", log).isZero();
        return out;
    }

    private static JsonNode probe(Path file) throws Exception {
        Process p = new ProcessBuilder(Tools.require("ffprobe"), "-v", "error", "-show_entries",
                "stream=codec_name,codec_type,width,height,sample_rate,duration:packet=codec_type,pts_time,dts_time",
                "-of", "json", file.toString()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("ffprobe %s", file).isZero();
        return JSON.readTree(out);
    }

    private static List<Double> times(JsonNode probe, String type, String field) {
        List<Double> out = new ArrayList<>();
        probe.path("packets").forEach(p -> {
            if (type.equals(p.path("codec_type").asText())) {
                out.add(p.path(field).asDouble());
            }
        });
        return out;
    }

    /** The first media packet's decode time in the FLV: the remuxer's zero. */
    private static double firstDts(JsonNode probe) {
        return probe.path("packets").get(0).path("dts_time").asDouble();
    }

    private static List<Double> shifted(List<Double> times, double by) {
        return times.stream().map(t -> Math.round((t - by) * 1000) / 1000.0).toList();
    }

    private static void assertMonotonic(JsonNode probe, String type) {
        List<Double> dts = times(probe, type, "dts_time");
        assertThat(dts).as(type + " decode times").isNotEmpty();
        for (int i = 1; i < dts.size(); i++) {
            assertThat(dts.get(i)).as("%s decode time %s", type, i).isGreaterThan(dts.get(i - 1));
        }
    }

    /** Tags of an FLV file: { type, body offset, body size, timestamp }. */
    private static List<int[]> tags(byte[] flv) {
        List<int[]> out = new ArrayList<>();
        int at = 13;
        while (at + 11 <= flv.length) {
            int size = ((flv[at + 1] & 0xff) << 16) | ((flv[at + 2] & 0xff) << 8) | (flv[at + 3] & 0xff);
            int ts = ((flv[at + 7] & 0xff) << 24) | ((flv[at + 4] & 0xff) << 16) | ((flv[at + 5] & 0xff) << 8) | (flv[at + 6] & 0xff);
            if (at + 11 + size + 4 > flv.length) {
                break;
            }
            out.add(new int[]{flv[at] & 0x1f, at + 11, size, ts});
            at += 11 + size + 4;
        }
        return out;
    }

    private static byte[] tag(int type, int timestamp, byte[] body) {
        ByteBuffer tag = ByteBuffer.allocate(11 + body.length + 4);
        tag.put((byte) type).put((byte) (body.length >> 16)).put((byte) (body.length >> 8)).put((byte) body.length);
        tag.put((byte) (timestamp >> 16)).put((byte) (timestamp >> 8)).put((byte) timestamp).put((byte) (timestamp >> 24));
        tag.put(new byte[3]).put(body).putInt(11 + body.length);
        return tag.array();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    /** The FLV with every video tag's body rewritten. */
    private static byte[] rewriteVideo(byte[] flv, java.util.function.UnaryOperator<byte[]> rewrite) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(flv, 0, 13);
        for (int[] t : tags(flv)) {
            byte[] body = java.util.Arrays.copyOfRange(flv, t[1], t[1] + t[2]);
            out.writeBytes(tag(t[0], t[3], t[0] == 9 ? rewrite.apply(body) : body));
        }
        return out.toByteArray();
    }

    /** The first FLV, then the second's tags (its sequence headers included) re-stamped to follow it at last + gap. */
    private static byte[] splice(byte[] first, byte[] second) {
        return splice(first, second, 1);
    }

    private static byte[] splice(byte[] first, byte[] second, int gap) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(first, 0, first.length);
        int last = tags(first).stream().mapToInt(t -> t[3]).max().orElse(0);
        List<int[]> tags = tags(second);
        int base = tags.stream().filter(t -> t[0] != 18).mapToInt(t -> t[3]).min().orElse(0);
        for (int[] t : tags) {
            if (t[0] == 18) {
                continue; // onMetaData
            }
            int ts = last + gap + (t[3] - base);
            ByteBuffer tag = ByteBuffer.allocate(11 + t[2] + 4);
            tag.put((byte) t[0]).put((byte) (t[2] >> 16)).put((byte) (t[2] >> 8)).put((byte) t[2]);
            tag.put((byte) (ts >> 16)).put((byte) (ts >> 8)).put((byte) ts).put((byte) (ts >> 24));
            tag.put(new byte[3]).put(second, t[1], t[2]).putInt(11 + t[2]);
            out.write(tag.array(), 0, tag.capacity());
        }
        return out.toByteArray();
    }
}
