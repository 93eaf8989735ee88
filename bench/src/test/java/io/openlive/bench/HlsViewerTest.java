package io.openlive.bench;

import org.junit.jupiter.api.Test;

import java.net.URI;

import static org.assertj.core.api.Assertions.assertThat;

class HlsViewerTest {
    @Test
    void joinsTheLatestChunkWithEnoughMediaAfterIt() {
        double[] segments = {2, 2, 2, 2, 2, 2};
        assertThat(HlsViewer.startIndex(segments, 6)).isEqualTo(3); // 3 target durations: the last three segments
        assertThat(HlsViewer.startIndex(segments, 5)).isEqualTo(3);
        assertThat(HlsViewer.startIndex(segments, 100)).isZero(); // not enough listed: from the first
        double[] parts = {0.3, 0.3, 0.3, 0.3, 0.2, 0.3, 0.3};
        assertThat(HlsViewer.startIndex(parts, 0.9)).isEqualTo(3); // PART-HOLD-BACK: 0.3 + 0.3 + 0.2 is not enough
        // 0.3 + 0.3 + 0.3 is 0.8999999999999999 in doubles: still three parts, not four
        assertThat(HlsViewer.startIndex(new double[]{0.3, 0.3, 0.3, 0.3}, 0.9)).isEqualTo(1);
    }

    @Test
    void blockingReloadAddsItsParametersToThePlaylistsOwnQuery() {
        assertThat(HlsViewer.blockingUri(URI.create("http://h:1/live/r.m3u8"), 42, 3, false))
                .hasToString("http://h:1/live/r.m3u8?_HLS_msn=42&_HLS_part=3");
        assertThat(HlsViewer.blockingUri(URI.create("http://h:1/live/r.m3u8?token=a"), 42, 0, true))
                .hasToString("http://h:1/live/r.m3u8?token=a&_HLS_msn=42&_HLS_part=0&_HLS_skip=YES");
    }
}
