package io.openlive.server.hls;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.openlive.engine.hls.HlsConfig;
import io.openlive.engine.hls.RenderedPlaylists;
import io.openlive.engine.room.Room;
import io.openlive.engine.stream.StreamConfig;
import io.openlive.server.Eventually;
import io.openlive.server.Ffmpeg;
import io.openlive.server.ServerFixture;
import io.openlive.server.Tools;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** ffmpeg publishes over RTMP; HTTP clients and ffprobe read the room as HLS and LL-HLS. */
class HlsTest {
    /** 1 s segments (ffmpeg's GOP), 250 ms parts: blocking time-outs after 3 s; a window that holds a short show. */
    static final HlsConfig HLS = HlsConfig.defaults().withTargetDuration(Duration.ofSeconds(1))
            .withPartTarget(Duration.ofMillis(250)).withWindowSegments(12);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static ServerFixture fixture;
    private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<Process> processes = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        fixture = ServerFixture.start(c -> c.withStream(StreamConfig.defaults().withPublisherGrace(Duration.ofSeconds(5))), HLS);
    }

    @AfterAll
    static void stop() throws Exception {
        fixture.close();
    }

    @AfterEach
    void stopPeers() throws Exception {
        for (Process p : processes) {
            Ffmpeg.stop(p);
        }
    }

    private Room liveRoom(int seconds) throws Exception {
        Room room = fixture.newRoom("hls");
        processes.add(Ffmpeg.publish(fixture.publishUrl(room), seconds));
        Eventually.await("room live", Duration.ofSeconds(15), () -> fixture.server.hub().stream(room.id())
                .map(s -> s.isLive() && s.stats().framesIn.sum() > 0).orElse(false));
        return room;
    }

    static HttpResponse<String> get(String url, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(15));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.ISO_8859_1));
    }

    private static Playlist playlist(String url) throws Exception {
        HttpResponse<String> r = get(url);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return Playlist.parse(r.body());
    }

    private String base() {
        return fixture.http("/live/");
    }

    @Test
    void llHlsPlaylistHasEveryLowLatencyTagAndFfprobePlaysIt() throws Exception {
        Room room = liveRoom(40);
        HttpResponse<String> first = get(fixture.hlsUrl(room));
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.headers().firstValue("Content-Type")).hasValue("application/vnd.apple.mpegurl");
        assertThat(first.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
        assertThat(first.headers().firstValue("Cache-Control")).hasValue("public, max-age=1");
        assertThat(first.headers().firstValue("ETag")).isPresent();
        Eventually.await("three segments", Duration.ofSeconds(20), () -> playlistQuietly(fixture.hlsUrl(room)).segments().size() >= 3);
        Playlist p = playlist(fixture.hlsUrl(room));
        String text = p.text();
        assertThat(text).contains("#EXT-X-VERSION:9\n", "#EXT-X-INDEPENDENT-SEGMENTS\n", "#EXT-X-PROGRAM-DATE-TIME:");
        assertThat(text).containsPattern("#EXT-X-MAP:URI=\"" + room.id() + "/[a-z0-9]+/init0\\.mp4\"");
        assertThat(p.partTarget()).isEqualTo(0.25);
        String control = text.lines().filter(l -> l.startsWith("#EXT-X-SERVER-CONTROL:")).findFirst().orElseThrow();
        assertThat(control).contains("CAN-BLOCK-RELOAD=YES");
        double holdBack = Double.parseDouble(control.replaceAll(".*PART-HOLD-BACK=([0-9.]+).*", "$1"));
        assertThat(holdBack).as("PART-HOLD-BACK is at least three part targets").isGreaterThanOrEqualTo(3 * p.partTarget());
        double skipUntil = Double.parseDouble(control.replaceAll(".*CAN-SKIP-UNTIL=([0-9.]+).*", "$1"));
        assertThat(skipUntil).isGreaterThanOrEqualTo(6 * p.targetDuration());
        for (double d : p.durations()) {
            assertThat(Math.round(d)).as("EXTINF rounded is at most the target duration").isLessThanOrEqualTo((long) p.targetDuration());
        }
        // parts are numbered from 0 in each segment; a segment's first part starts with a key frame
        long[] previous = null;
        for (int i = 0; i < p.parts().size(); i++) {
            long[] pos = Playlist.position(p.parts().get(i));
            if (previous != null) {
                boolean next = pos[0] == previous[0] ? pos[1] == previous[1] + 1 : pos[0] == previous[0] + 1 && pos[1] == 0;
                assertThat(next).as("part %s follows %s", p.parts().get(i), previous[0] + "." + previous[1]).isTrue();
            }
            if (pos[1] == 0) {
                assertThat(p.independent().get(i)).isTrue();
            }
            previous = pos;
        }
        long[] hint = Playlist.position(p.preloadHint());
        assertThat(hint[0] == previous[0] ? hint[1] == previous[1] + 1 : hint[0] == previous[0] + 1 && hint[1] == 0)
                .as("the preload hint names the part after the newest").isTrue();
        long[] lastSegment = Playlist.position(p.segments().get(p.segments().size() - 1));
        assertThat(lastSegment[0]).isEqualTo(p.mediaSequence() + p.segments().size() - 1);

        JsonNode probe = probe(fixture.hlsUrl(room), 3);
        assertThat(Ffmpeg.codecs(probe)).contains("video:h264", "audio:aac");
        assertThat(probe.path("streams").findValues("width").stream().anyMatch(w -> w.asInt() == 1280)).isTrue();
        assertThat(Ffmpeg.times(probe, "video")).hasSizeGreaterThan(30);
        assertThat(Ffmpeg.times(probe, "audio")).hasSizeGreaterThan(30);
    }

    @Test
    void classicPlaylistOverMpegTsPlaysInFfprobe() throws Exception {
        Room room = liveRoom(40);
        String url = fixture.hlsUrl(room) + "?format=ts";
        Eventually.await("three segments", Duration.ofSeconds(20), () -> playlistQuietly(url).segments().size() >= 3);
        Playlist p = playlist(url);
        assertThat(p.text()).contains("#EXT-X-VERSION:3\n").doesNotContain("#EXT-X-PART", "#EXT-X-MAP", "SERVER-CONTROL");
        assertThat(p.segments()).allMatch(s -> s.endsWith(".ts"));
        HttpResponse<String> segment = get(base() + p.segments().get(0));
        assertThat(segment.statusCode()).isEqualTo(200);
        assertThat(segment.headers().firstValue("Content-Type")).hasValue("video/mp2t");
        assertThat(segment.body().length() % 188).isZero();
        assertThat(segment.body().charAt(0)).isEqualTo((char) 0x47);
        JsonNode probe = probe(url, 3);
        assertThat(Ffmpeg.codecs(probe)).contains("video:h264", "audio:aac");
        assertThat(Ffmpeg.times(probe, "video")).hasSizeGreaterThan(30);
    }

    @Test
    void wholeShowIsInBothPlaylistsWithinOneSegmentAndEndsWithEndList() throws Exception {
        int seconds = 8;
        Room room = liveRoom(seconds);
        assertThat(get(fixture.hlsUrl(room)).statusCode()).isEqualTo(200); // starts the segmenter at the first GOP
        Process publisher = processes.get(0);
        assertThat(publisher.waitFor(30, TimeUnit.SECONDS)).isTrue();
        Eventually.await("end list", Duration.ofSeconds(20), () -> playlistQuietly(fixture.hlsUrl(room)).endList());
        for (String url : List.of(fixture.hlsUrl(room), fixture.hlsUrl(room) + "?format=ts")) {
            Playlist p = playlist(url);
            assertThat(p.endList()).isTrue();
            // an ended playlist no longer changes: a cache revalidating it gets 304 without a body
            String etag = get(url).headers().firstValue("ETag").orElseThrow();
            HttpResponse<String> again = get(url, "If-None-Match", etag);
            assertThat(again.statusCode()).as("conditional GET of " + url).isEqualTo(304);
            assertThat(again.body()).isEmpty();
            assertThat(p.preloadHint()).isNull();
            assertThat(p.mediaSequence()).isZero();
            assertThat(p.totalDuration()).as("playlist duration of " + url).isCloseTo(seconds, org.assertj.core.data.Offset.offset(p.targetDuration()));
            JsonNode probe = probe(url, 60);
            List<Double> video = Ffmpeg.times(probe, "video");
            assertThat(Ffmpeg.codecs(probe)).contains("video:h264", "audio:aac");
            double played = video.get(video.size() - 1) - video.get(0) + 1 / 30.0;
            assertThat(played).as("ffprobe's duration of " + url).isCloseTo(seconds, org.assertj.core.data.Offset.offset(p.targetDuration()));
        }
    }

    @Test
    void blockingReloadAnswersOnceTheAskedPartExists() throws Exception {
        Room room = liveRoom(40);
        Eventually.await("two segments", Duration.ofSeconds(20), () -> playlistQuietly(fixture.hlsUrl(room)).segments().size() >= 2);
        for (int round = 0; round < 5; round++) {
            Playlist now = playlist(fixture.hlsUrl(room));
            long[] hint = Playlist.position(now.preloadHint());
            long askedPart = hint[1] + 1; // the part after the hinted one: certainly not there yet
            long started = System.nanoTime();
            HttpResponse<String> r = get(fixture.hlsUrl(room) + "?_HLS_msn=" + hint[0] + "&_HLS_part=" + askedPart);
            double waited = (System.nanoTime() - started) / 1e9;
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            assertThat(r.headers().firstValue("Cache-Control").orElseThrow()).startsWith("public, max-age=");
            Playlist answer = Playlist.parse(r.body());
            long[] newest = Playlist.position(answer.parts().get(answer.parts().size() - 1));
            boolean asked = answer.parts().stream().anyMatch(x -> Playlist.position(x)[0] == hint[0] && Playlist.position(x)[1] == askedPart);
            boolean later = newest[0] > hint[0] && answer.segments().stream().anyMatch(s -> Playlist.position(s)[0] == hint[0]);
            assertThat(asked || later).as("the answer has the asked part, or its segment ended and a later part exists: "
                    + newest[0] + "." + newest[1] + " for " + hint[0] + "." + askedPart).isTrue();
            assertThat(waited).as("two parts of 250 ms, with room for a loaded machine").isLessThan(1.5);
        }
    }

    @Test
    void deltaUpdateSkipsOldSegmentsAndKeepsTheirNumbering() throws Exception {
        Room room = liveRoom(40);
        // CAN-SKIP-UNTIL is six target durations (6 s here): with more than that in the window, older segments are skipped
        Eventually.await("nine segments", Duration.ofSeconds(30), () -> playlistQuietly(fixture.hlsUrl(room)).segments().size() >= 9);
        Playlist full = playlist(fixture.hlsUrl(room));
        HttpResponse<String> r = get(fixture.hlsUrl(room) + "?_HLS_skip=YES");
        assertThat(r.statusCode()).isEqualTo(200);
        Playlist delta = Playlist.parse(r.body());
        int skipped = Integer.parseInt(r.body().replaceAll("(?s).*#EXT-X-SKIP:SKIPPED-SEGMENTS=(\\d+)\n.*", "$1"));
        assertThat(skipped).isPositive();
        assertThat(delta.mediaSequence()).isEqualTo(full.mediaSequence());
        long firstListed = Playlist.position(delta.segments().get(0))[0];
        assertThat(firstListed).as("the first segment after the skip").isEqualTo(delta.mediaSequence() + skipped);
        double listed = delta.totalDuration();
        assertThat(listed).as("what is left starts within CAN-SKIP-UNTIL of the end").isLessThanOrEqualTo(6.0 + 0.01);
        assertThat(r.headers().firstValue("ETag")).isNotEqualTo(get(fixture.hlsUrl(room)).headers().firstValue("ETag"));
    }

    @Test
    void partNamedByThePreloadHintIsSentOnceItExists() throws Exception {
        Room room = liveRoom(40);
        Eventually.await("a segment", Duration.ofSeconds(20), () -> !playlistQuietly(fixture.hlsUrl(room)).segments().isEmpty());
        Playlist p = playlist(fixture.hlsUrl(room));
        HttpResponse<String> part = get(base() + p.preloadHint());
        assertThat(part.statusCode()).isEqualTo(200);
        assertThat(part.headers().firstValue("Content-Type")).hasValue("video/mp4");
        assertThat(part.body().substring(4, 8)).isEqualTo("moof");
        String name = p.preloadHint().substring(0, p.preloadHint().lastIndexOf('.'));
        long[] pos = Playlist.position(p.preloadHint());
        String beyond = p.preloadHint().replace("s" + pos[0] + "." + pos[1] + ".", "s" + pos[0] + "." + (pos[1] + 5) + ".");
        assertThat(get(base() + beyond).statusCode()).as("a part beyond the hint " + name).isEqualTo(404);
    }

    @Test
    void blockingReloadTimesOutAfterThreeTargetDurationsWhenNothingComes() throws Exception {
        Room room = liveRoom(40);
        Eventually.await("a segment", Duration.ofSeconds(20), () -> !playlistQuietly(fixture.hlsUrl(room)).segments().isEmpty());
        Ffmpeg.stop(processes.get(0)); // the room waits for its publisher (grace 5 s): live, but nothing new
        Playlist p = playlist(fixture.hlsUrl(room));
        long[] hint = Playlist.position(p.preloadHint());
        long started = System.nanoTime();
        HttpResponse<String> r = get(fixture.hlsUrl(room) + "?_HLS_msn=" + hint[0] + "&_HLS_part=" + (hint[1] + 1));
        double waited = (System.nanoTime() - started) / 1e9;
        assertThat(r.statusCode()).as(r.body()).isEqualTo(503);
        assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(waited).isBetween(2.9, 4.5);
    }

    @Test
    void publisherReconnectIsADiscontinuityAndTheEndAnEndList() throws Exception {
        Room room = liveRoom(40);
        Eventually.await("two segments", Duration.ofSeconds(20), () -> playlistQuietly(fixture.hlsUrl(room)).segments().size() >= 2);
        Ffmpeg.stop(processes.get(0));
        processes.add(Ffmpeg.publish(fixture.publishUrl(room), 4));
        Eventually.await("a discontinuity", Duration.ofSeconds(20), () -> playlistQuietly(fixture.hlsUrl(room)).discontinuities() == 1);
        Playlist ts = playlist(fixture.hlsUrl(room) + "?format=ts");
        assertThat(ts.discontinuities()).isEqualTo(1);
        Eventually.await("end list", Duration.ofSeconds(30), () -> playlistQuietly(fixture.hlsUrl(room)).endList());
        Playlist end = playlist(fixture.hlsUrl(room));
        assertThat(end.discontinuities()).isEqualTo(1);
        JsonNode probe = probe(fixture.hlsUrl(room), 60);
        assertThat(Ffmpeg.codecs(probe)).contains("video:h264", "audio:aac");
    }

    @Test
    void segmentsAndPlaylistsAnswerConditionalGets() throws Exception {
        Room room = liveRoom(40);
        Eventually.await("a segment", Duration.ofSeconds(20), () -> !playlistQuietly(fixture.hlsUrl(room)).segments().isEmpty());
        Playlist p = playlist(fixture.hlsUrl(room));
        HttpResponse<String> segment = get(base() + p.segments().get(0));
        assertThat(segment.statusCode()).isEqualTo(200);
        assertThat(segment.headers().firstValue("Cache-Control")).hasValue("public, max-age=31536000, immutable");
        String etag = segment.headers().firstValue("ETag").orElseThrow();
        assertThat(get(base() + p.segments().get(0), "If-None-Match", etag).statusCode()).isEqualTo(304);
        String init = p.text().replaceAll("(?s).*#EXT-X-MAP:URI=\"([^\"]+)\".*", "$1");
        HttpResponse<String> initResponse = get(base() + init);
        assertThat(initResponse.statusCode()).isEqualTo(200);
        assertThat(initResponse.body().substring(4, 8)).isEqualTo("ftyp");
        HttpResponse<String> blocked = get(fixture.hlsUrl(room) + "?_HLS_msn=" + p.mediaSequence());
        String playlistTag = blocked.headers().firstValue("ETag").orElseThrow();
        assertThat(get(fixture.hlsUrl(room) + "?_HLS_msn=" + p.mediaSequence(), "If-None-Match", playlistTag).statusCode())
                .as("same window, same playlist").isIn(200, 304);
    }

    @Test
    void waitersReleasedTogetherShareOneRenderingAndMediaIsTheSameBytesEveryTime() throws Exception {
        Room room = liveRoom(40);
        Eventually.await("a segment", Duration.ofSeconds(20), () -> !playlistQuietly(fixture.hlsUrl(room)).segments().isEmpty());
        Playlist p = playlist(fixture.hlsUrl(room));
        long[] hint = Playlist.position(p.preloadHint());
        String blocking = fixture.hlsUrl(room) + "?_HLS_msn=" + hint[0] + "&_HLS_part=" + (hint[1] + 1);
        RenderedPlaylists playlists = fixture.server.hls().find(room.id()).orElseThrow().playlists();
        long rendersBefore = playlists.renders();
        int waiters = 16;
        List<java.util.concurrent.CompletableFuture<HttpResponse<String>>> pending = new ArrayList<>();
        for (int i = 0; i < waiters; i++) {
            pending.add(http.sendAsync(HttpRequest.newBuilder(URI.create(blocking)).timeout(Duration.ofSeconds(15)).build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.ISO_8859_1)));
        }
        java.util.Map<String, String> bodyByTag = new java.util.HashMap<>();
        for (var f : pending) {
            HttpResponse<String> r = f.get(20, TimeUnit.SECONDS);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            String tag = r.headers().firstValue("ETag").orElseThrow();
            assertThat(bodyByTag.computeIfAbsent(tag, t -> r.body())).as("one window, one text").isEqualTo(r.body());
        }
        assertThat(bodyByTag.size()).as("the waiters are released by one window").isLessThan(waiters);
        assertThat(playlists.renders() - rendersBefore).as("one rendering per window answered, not per request")
                .isEqualTo(bodyByTag.size());

        Playlist now = playlist(fixture.hlsUrl(room));
        String init = now.text().replaceAll("(?s).*#EXT-X-MAP:URI=\"([^\"]+)\".*", "$1");
        for (String media : List.of(now.segments().get(now.segments().size() - 1), now.parts().get(0), init)) {
            HttpResponse<String> first = get(base() + media);
            HttpResponse<String> second = get(base() + media);
            assertThat(first.statusCode()).as(media).isEqualTo(200);
            assertThat(second.body()).as(media).isEqualTo(first.body()).isNotEmpty();
            assertThat(second.headers().firstValue("Content-Length")).hasValue(String.valueOf(first.body().length()));
            assertThat(second.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
            assertThat(second.headers().firstValue("Cache-Control")).hasValue("public, max-age=31536000, immutable");
        }
    }

    /**
     * The direct copy a response writes is released once written (only the window's reference is left), and freed when
     * its segment leaves the window; a request for it then is a 404. A response that did not release, or a release too
     * many, shows here as a count other than 1, or as a failed request.
     */
    @Test
    void mediaIsFreedOnceWrittenAndOnceItsSegmentLeavesTheWindow() throws Exception {
        Room room = liveRoom(40);
        Eventually.await("a segment", Duration.ofSeconds(20), () -> !playlistQuietly(fixture.hlsUrl(room)).segments().isEmpty());
        Playlist p = playlist(fixture.hlsUrl(room));
        String first = p.segments().get(0);
        long msn = Long.parseLong(first.replaceAll(".*s(\\d+)\\.m4s$", "$1"));
        io.openlive.engine.hls.Segmenter segmenter = fixture.server.hls().find(room.id()).orElseThrow();
        io.openlive.engine.hls.HlsSegment segment = segmenter.window().segment(msn);
        assertThat(segment).isNotNull();
        for (int i = 0; i < 3; i++) {
            assertThat(get(base() + first).statusCode()).isEqualTo(200);
            assertThat(get(base() + first.replace(".m4s", ".ts")).statusCode()).isEqualTo(200);
        }
        Eventually.await("every response's reference released", Duration.ofSeconds(5),
                () -> segment.fmp4Media().references() == 1 && segment.tsMedia().references() == 1);
        Eventually.await("the segment out of the window", Duration.ofSeconds(25), () -> segmenter.window().segment(msn) == null);
        assertThat(segment.fmp4Media().references()).as("freed with the window's reference").isZero();
        assertThat(segment.tsMedia().references()).isZero();
        assertThat(get(base() + first).statusCode()).isEqualTo(404);
    }

    @Test
    void badRequestsAreClearAndUnknownRoomsCostNothing() throws Exception {
        Room room = liveRoom(40);
        Eventually.await("a segment", Duration.ofSeconds(20), () -> !playlistQuietly(fixture.hlsUrl(room)).segments().isEmpty());
        Playlist p = playlist(fixture.hlsUrl(room));
        String url = fixture.hlsUrl(room);
        assertThat(get(url + "?_HLS_msn=-1").statusCode()).isEqualTo(400);
        assertThat(get(url + "?_HLS_msn=abc").statusCode()).isEqualTo(400);
        assertThat(get(url + "?_HLS_msn=" + (p.mediaSequence() + 1000)).statusCode()).isEqualTo(400);
        assertThat(get(url + "?_HLS_msn=99999999999999999999999").statusCode()).isEqualTo(400);
        assertThat(get(url + "?_HLS_part=1").statusCode()).isEqualTo(400);
        long[] hint = Playlist.position(playlist(url).preloadHint());
        assertThat(get(url + "?_HLS_msn=" + (hint[0] + 1) + "&_HLS_part=" + (hint[1] + 100)).statusCode())
                .as("far past the Advance Part Limit").isEqualTo(400);
        assertThat(get(url + "?_HLS_skip=NO").statusCode()).isEqualTo(400);
        assertThat(get(url + "?format=dash").statusCode()).isEqualTo(400);
        String segment = p.segments().get(0);
        String dir = segment.substring(0, segment.lastIndexOf('/') + 1);
        assertThat(get(base() + dir + "s999999.m4s").statusCode()).isEqualTo(404);
        assertThat(get(base() + dir + "s1.999.m4s").statusCode()).isEqualTo(404);
        assertThat(get(base() + dir + "init7.mp4").statusCode()).isEqualTo(404);
        assertThat(get(base() + dir + "passwd").statusCode()).isEqualTo(404);
        assertThat(get(base() + room.id() + "/othergen/s0.m4s").statusCode()).isEqualTo(404);
        assertThat(get(base() + dir + "..%2F..%2F..%2Fetc%2Fpasswd").statusCode()).isEqualTo(404);
        assertThat(get(base() + room.id() + "/../../../etc/passwd").statusCode()).isEqualTo(404);
        HttpResponse<String> unknown = get(fixture.http("/live/rnosuchroom.m3u8"));
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body()).contains("ROOM_NOT_LIVE");
        assertThat(unknown.headers().firstValue("Cache-Control")).hasValue("public, max-age=1");
        Room idle = fixture.newRoom("not live");
        assertThat(get(fixture.hlsUrl(idle)).statusCode()).isEqualTo(404);
        assertThat(fixture.server.hls().find(idle.id())).isEmpty();
        assertThat(fixture.server.hls().find("rnosuchroom")).isEmpty();
        assertThat(fixture.server.hub().stream(idle.id())).as("no stream is created for a playlist request").isEmpty();
    }

    private static Playlist playlistQuietly(String url) {
        try {
            HttpResponse<String> r = get(url);
            return r.statusCode() == 200 ? Playlist.parse(r.body()) : Playlist.parse("#EXTM3U\n");
        } catch (Exception e) {
            return Playlist.parse("#EXTM3U\n");
        }
    }

    /** ffprobe's streams and packets of an HLS URL, for at most {@code seconds} of media. */
    static JsonNode probe(String url, double seconds) throws Exception {
        Process p = new ProcessBuilder(Tools.require("ffprobe"), "-v", "error", "-rw_timeout", "10000000",
                "-show_entries", "stream=codec_name,codec_type,width,height:packet=codec_type,pts_time,flags",
                "-read_intervals", "%+" + seconds, "-of", "json", url)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("ffprobe did not finish on " + url);
        }
        return JSON.readTree(new String(out, StandardCharsets.UTF_8));
    }
}
