package io.openlive.protocol.hls;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PlaylistWriterTest {
    private static final Instant T0 = Instant.parse("2026-12-02T21:00:00.000Z");

    private static MediaPlaylist.Segment segment(int msn, boolean discontinuity, List<MediaPlaylist.Part> parts) {
        return new MediaPlaylist.Segment("s" + msn + ".m4s", 2.0, "init0.mp4", T0.plusSeconds(2L * msn), discontinuity, parts);
    }

    private static List<MediaPlaylist.Part> parts(int msn) {
        return List.of(new MediaPlaylist.Part("s" + msn + ".0.m4s", 1.0, true), new MediaPlaylist.Part("s" + msn + ".1.m4s", 1.0, false));
    }

    private static MediaPlaylist live(int count, boolean end) {
        List<MediaPlaylist.Segment> segments = new ArrayList<>();
        for (int i = 10; i < 10 + count; i++) {
            segments.add(segment(i, i == 12, i >= 10 + count - 2 ? parts(i) : List.of()));
        }
        return new MediaPlaylist(9, 2, 0.5, 10, 3, new MediaPlaylist.ServerControl(true, 1.5, 12), null, segments,
                end ? List.of() : List.of(new MediaPlaylist.Part("s" + (10 + count) + ".0.m4s", 0.5, true)),
                end ? null : "s" + (10 + count) + ".1.m4s", end);
    }

    @Test
    void headerTagsInOrder() {
        String text = PlaylistWriter.write(live(3, false), false);
        assertThat(text).startsWith("""
                #EXTM3U
                #EXT-X-VERSION:9
                #EXT-X-TARGETDURATION:2
                #EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,PART-HOLD-BACK=1.5,CAN-SKIP-UNTIL=12
                #EXT-X-PART-INF:PART-TARGET=0.5
                #EXT-X-MEDIA-SEQUENCE:10
                #EXT-X-DISCONTINUITY-SEQUENCE:3
                #EXT-X-INDEPENDENT-SEGMENTS
                """);
    }

    @Test
    void segmentsWithMapDateTimeDiscontinuityPartsAndPreloadHint() {
        String text = PlaylistWriter.write(live(3, false), false);
        assertThat(text).endsWith("""
                #EXT-X-MAP:URI="init0.mp4"
                #EXT-X-PROGRAM-DATE-TIME:2026-12-02T21:00:20.000Z
                #EXTINF:2,
                s10.m4s
                #EXT-X-PROGRAM-DATE-TIME:2026-12-02T21:00:22.000Z
                #EXT-X-PART:DURATION=1,URI="s11.0.m4s",INDEPENDENT=YES
                #EXT-X-PART:DURATION=1,URI="s11.1.m4s"
                #EXTINF:2,
                s11.m4s
                #EXT-X-DISCONTINUITY
                #EXT-X-PROGRAM-DATE-TIME:2026-12-02T21:00:24.000Z
                #EXT-X-PART:DURATION=1,URI="s12.0.m4s",INDEPENDENT=YES
                #EXT-X-PART:DURATION=1,URI="s12.1.m4s"
                #EXTINF:2,
                s12.m4s
                #EXT-X-PART:DURATION=0.5,URI="s13.0.m4s",INDEPENDENT=YES
                #EXT-X-PRELOAD-HINT:TYPE=PART,URI="s13.1.m4s"
                """);
    }

    @Test
    void endedPlaylistHasEndListAndNoHint() {
        String text = PlaylistWriter.write(live(3, true), false);
        assertThat(text).endsWith("s12.m4s\n#EXT-X-ENDLIST\n").doesNotContain("PRELOAD-HINT");
    }

    @Test
    void deltaUpdateSkipsSegmentsOlderThanCanSkipUntil() {
        // 10 segments of 2 s plus a 0.5 s part: those starting more than 12 s before the end are skipped
        MediaPlaylist p = live(10, false);
        String text = PlaylistWriter.write(p, true);
        assertThat(text).contains("#EXT-X-SKIP:SKIPPED-SEGMENTS=5\n");
        assertThat(text).doesNotContain("s14.m4s\n").contains("s15.m4s\n").contains("s19.m4s\n");
        assertThat(text.indexOf("#EXT-X-SKIP")).isLessThan(text.indexOf("#EXT-X-MAP"));
        assertThat(text).contains("#EXT-X-MEDIA-SEQUENCE:10\n");
        // everything kept starts within 12 s of the end: 5 x 2 s + 0.5 s
        assertThat(PlaylistWriter.skippable(p, 12)).isEqualTo(5);
        assertThat(PlaylistWriter.write(live(3, false), true)).as("nothing old enough to skip").doesNotContain("EXT-X-SKIP");
    }

    @Test
    void classicPlaylistHasNoLowLatencyTags() {
        MediaPlaylist p = new MediaPlaylist(3, 2, 0, 0, 0, null, null,
                List.of(new MediaPlaylist.Segment("s0.ts", 1.96667, null, null, false, List.of())), List.of(), null, false);
        String text = PlaylistWriter.write(p, false);
        assertThat(text).isEqualTo("""
                #EXTM3U
                #EXT-X-VERSION:3
                #EXT-X-TARGETDURATION:2
                #EXT-X-MEDIA-SEQUENCE:0
                #EXT-X-INDEPENDENT-SEGMENTS
                #EXTINF:1.96667,
                s0.ts
                """);
    }

    @Test
    void vodPlaylistType() {
        MediaPlaylist p = new MediaPlaylist(6, 2, 0, 0, 0, null, "VOD",
                List.of(new MediaPlaylist.Segment("s0.m4s", 2, "init.mp4", null, false, List.of())), List.of(), null, true);
        assertThat(PlaylistWriter.write(p, false)).contains("#EXT-X-PLAYLIST-TYPE:VOD\n").endsWith("#EXT-X-ENDLIST\n");
    }

    @Test
    void decimalsHaveNoExponentAndAtMostFiveDigits() {
        assertThat(PlaylistWriter.decimal(0.333333333)).isEqualTo("0.33333");
        assertThat(PlaylistWriter.decimal(2)).isEqualTo("2");
        assertThat(PlaylistWriter.decimal(0.00001)).isEqualTo("0.00001");
    }

    @Test
    void deliveryDirectives() {
        assertThat(BlockingRequest.parse(Map.of())).isEqualTo(BlockingRequest.NONE);
        assertThat(BlockingRequest.parse(Map.of("_HLS_msn", "12", "_HLS_part", "3", "_HLS_skip", "YES")))
                .isEqualTo(new BlockingRequest(12, 3, true));
        assertThat(BlockingRequest.parse(Map.of("_HLS_msn", "12")).blocks()).isTrue();
        assertThatThrownBy(() -> BlockingRequest.parse(Map.of("_HLS_msn", "-1"))).hasMessageContaining("decimal integer");
        assertThatThrownBy(() -> BlockingRequest.parse(Map.of("_HLS_msn", "1e9"))).hasMessageContaining("decimal integer");
        assertThatThrownBy(() -> BlockingRequest.parse(Map.of("_HLS_msn", "99999999999999999999"))).hasMessageContaining("decimal integer");
        assertThatThrownBy(() -> BlockingRequest.parse(Map.of("_HLS_part", "1"))).hasMessageContaining("needs _HLS_msn");
        assertThatThrownBy(() -> BlockingRequest.parse(Map.of("_HLS_skip", "NO"))).hasMessageContaining("YES or v2");
    }
}
