package io.openlive.engine.hls;

import io.openlive.kernel.codec.AacConfig;
import io.openlive.kernel.codec.AvcConfig;
import io.openlive.kernel.codec.Sample;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class HlsSegmentTest {
    /** A 2 s segment of 30 fps video with 60 KB frames and AAC: muxing it takes long enough for callers to overlap. */
    static HlsSegment segment() throws Exception {
        List<Sample> video = new ArrayList<>();
        byte[] frame = new byte[60_000];
        int nal = frame.length - 4; // one length-prefixed NAL unit (an IDR slice) filling the frame
        frame[1] = (byte) (nal >>> 16);
        frame[2] = (byte) (nal >>> 8);
        frame[3] = (byte) nal;
        frame[4] = 0x65;
        for (int i = 0; i < 60; i++) {
            video.add(new Sample(i * 3000L, 3000, 0, i == 0, frame));
        }
        List<Sample> audio = new ArrayList<>();
        for (int i = 0; i < 86; i++) {
            audio.add(new Sample(i * 1024L, 1024, 0, true, new byte[]{0x21, 0x10, 0x04}));
        }
        return new HlsSegment(0, 2.0, Instant.EPOCH, false, 0, List.of(), AvcConfig.parse(SegmenterTest.AVC_RECORD),
                AacConfig.parse(new byte[]{0x12, 0x10}), video, audio);
    }

    @Test
    void callersArrivingTogetherShareOneMuxedCopy() throws Exception {
        HlsSegment s = segment();
        assertThat(s.tsIfMuxed()).isNull();
        int callers = 8;
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<byte[]>> results = new ArrayList<>();
            for (int i = 0; i < callers; i++) {
                results.add(pool.submit(() -> {
                    go.await();
                    return s.ts();
                }));
            }
            go.countDown();
            byte[] first = results.get(0).get(30, TimeUnit.SECONDS);
            for (Future<byte[]> f : results) {
                // the same array, not an equal one muxed again by another caller
                assertThat(f.get(30, TimeUnit.SECONDS)).isSameAs(first);
            }
            assertThat(s.tsIfMuxed()).isSameAs(first);
            assertThat(first.length % 188).isZero();
        } finally {
            pool.shutdownNow();
        }
    }
}
