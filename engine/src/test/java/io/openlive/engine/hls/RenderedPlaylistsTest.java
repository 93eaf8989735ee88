package io.openlive.engine.hls;

import io.netty.buffer.ByteBufUtil;
import io.openlive.kernel.codec.AacConfig;
import io.openlive.kernel.codec.AvcConfig;
import io.openlive.protocol.hls.PlaylistWriter;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class RenderedPlaylistsTest {
    private static final HlsConfig CONFIG = HlsConfig.defaults();

    /** A window of {@code segments} one-part segments and one pending part, as a segmenter would publish it. */
    private static HlsWindow window(int segments) {
        List<HlsSegment> complete = new ArrayList<>();
        for (int msn = 0; msn < segments; msn++) {
            complete.add(new HlsSegment(msn, 2.0, Instant.EPOCH.plusSeconds(2L * msn), false, 0,
                    List.of(new HlsPart(msn, 0, 2.0, true, new byte[]{1, 2, 3})),
                    AvcConfig.parse(SegmenterTest.AVC_RECORD), AacConfig.parse(new byte[]{0x12, 0x10}), List.of(), List.of()));
        }
        return new HlsWindow("g1", complete, segments, List.of(new HlsPart(segments, 0, 0.3, true, new byte[]{4})),
                false, 0, Map.of(0, new SharedBytes(new byte[]{5})), 0, 2, false);
    }

    private static String text(SharedBytes b) {
        io.netty.buffer.ByteBuf view = b.view();
        try {
            return new String(ByteBufUtil.getBytes(view), StandardCharsets.UTF_8);
        } finally {
            view.release();
        }
    }

    @Test
    void eachKindIsWhatThePlaylistWriterWrites() {
        RenderedPlaylists playlists = new RenderedPlaylists("r1", CONFIG);
        HlsWindow w = window(12);
        assertThat(text(playlists.get(w, RenderedPlaylists.Kind.FMP4)))
                .isEqualTo(PlaylistWriter.write(HlsPlaylists.fmp4("r1", w, CONFIG), false));
        assertThat(text(playlists.get(w, RenderedPlaylists.Kind.FMP4_DELTA)))
                .isEqualTo(PlaylistWriter.write(HlsPlaylists.fmp4("r1", w, CONFIG), true)).contains("#EXT-X-SKIP");
        assertThat(text(playlists.get(w, RenderedPlaylists.Kind.TS)))
                .isEqualTo(PlaylistWriter.write(HlsPlaylists.ts("r1", w), false));
        assertThat(playlists.renders()).isEqualTo(3);
    }

    @Test
    void waitersReleasedTogetherByOneWindowShareOneRendering() throws Exception {
        RenderedPlaylists playlists = new RenderedPlaylists("r1", CONFIG);
        HlsWindow w = window(5);
        int requests = 16;
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<SharedBytes>> answers = new ArrayList<>();
            for (int i = 0; i < requests; i++) {
                answers.add(pool.submit(() -> {
                    go.await();
                    return playlists.get(w, RenderedPlaylists.Kind.FMP4);
                }));
            }
            go.countDown();
            SharedBytes first = answers.get(0).get(30, TimeUnit.SECONDS);
            for (Future<SharedBytes> f : answers) {
                assertThat(f.get(30, TimeUnit.SECONDS)).isSameAs(first);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(playlists.renders()).as("one rendering for " + requests + " requests").isEqualTo(1);
        io.netty.buffer.ByteBuf one = playlists.get(w, RenderedPlaylists.Kind.FMP4).view();
        io.netty.buffer.ByteBuf two = playlists.get(w, RenderedPlaylists.Kind.FMP4).view();
        assertThat(SharedBytesTest.root(one)).isSameAs(SharedBytesTest.root(two));
        one.release();
        two.release();
    }

    @Test
    void aNewWindowIsRenderedAnewAndOnlyTheLastFewAreHeld() {
        RenderedPlaylists playlists = new RenderedPlaylists("r1", CONFIG);
        HlsWindow older = window(3);
        HlsWindow newer = window(4);
        SharedBytes before = playlists.get(older, RenderedPlaylists.Kind.FMP4);
        SharedBytes after = playlists.get(newer, RenderedPlaylists.Kind.FMP4);
        assertThat(after).isNotSameAs(before);
        assertThat(text(after)).contains("s3.m4s");
        assertThat(playlists.get(older, RenderedPlaylists.Kind.FMP4)).as("a late request for the window before")
                .isSameAs(before);
        assertThat(playlists.renders()).isEqualTo(2);
        for (int i = 0; i < RenderedPlaylists.WINDOWS; i++) {
            playlists.get(window(5 + i), RenderedPlaylists.Kind.FMP4);
        }
        long renders = playlists.renders();
        assertThat(playlists.get(older, RenderedPlaylists.Kind.FMP4)).as("held no longer: rendered again")
                .isNotSameAs(before);
        assertThat(playlists.renders()).isEqualTo(renders + 1);
    }

    @Test
    void aSegmenterKeepsOneSetOfRenderingsForItsRoom() {
        Segmenter s = new Segmenter("r9", CONFIG, io.netty.util.concurrent.ImmediateEventExecutor.INSTANCE);
        assertThat(s.playlists()).isSameAs(s.playlists());
        assertThat(text(s.playlists().get(window(2), RenderedPlaylists.Kind.TS))).contains("r9/g1/s1.ts");
    }
}
