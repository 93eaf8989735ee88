package io.openlive.engine.hls;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.concurrent.ImmediateEventExecutor;
import io.openlive.engine.stream.Frame;
import io.openlive.protocol.hls.PlaylistWriter;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

class SegmenterTest {
    static final byte[] AVC_RECORD = HexFormat.of().parseHex(
            "0142c01fffe100176742c01fda014016ec0440000003004000000f03c60ca801000468ce0fc8");
    /** HEVCDecoderConfigurationRecord of libx265 (Main, 636x354), as an E-RTMP sequence start carries it. */
    static final byte[] HEVC_RECORD = HexFormat.of().parseHex(
            "0101600000009000000000003ff000fcfdf8f800000f03200001001840010c01ffff01600000030090000003000003003f95980921"
            + "0001002c42010101600000030090000003000003003fa005020169dc996566924caf016808000003000800000300c84022000100"
            + "074401c172b46240");
    private static final HlsConfig CONFIG = HlsConfig.defaults();

    private final Segmenter segmenter = new Segmenter("r1", CONFIG, ImmediateEventExecutor.INSTANCE);
    private long sequence;
    private int audioFrames;

    private void send(int type, int ts, byte[] body) {
        Frame f = Frame.of(UnpooledByteBufAllocator.DEFAULT, sequence++, type, ts, Unpooled.wrappedBuffer(body));
        segmenter.write(f);
        f.release();
        segmenter.flush();
    }

    private static byte[] concat(byte[] head, byte[] tail) {
        byte[] b = new byte[head.length + tail.length];
        System.arraycopy(head, 0, b, 0, head.length);
        System.arraycopy(tail, 0, b, head.length, tail.length);
        return b;
    }

    private void configs() {
        send(9, 0, concat(new byte[]{0x17, 0, 0, 0, 0}, AVC_RECORD));
        send(8, 0, new byte[]{(byte) 0xAF, 0, 0x12, 0x10});
    }

    /** Video at 30 fps with a key frame every second, and 44.1 kHz AAC, from {@code fromMs} for {@code ms}. */
    private void media(int fromMs, int ms) {
        int frame = (int) Math.ceil(fromMs * 30 / 1000.0);
        for (int t = fromMs; t < fromMs + ms; t++) {
            if (frame * 1000 / 30 == t) {
                boolean key = frame % 30 == 0;
                send(9, t, new byte[]{(byte) (key ? 0x17 : 0x27), 1, 0, 0, 0, 0, 0, 0, 2, (byte) (key ? 0x65 : 0x41), 0x10});
                frame++;
            }
            while ((long) audioFrames * 1024 * 1000 / 44100 <= t) {
                send(8, (int) ((long) audioFrames * 1024 * 1000 / 44100), new byte[]{(byte) 0xAF, 1, 0x21, 0x10, 0x04});
                audioFrames++;
            }
        }
    }

    @Test
    void segmentsStartOnKeyFramesAfterTheTargetAndPartsStayUnderTheirTarget() {
        configs();
        media(0, 7000);
        HlsWindow w = segmenter.window();
        assertThat(w.segments()).hasSize(3);
        for (HlsSegment s : w.segments()) {
            assertThat(s.duration()).isCloseTo(2.0, org.assertj.core.data.Offset.offset(0.04));
            assertThat(s.parts().get(0).independent()).isTrue();
            double sum = 0;
            for (int i = 0; i < s.parts().size(); i++) {
                HlsPart p = s.parts().get(i);
                assertThat(p.duration()).isLessThanOrEqualTo(0.3 + 1e-9);
                if (i < s.parts().size() - 1) {
                    assertThat(p.duration()).as("all but a segment's last part are at least 85%% of the target")
                            .isGreaterThanOrEqualTo(0.255);
                }
                sum += p.duration();
            }
            assertThat(sum).isCloseTo(s.duration(), org.assertj.core.data.Offset.offset(1e-9));
            assertThat(s.parts().stream().skip(1).noneMatch(HlsPart::independent)).isTrue();
        }
        assertThat(w.segments()).extracting(HlsSegment::msn).containsExactly(0L, 1L, 2L);
        assertThat(w.nextMsn()).isEqualTo(3);
        assertThat(w.inits()).containsOnlyKeys(0);
        assertThat(w.segments().get(1).programDateTime()).isAfter(w.segments().get(0).programDateTime());
        assertThat(w.segments().get(0).ts().length % 188).isZero();
    }

    @Test
    void windowSlidesAndCountsDiscontinuitiesThatLeaveIt() {
        configs();
        media(0, 5000);
        segmenter.publisherReturned();
        segmenter.flush();
        media(5000, 20000);
        HlsWindow w = segmenter.window();
        assertThat(w.segments()).hasSize(CONFIG.windowSegments());
        assertThat(w.discontinuitySequence()).isEqualTo(1);
        assertThat(w.segments().stream().noneMatch(HlsSegment::discontinuity)).isTrue();
    }

    @Test
    void publisherReturnEndsTheSegmentAndMarksTheNextOne() {
        configs();
        media(0, 3000);
        segmenter.publisherReturned();
        segmenter.flush();
        media(3000, 2500);
        HlsWindow w = segmenter.window();
        assertThat(w.segments()).hasSizeGreaterThanOrEqualTo(2);
        HlsSegment cut = w.segments().get(1);
        assertThat(cut.duration()).as("ended at the reconnect, not at a key frame").isCloseTo(1.0, org.assertj.core.data.Offset.offset(0.05));
        assertThat(cut.discontinuity()).isFalse();
        assertThat(w.segments().size() > 2 ? w.segments().get(2).discontinuity() : w.pendingDiscontinuity()).isTrue();
        assertThat(PlaylistWriter.write(HlsPlaylists.fmp4("r1", w, CONFIG), false)).contains("#EXT-X-DISCONTINUITY\n");
        assertThat(w.inits()).as("same headers: same init segment").containsOnlyKeys(0);
    }

    @Test
    void aDropCompletesThePartInFlightAndItsSegmentOnceAndTheReturnAddsNothing() {
        java.util.List<HlsPart> told = new java.util.ArrayList<>();
        segmenter.listen(new PartListener() {
            @Override
            public void onPart(HlsPart part, int initVersion, byte[] init) {
                told.add(part);
            }

            @Override
            public void onEnd(String reason) {
            }
        });
        configs();
        media(0, 1300);
        int before = told.size();
        segmenter.publisherDropped();
        segmenter.flush();
        HlsWindow w = segmenter.window();
        assertThat(w.segments()).hasSize(1);
        HlsSegment cut = w.segments().get(0);
        assertThat(cut.duration()).as("up to the end of the last frame").isCloseTo(1.3, org.assertj.core.data.Offset.offset(0.04));
        assertThat(cut.parts()).allMatch(p -> p.duration() <= 0.3 + 1e-9);
        assertThat(told).as("the part in flight went to the listener").hasSizeGreaterThan(before).last()
                .isSameAs(cut.parts().get(cut.parts().size() - 1));
        assertThat(w.pending()).isEmpty();
        segmenter.publisherDropped(); // nothing since the cut: nothing to do
        segmenter.publisherReturned();
        segmenter.flush();
        int afterCut = told.size();
        assertThat(segmenter.window().segments()).hasSize(1);
        media(1300, 2800); // the new session's first segment starts at its key frame (2 s) and closes at 4 s
        w = segmenter.window();
        assertThat(w.segments()).extracting(HlsSegment::msn).containsExactly(0L, 1L);
        assertThat(w.segments().get(1).discontinuity()).as("the return starts a new segment after a discontinuity").isTrue();
        String text = PlaylistWriter.write(HlsPlaylists.fmp4("r1", w, CONFIG), false);
        assertThat(text.split("#EXT-X-DISCONTINUITY\n", -1)).hasSize(2);
        segmenter.publisherDropped();
        segmenter.flush();
        int afterSecondCut = told.size();
        segmenter.close("stream ended"); // the grace ran out: the end finds nothing left to write
        assertThat(told).hasSize(afterSecondCut).hasSizeGreaterThan(afterCut);
        assertThat(segmenter.window().ended()).isTrue();
        assertThat(segmenter.window().segments()).extracting(HlsSegment::msn).containsExactly(0L, 1L, 2L);
    }

    @Test
    void newSequenceHeadersGetANewInitSegment() {
        configs();
        media(0, 2500);
        byte[] other = AVC_RECORD.clone();
        other[3] = 0x20; // another level
        send(9, 2500, concat(new byte[]{0x17, 0, 0, 0, 0}, other));
        media(3000, 2100);
        HlsWindow w = segmenter.window();
        assertThat(w.segments().get(w.segments().size() - 1).initVersion()).isEqualTo(1);
        assertThat(w.inits()).containsKeys(0, 1);
        String text = PlaylistWriter.write(HlsPlaylists.fmp4("r1", w, CONFIG), false);
        assertThat(text).contains("init0.mp4").contains("init1.mp4").contains("#EXT-X-DISCONTINUITY");
    }

    @Test
    void blockingRequestIsAnsweredOnlyOnceTheAskedPartExists() {
        configs();
        media(0, 2100);
        HlsWindow w = segmenter.window();
        long next = w.nextMsn();
        int nextPart = w.pending().size();
        CompletableFuture<HlsWindow> f = segmenter.await(next, nextPart);
        assertThat(f).isNotDone();
        CompletableFuture<HlsWindow> segment = segmenter.await(next, -1);
        int t = 2100;
        while (!f.isDone()) {
            media(t, 10);
            t += 10;
            assertThat(t).isLessThan(3000);
        }
        assertThat(f.join().part(next, nextPart)).isNotNull();
        assertThat(f.join().pending()).as("answered the moment the part came, with nothing newer").hasSize(nextPart + 1);
        assertThat(segment).isNotDone();
        assertThat(segmenter.waiting()).isEqualTo(1);
        segment.cancel(false);
        assertThat(segmenter.waiting()).isZero();
    }

    @Test
    void waitersBeyondTheLimitAreRefused() {
        Segmenter small = new Segmenter("r2", CONFIG.withMaxWaiters(2), ImmediateEventExecutor.INSTANCE);
        assertThat(small.await(5, 0)).isNotNull();
        assertThat(small.await(5, 1)).isNotNull();
        assertThat(small.await(5, 2)).isNull();
    }

    @Test
    void endOfStreamClosesTheLastSegmentAndAnswersEveryWaiter() {
        configs();
        media(0, 3000);
        CompletableFuture<HlsWindow> far = segmenter.await(100, 0);
        segmenter.close("stream ended");
        HlsWindow w = segmenter.window();
        assertThat(w.ended()).isTrue();
        assertThat(far).isDone();
        assertThat(w.segments()).hasSize(2);
        assertThat(w.segments().get(1).duration()).isCloseTo(1.0, org.assertj.core.data.Offset.offset(0.05));
        String text = PlaylistWriter.write(HlsPlaylists.fmp4("r1", w, CONFIG), false);
        assertThat(text).endsWith("#EXT-X-ENDLIST\n").doesNotContain("PRELOAD-HINT");
    }

    @Test
    void audioOnlyStreamIsCutOnAudio() {
        send(8, 0, new byte[]{(byte) 0xAF, 0, 0x12, 0x10});
        for (int i = 0; i < 44100 * 5 / 1024; i++) {
            send(8, (int) ((long) i * 1024 * 1000 / 44100), new byte[]{(byte) 0xAF, 1, 0x21, 0x10});
        }
        HlsWindow w = segmenter.window();
        assertThat(w.segments()).hasSize(2);
        assertThat(w.segments().get(0).duration()).isCloseTo(2.0, org.assertj.core.data.Offset.offset(0.03));
    }

    /** E-RTMP ExVideoTagHeader with FourCC hvc1: FrameType, PacketType; CodedFrames (1) add an SI24 composition offset. */
    private static byte[] hevc(int frameType, int packetType, int cts, byte[] data) {
        byte[] head = packetType == 1
                ? new byte[]{(byte) (0x80 | frameType << 4 | packetType), 'h', 'v', 'c', '1', (byte) (cts >> 16), (byte) (cts >> 8), (byte) cts}
                : new byte[]{(byte) (0x80 | frameType << 4 | packetType), 'h', 'v', 'c', '1'};
        return concat(head, data);
    }

    @Test
    void hevcOverEnhancedRtmpIsCutOnKeyFramesIntoAnHvc1Stream() {
        send(9, 0, hevc(1, 0, 0, HEVC_RECORD));
        send(8, 0, new byte[]{(byte) 0xAF, 0, 0x12, 0x10});
        for (int i = 0; i < 75; i++) { // 3 s at 25 fps, a key frame every second
            boolean key = i % 25 == 0;
            // IDR_W_RADL (nal_unit_type 19) or TRAIL_R (1), as one length-prefixed NAL unit
            byte[] nal = {0, 0, 0, 3, (byte) (key ? 0x26 : 0x02), 0x01, (byte) i};
            send(9, i * 40, i % 2 == 0 ? hevc(key ? 1 : 2, 1, 80, nal) : hevc(2, 3, 0, nal));
            while ((long) audioFrames * 1024 * 1000 / 44100 <= i * 40) {
                send(8, (int) ((long) audioFrames * 1024 * 1000 / 44100), new byte[]{(byte) 0xAF, 1, 0x21, 0x10, 0x04});
                audioFrames++;
            }
        }
        HlsWindow w = segmenter.window();
        assertThat(w.segments()).hasSize(1);
        HlsSegment first = w.segments().get(0);
        assertThat(first.duration()).isCloseTo(2.0, org.assertj.core.data.Offset.offset(0.001));
        String init = new String(w.inits().get(0), java.nio.charset.StandardCharsets.ISO_8859_1);
        assertThat(init).contains("hvc1", "hvcC", "mp4a").doesNotContain("avc1");
        assertThat(init).contains(new String(HEVC_RECORD, java.nio.charset.StandardCharsets.ISO_8859_1));
        // the first part's video trun: CodedFrames keep their 80 ms offset, CodedFramesX have none
        byte[] part = first.parts().get(0).bytes();
        int trun = new String(part, java.nio.charset.StandardCharsets.ISO_8859_1).indexOf("trun") + 4;
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(part);
        assertThat(b.getInt(trun + 4)).as("samples").isGreaterThan(2);
        int firstSample = trun + 12;
        assertThat(b.getInt(firstSample)).as("duration").isEqualTo(3600);
        assertThat(b.getInt(firstSample + 4)).as("size").isEqualTo(7);
        assertThat(b.getInt(firstSample + 8)).as("sync sample").isEqualTo(0x02000000);
        assertThat(b.getInt(firstSample + 12)).as("composition offset").isEqualTo(80 * 90);
        assertThat(b.getInt(firstSample + 16 + 8)).as("not a sync sample").isEqualTo(0x01010000);
        assertThat(b.getInt(firstSample + 16 + 12)).isZero();
        byte[] ts = first.ts();
        assertThat(ts.length % 188).isZero();
        assertThat(ts[188 + 5 + 12]).as("PMT stream_type HEVC").isEqualTo((byte) 0x24);
    }

    @Test
    void hevcUnderTheLegacyCodecId12IsReadLikeAvc() {
        send(9, 0, concat(new byte[]{0x1C, 0, 0, 0, 0}, HEVC_RECORD)); // key frame, CodecID 12, sequence header
        for (int i = 0; i < 60; i++) {
            boolean key = i % 25 == 0;
            byte[] nal = {0, 0, 0, 3, (byte) (key ? 0x26 : 0x02), 0x01, (byte) i};
            send(9, i * 40, concat(new byte[]{(byte) (key ? 0x1C : 0x2C), 1, 0, 0, 0}, nal));
        }
        HlsWindow w = segmenter.window();
        assertThat(w.segments()).hasSize(1);
        assertThat(new String(w.inits().get(0), java.nio.charset.StandardCharsets.ISO_8859_1)).contains("hvcC");
    }

    @Test
    void otherCodecsAreLeftOut() {
        send(9, 0, new byte[]{0x12, 0, 0, 0}); // Sorenson H.263 frame
        send(8, 0, new byte[]{0x2F, 0, 0}); // MP3
        assertThat(segmenter.window()).isNull();
        ByteBuf none = Unpooled.EMPTY_BUFFER;
        assertThat(FrameSamples.videoFrame(none)).isNull();
        assertThat(FrameSamples.aacFrame(none)).isNull();
    }

    /**
     * Audio stamped by a clock faster or slower than its sample rate (a capture card's, or the demo room's loop, whose
     * passes ran 17 ms longer than its audio): the audio track has no holes and no overlaps from part to part, since a
     * browser stalls at a hole in what it has buffered, and stays within about a frame of the stamps.
     */
    @Test
    void audioFromADriftingClockHasNoHolesAndFollowsTheStamps() throws Exception {
        for (double clock : new double[]{1.004, 0.996}) {
            Segmenter s = new Segmenter("r1", CONFIG, ImmediateEventExecutor.INSTANCE);
            Sender to = (type, ts, body) -> {
                Frame f = Frame.of(UnpooledByteBufAllocator.DEFAULT, sequence++, type, ts, Unpooled.wrappedBuffer(body));
                s.write(f);
                f.release();
                s.flush();
            };
            to.send(9, 0, concat(new byte[]{0x17, 0, 0, 0, 0}, AVC_RECORD));
            to.send(8, 0, new byte[]{(byte) 0xAF, 0, 0x12, 0x10});
            int frames = 0;
            int lastStamp = 0;
            for (int t = 0; t < 20_000; t += 40) {
                boolean key = t % 1000 == 0;
                to.send(9, t, new byte[]{(byte) (key ? 0x17 : 0x27), 1, 0, 0, 0, 0, 0, 0, 2, (byte) (key ? 0x65 : 0x41), 0x10});
                while ((lastStamp = (int) Math.round(frames * 1024 * 1000 / 44100.0 * clock)) <= t) {
                    to.send(8, lastStamp, new byte[]{(byte) 0xAF, 1, 0x21, 0x10, 0x04});
                    frames++;
                }
            }
            long end = -1;
            int parts = 0;
            for (HlsSegment seg : s.window().segments()) {
                for (HlsPart p : seg.parts()) {
                    java.util.List<io.openlive.kernel.fmp4.FragmentedIndex.Run> runs = runs(s.window().inits().get(0), p.bytes());
                    io.openlive.kernel.fmp4.FragmentedIndex.Run video = track(runs, io.openlive.kernel.fmp4.Fmp4Init.VIDEO_TRACK);
                    io.openlive.kernel.fmp4.FragmentedIndex.Run audio = track(runs, io.openlive.kernel.fmp4.Fmp4Init.AUDIO_TRACK);
                    if (end >= 0) {
                        assertThat(audio.baseDecodeTime()).as("audio continues where the part before ended, clock " + clock).isEqualTo(end);
                    }
                    end = audio.baseDecodeTime() + audio.samples().stream().mapToLong(x -> x.duration()).sum();
                    double drift = audio.baseDecodeTime() / 44100.0 - video.baseDecodeTime() / 90000.0;
                    assertThat(Math.abs(drift)).as("audio of a part starts within two frames of its video, clock " + clock)
                            .isLessThan(2 * 1024 / 44100.0);
                    parts++;
                }
            }
            assertThat(parts).isGreaterThan(40);
        }
    }

    @FunctionalInterface
    private interface Sender {
        void send(int type, int ts, byte[] body);
    }

    /** The runs of one part, read back from its fMP4 bytes behind the init segment. */
    private static java.util.List<io.openlive.kernel.fmp4.FragmentedIndex.Run> runs(byte[] init, byte[] part) throws Exception {
        java.nio.file.Path file = java.nio.file.Files.createTempFile("segmenter", ".mp4");
        try {
            java.nio.file.Files.write(file, concat(init, part));
            try (java.nio.channels.SeekableByteChannel in = java.nio.file.Files.newByteChannel(file)) {
                return io.openlive.kernel.fmp4.FragmentedIndex.read(in).runs();
            }
        } finally {
            java.nio.file.Files.deleteIfExists(file);
        }
    }

    private static io.openlive.kernel.fmp4.FragmentedIndex.Run track(java.util.List<io.openlive.kernel.fmp4.FragmentedIndex.Run> runs, int id) {
        return runs.stream().filter(r -> r.trackId() == id).findFirst().orElseThrow(() -> new AssertionError("no track " + id + " in a part"));
    }

    @Test
    void configRejectsPartsLongerThanHalfTheTarget() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> CONFIG.withPartTarget(Duration.ofMillis(1500)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
