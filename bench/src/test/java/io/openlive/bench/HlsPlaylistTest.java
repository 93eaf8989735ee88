package io.openlive.bench;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HlsPlaylistTest {
    /** An LL-HLS playlist as openlive writes it: parts for the newest segment, then the one in progress and its hint. */
    static final String LL = """
            #EXTM3U
            #EXT-X-VERSION:9
            #EXT-X-TARGETDURATION:2
            #EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,PART-HOLD-BACK=0.9,CAN-SKIP-UNTIL=12
            #EXT-X-PART-INF:PART-TARGET=0.3
            #EXT-X-MEDIA-SEQUENCE:41
            #EXT-X-INDEPENDENT-SEGMENTS
            #EXT-X-MAP:URI="r1/g/init0.mp4"
            #EXT-X-PROGRAM-DATE-TIME:2026-12-03T00:21:43.203Z
            #EXTINF:2,
            r1/g/s41.m4s
            #EXT-X-PROGRAM-DATE-TIME:2026-12-03T00:21:45.203Z
            #EXT-X-PART:DURATION=0.3,URI="r1/g/s42.0.m4s",INDEPENDENT=YES
            #EXT-X-PART:DURATION=0.3,URI="r1/g/s42.1.m4s"
            #EXT-X-PART:DURATION=1.4,URI="r1/g/s42.2.m4s"
            #EXTINF:2,
            r1/g/s42.m4s
            #EXT-X-PART:DURATION=0.3,URI="r1/g/s43.0.m4s",INDEPENDENT=YES
            #EXT-X-PART:DURATION=0.25,URI="r1/g/s43.1.m4s"
            #EXT-X-PRELOAD-HINT:TYPE=PART,URI="r1/g/s43.2.m4s"
            """;

    @Test
    void readsSegmentsPartsAndServerControlOfAnLlHlsPlaylist() {
        HlsPlaylist p = HlsPlaylist.parse(LL);
        assertThat(p.targetDuration()).isEqualTo(2);
        assertThat(p.partTarget()).isEqualTo(0.3);
        assertThat(p.partHoldBack()).isEqualTo(0.9);
        assertThat(p.canBlockReload()).isTrue();
        assertThat(p.canSkipUntil()).isEqualTo(12);
        assertThat(p.segments()).extracting(HlsPlaylist.Segment::msn).containsExactly(41L, 42L);
        assertThat(p.segments().get(0).parts()).isEmpty();
        assertThat(p.segments().get(1).parts()).extracting(HlsPlaylist.Part::msn, HlsPlaylist.Part::index)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(42L, 0), org.assertj.core.groups.Tuple.tuple(42L, 1),
                        org.assertj.core.groups.Tuple.tuple(42L, 2));
        assertThat(p.segments().get(1).parts().get(0).independent()).isTrue();
        assertThat(p.segments().get(1).parts().get(1).independent()).isFalse();
        assertThat(p.nextMsn()).isEqualTo(43);
        assertThat(p.trailingParts()).extracting(HlsPlaylist.Part::uri).containsExactly("r1/g/s43.0.m4s", "r1/g/s43.1.m4s");
        assertThat(p.lastPart().msn()).isEqualTo(43);
        assertThat(p.lastPart().index()).isEqualTo(1);
        assertThat(p.allParts()).hasSize(5);
        assertThat(p.preloadHint()).isEqualTo("r1/g/s43.2.m4s");
        assertThat(p.endList()).isFalse();
        // the newest media ends 2 s (s42) + 0.55 s (s43's parts) after s42's date time
        assertThat(p.liveEdge()).isEqualTo(Instant.parse("2026-12-03T00:21:47.753Z"));
    }

    @Test
    void aDeltaUpdateNumbersItsSegmentsAfterTheSkippedOnes() {
        String delta = """
                #EXTM3U
                #EXT-X-TARGETDURATION:2
                #EXT-X-MEDIA-SEQUENCE:10
                #EXT-X-SKIP:SKIPPED-SEGMENTS=3
                #EXTINF:2.0,
                s13.m4s
                #EXT-X-PART:DURATION=0.3,URI="s14.0.m4s"
                """;
        HlsPlaylist p = HlsPlaylist.parse(delta);
        assertThat(p.skipped()).isEqualTo(3);
        assertThat(p.segments()).singleElement().extracting(HlsPlaylist.Segment::msn).isEqualTo(13L);
        assertThat(p.lastPart().msn()).isEqualTo(14);
        assertThat(p.liveEdge()).isNull(); // no date time
    }

    @Test
    void readsAClassicPlaylistAsNginxRtmpWritesIt() {
        String nginx = """
                #EXTM3U
                #EXT-X-VERSION:3
                #EXT-X-MEDIA-SEQUENCE:7
                #EXT-X-TARGETDURATION:2
                #EXTINF:2.000,
                bench-7.ts
                #EXTINF:2.001,
                bench-8.ts
                """;
        HlsPlaylist p = HlsPlaylist.parse(nginx);
        assertThat(p.segments()).extracting(HlsPlaylist.Segment::uri).containsExactly("bench-7.ts", "bench-8.ts");
        assertThat(p.segments().get(1).duration()).isEqualTo(2.001);
        assertThat(p.segments().get(1).msn()).isEqualTo(8);
        assertThat(p.lastPart()).isNull();
        assertThat(p.canBlockReload()).isFalse();
    }

    @Test
    void attributeListsKeepCommasInsideQuotedStrings() {
        assertThat(HlsPlaylist.attributes("TYPE=PART,URI=\"a,b.m4s\",BYTERANGE-START=10"))
                .containsEntry("TYPE", "PART").containsEntry("URI", "a,b.m4s").containsEntry("BYTERANGE-START", "10");
    }

    @Test
    void refusesWhatIsNotAMediaPlaylist() {
        assertThatThrownBy(() -> HlsPlaylist.parse("{\"error\":{}}")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HlsPlaylist.parse("#EXTM3U\n#EXTINF:2,\ns1.ts\n")).hasMessageContaining("TARGETDURATION");
        assertThatThrownBy(() -> HlsPlaylist.parse("#EXTM3U\n#EXT-X-TARGETDURATION:2\ns1.ts\n")).hasMessageContaining("without #EXTINF");
    }
}
