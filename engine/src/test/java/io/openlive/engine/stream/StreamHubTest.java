package io.openlive.engine.stream;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StreamHubTest {
    private final ManualScheduler scheduler = new ManualScheduler();
    private final List<String> events = new ArrayList<>();
    private final List<String> delays = new ArrayList<>();
    private final List<RecordingSink> sinks = new ArrayList<>();
    private StreamHub hub = hub(StreamConfig.defaults());

    @Test
    void viewersHearOfFramesAtFlushSoABatchGoesOutTogether() throws Exception {
        Publisher p = hub.publish("r1", "test");
        RecordingSink viewer = play("r1");
        ByteBuf config = body(0x17, 0x00, 0, 0, 0, 1);
        ByteBuf key = body(0x17, 0x01, 0, 0, 0, 0x65);
        p.write(9, 0, config);
        p.write(9, 0, key);
        config.release();
        key.release();
        assertThat(viewer.frames).isEmpty();
        p.flush();
        assertThat(viewer.kinds()).containsExactly("VIDEO_CONFIG@0", "KEYFRAME@0");
    }

    @Test
    void aMergeWindowSendsWhatArrivesWithinItInOneGoAndAnIsolatedBatchAtOnce() throws Exception {
        hub.close();
        hub = hub(StreamConfig.defaults().withMergeWindow(java.time.Duration.ofMillis(33)));
        Publisher p = hub.publish("r1", "test");
        RecordingSink viewer = play("r1");
        write(p, 9, 0, body(0x17, 0x00, 0, 0, 0, 1));
        write(p, 9, 0, body(0x17, 0x01, 0, 0, 0, 0x65));
        assertThat(viewer.kinds()).as("the first batch after a quiet spell goes at once").containsExactly("VIDEO_CONFIG@0");
        scheduler.advanceMillis(5);
        write(p, 8, 5, body(0xAF, 0x01, 1));
        scheduler.advanceMillis(10);
        write(p, 9, 15, body(0x27, 0x01, 0, 0, 0, 0x41));
        assertThat(viewer.kinds()).as("batches within the window wait for its end").containsExactly("VIDEO_CONFIG@0");
        scheduler.advanceMillis(18);
        assertThat(viewer.kinds()).containsExactly("VIDEO_CONFIG@0", "KEYFRAME@0", "AUDIO@5", "VIDEO@15");
        scheduler.advanceMillis(100);
        write(p, 8, 133, body(0xAF, 0x01, 2));
        assertThat(viewer.kinds()).as("after a quiet spell, at once again").endsWith("AUDIO@133");
        assertThatThrownBy(() -> StreamConfig.defaults().withMergeWindow(java.time.Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aMergeWindowWithAViewerThresholdLeavesSmallRoomsUnmerged() throws Exception {
        hub.close();
        hub = hub(StreamConfig.defaults().withMergeWindow(Duration.ofMillis(33)).withMergeFromViewers(2));
        Publisher p = hub.publish("r1", "test");
        RecordingSink first = play("r1");
        write(p, 9, 0, body(0x17, 0x00, 0, 0, 0, 1));
        write(p, 9, 0, body(0x17, 0x01, 0, 0, 0, 0x65));
        scheduler.advanceMillis(5);
        write(p, 8, 5, body(0xAF, 0x01, 1));
        assertThat(first.kinds()).as("one viewer: below the threshold, every batch at once")
                .containsExactly("VIDEO_CONFIG@0", "KEYFRAME@0", "AUDIO@5");
        RecordingSink second = play("r1");
        scheduler.advanceMillis(100);
        write(p, 8, 105, body(0xAF, 0x01, 2));
        scheduler.advanceMillis(5);
        write(p, 8, 110, body(0xAF, 0x01, 3));
        assertThat(first.kinds()).as("two viewers: merged").endsWith("AUDIO@105").doesNotContain("AUDIO@110");
        scheduler.advanceMillis(30);
        assertThat(first.kinds()).endsWith("AUDIO@105", "AUDIO@110");
        assertThat(second.kinds()).endsWith("AUDIO@105", "AUDIO@110");
    }

    @Test
    void oneViewerInEightReportsItsEgressDelayAndOnlyForFramesNewerThanItsStart() throws Exception {
        Publisher p = hub.publish("r1", "test");
        startOfStream(p, 0);
        gop(p, 0, 3);
        List<RecordingSink> viewers = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            viewers.add(play("r1"));
        }
        assertThat(delays).as("the GOP a viewer starts with is old by design, not delay").isEmpty();
        write(p, 9, 1000, body(0x27, 0x01, 0, 0, 0, 0x41));
        assertThat(viewers).allMatch(v -> v.kinds().contains("VIDEO@1000"));
        assertThat(delays).as("viewers 1 and 9 of the stream").containsExactly("r1 http-flv", "r1 http-flv");
    }

    private StreamHub hub(StreamConfig config) {
        return hub(config, UnpooledByteBufAllocator.DEFAULT);
    }

    private StreamHub hub(StreamConfig config, io.netty.buffer.ByteBufAllocator alloc) {
        return new StreamHub(config, scheduler, alloc, new StreamListener() {
            @Override
            public void onLive(String roomId) {
                events.add("live " + roomId);
            }

            @Override
            public void onEnded(String roomId) {
                events.add("ended " + roomId);
            }

            @Override
            public void onEgressDelay(String roomId, String protocol, long nanos) {
                delays.add(roomId + " " + protocol);
            }
        });
    }

    @AfterEach
    void releaseFrames() {
        hub.close();
        sinks.forEach(RecordingSink::releaseAll);
    }

    private RecordingSink play(String room) {
        RecordingSink sink = new RecordingSink();
        sinks.add(sink);
        sink.reader = hub.play(room, sink);
        return sink;
    }

    private static ByteBuf body(int... bytes) {
        ByteBuf b = Unpooled.buffer();
        for (int x : bytes) {
            b.writeByte(x);
        }
        return b;
    }

    private static void write(Publisher p, int type, int ts, ByteBuf body) {
        p.write(type, ts, body);
        p.flush();
        body.release();
    }

    private static void startOfStream(Publisher p, int ts) {
        write(p, 18, ts, body(0x02, 0, 10, 'o', 'n', 'M', 'e', 't', 'a', 'D', 'a', 't', 'a'));
        write(p, 9, ts, body(0x17, 0x00, 0, 0, 0, 1, 0x64)); // AVC sequence header
        write(p, 8, ts, body(0xAF, 0x00, 0x11, 0x90)); // AAC AudioSpecificConfig
    }

    private static void gop(Publisher p, int ts, int frames) {
        write(p, 9, ts, body(0x17, 0x01, 0, 0, 0, 0x65));
        for (int i = 1; i < frames; i++) {
            write(p, 8, ts + i * 33 - 10, body(0xAF, 0x01, i));
            write(p, 9, ts + i * 33, body(0x27, 0x01, 0, 0, 0, 0x41));
        }
    }

    @Test
    void latePlayerGetsMetadataThenSequenceHeadersThenGop() throws Exception {
        Publisher p = hub.publish("r1", "test");
        startOfStream(p, 0);
        gop(p, 0, 3);
        gop(p, 100, 2); // latest key frame at 100
        RecordingSink late = play("r1");
        assertThat(late.kinds()).containsExactly("METADATA@0", "VIDEO_CONFIG@0", "AUDIO_CONFIG@0",
                "KEYFRAME@100", "AUDIO@123", "VIDEO@133");
        assertThat(events).containsExactly("live r1");
    }

    @Test
    void earlyPlayerWaitsForTheFirstKeyframe() throws Exception {
        RecordingSink early = play("r1");
        Publisher p = hub.publish("r1", "test");
        startOfStream(p, 0);
        write(p, 9, 5, body(0x27, 0x01, 0, 0, 0, 0x41)); // inter frame before any key frame: undecodable
        write(p, 8, 6, body(0xAF, 0x01, 1));
        gop(p, 40, 2);
        assertThat(early.kinds()).containsExactly("METADATA@0", "VIDEO_CONFIG@0", "AUDIO_CONFIG@0",
                "KEYFRAME@40", "AUDIO@63", "VIDEO@73");
    }

    @Test
    void everyViewerSharesTheSameFrameBytes() throws Exception {
        Publisher p = hub.publish("r1", "test");
        RecordingSink a = play("r1");
        RecordingSink b = play("r1");
        startOfStream(p, 0);
        gop(p, 0, 2);
        assertThat(a.frames).hasSameSizeAs(b.frames);
        for (int i = 0; i < a.frames.size(); i++) {
            assertThat(a.frames.get(i)).isSameAs(b.frames.get(i));
        }
    }

    @Test
    void slowViewerSkipsToLatestKeyframe() throws Exception {
        hub = hub(StreamConfig.defaults().withRing(64, 1 << 20));
        Publisher p = hub.publish("r1", "test");
        startOfStream(p, 0);
        RecordingSink slow = play("r1");
        gop(p, 0, 10);
        slow.setWritable(false);
        for (int g = 1; g <= 10; g++) {
            gop(p, g * 1000, 10); // 10 s of media while the viewer cannot take any
        }
        slow.releaseAll();
        slow.setWritable(true);
        // resumes at a key frame no further behind the newest frame (~10.3 s) than the allowed lag of 2 s
        Frame first = slow.frames.get(0);
        assertThat(first.kind()).isEqualTo(Frame.Kind.KEYFRAME);
        assertThat(first.timestamp()).isGreaterThanOrEqualTo(10_297 - 2_000);
        assertThat(hub.stream("r1").orElseThrow().stats().framesDropped.sum()).isGreaterThan(0);
        assertThat(slow.closedFor).isNull();
    }

    @Test
    void viewerBehindForTooLongIsDisconnectedWhileOthersKeepReceiving() throws Exception {
        hub = hub(StreamConfig.defaults().withSlowReaderTimeout(Duration.ofSeconds(5)));
        Publisher p = hub.publish("r1", "test");
        startOfStream(p, 0);
        RecordingSink stuck = play("r1");
        RecordingSink healthy = play("r1");
        stuck.setWritable(false);
        for (int s = 0; s < 8; s++) {
            gop(p, s * 1000, 30);
            scheduler.advanceMillis(1000);
        }
        assertThat(stuck.closedFor).startsWith("too slow");
        assertThat(healthy.closedFor).isNull();
        assertThat(healthy.kinds()).contains("KEYFRAME@7000");
        assertThat(hub.stream("r1").orElseThrow().readerCount()).isEqualTo(1);
        assertThat(hub.totals().slowViewersDisconnected.sum()).isEqualTo(1);
    }

    @Test
    void memoryStaysBoundedWhateverViewersDo() throws Exception {
        UnpooledByteBufAllocator own = new UnpooledByteBufAllocator(true); // its figures are this stream's alone
        hub.close();
        hub = hub(StreamConfig.defaults().withRing(256, 64 * 1024), own);
        Publisher p = hub.publish("r1", "test");
        startOfStream(p, 0);
        for (int i = 0; i < 50; i++) {
            play("r1").setWritable(false);
        }
        LiveStream stream = hub.stream("r1").orElseThrow();
        long headers = used(own); // the sequence headers, which the stuck viewers were sent and keep
        for (int g = 0; g < 200; g++) {
            for (int i = 0; i < 30; i++) {
                ByteBuf frame = Unpooled.buffer(1500);
                frame.writeByte(i == 0 ? 0x17 : 0x27).writeByte(0x01).writeMedium(0).writeZero(1495);
                write(p, 9, g * 1000 + i * 33, frame);
            }
            assertThat(stream.bufferedFrames()).isLessThanOrEqualTo(256);
            assertThat(used(own)).as("allocated by the stream and not freed").isLessThanOrEqualTo(64 * 1024 + headers);
        }
    }

    private static long used(UnpooledByteBufAllocator alloc) {
        return alloc.metric().usedDirectMemory() + alloc.metric().usedHeapMemory();
    }

    @Test
    void secondPublisherIsRefused() throws Exception {
        hub.publish("r1", "first");
        assertThatThrownBy(() -> hub.publish("r1", "second"))
                .isInstanceOf(PublishRefusedException.class).hasMessageContaining("already being published").hasMessageNotContaining("first");
    }

    @Test
    void publisherReconnectWithinGraceKeepsViewersAndTimestampsGoForward() throws Exception {
        Publisher first = hub.publish("r1", "first");
        RecordingSink viewer = play("r1");
        startOfStream(first, 0);
        gop(first, 0, 30); // up to ~960 ms
        first.close();
        scheduler.advanceMillis(3000);
        Publisher second = hub.publish("r1", "second"); // encoder restarts its clock at 0
        startOfStream(second, 0);
        write(second, 9, 10, body(0x27, 0x01, 0, 0, 0, 0x41)); // not decodable without the key frame
        gop(second, 40, 3);
        assertThat(viewer.closedFor).isNull();
        int last = -1;
        for (Frame f : viewer.frames) {
            assertThat(f.timestamp()).as("monotonic at %s", f).isGreaterThanOrEqualTo(last);
            last = f.timestamp();
        }
        List<String> kinds = viewer.kinds();
        int resumed = kinds.indexOf("KEYFRAME@" + (viewer.frames.get(kinds.size() - 5).timestamp()));
        assertThat(resumed).isPositive();
        assertThat(kinds.subList(resumed - 2, resumed)).allMatch(k -> k.startsWith("VIDEO_CONFIG") || k.startsWith("AUDIO_CONFIG"));
        assertThat(events).containsExactly("live r1", "live r1");
    }

    @Test
    void aViewerIsToldOfEachDropAtOnceAfterTheLastFrameBeforeIt() throws Exception {
        Publisher first = hub.publish("r1", "first");
        RecordingSink viewer = play("r1");
        startOfStream(first, 0);
        gop(first, 0, 5);
        first.close();
        assertThat(viewer.calls).as("told at the drop, not at the next frame a grace period away, and flushed")
                .endsWith("VIDEO@132", "flush", "DROPPED", "flush");
        scheduler.advanceMillis(3000);
        Publisher second = hub.publish("r1", "second");
        startOfStream(second, 0);
        gop(second, 0, 3);
        List<String> calls = viewer.calls;
        int dropped = calls.indexOf("DROPPED");
        assertThat(calls.subList(dropped + 1, calls.size())).as("nothing of the old session after the drop")
                .startsWith("flush").contains("RETURNED");
        assertThat(calls.stream().filter("DROPPED"::equals).count()).as("once per drop").isEqualTo(1);
        second.close();
        assertThat(viewer.calls).endsWith("DROPPED", "flush");
        assertThat(viewer.calls.stream().filter("DROPPED"::equals).count()).isEqualTo(2);
        assertThat(viewer.closedFor).isNull();
    }

    @Test
    void aViewerBehindAtTheDropIsToldAfterItsFramesAndBeforeTheReturn() throws Exception {
        Publisher first = hub.publish("r1", "first");
        RecordingSink viewer = play("r1");
        startOfStream(first, 0);
        gop(first, 0, 3);
        viewer.setWritable(false);
        gop(first, 100, 3); // frames the viewer has not taken when the publisher drops
        first.close();
        Publisher second = hub.publish("r1", "second"); // returns before the viewer drains again
        startOfStream(second, 0);
        gop(second, 0, 2);
        assertThat(viewer.calls).doesNotContain("DROPPED");
        viewer.setWritable(true);
        List<String> calls = viewer.calls;
        int dropped = calls.indexOf("DROPPED");
        assertThat(calls.subList(0, dropped)).as("every frame before the drop first").endsWith("VIDEO@166");
        assertThat(calls.subList(dropped, calls.size())).startsWith("DROPPED", "RETURNED")
                .containsOnlyOnce("DROPPED").last().isEqualTo("flush");
    }

    @Test
    void aDropWithNoNewFramesForAViewerIsNotRepeated() throws Exception {
        Publisher first = hub.publish("r1", "first");
        RecordingSink viewer = play("r1");
        startOfStream(first, 0);
        gop(first, 0, 3);
        first.close();
        RecordingSink late = play("r1"); // joins while the room waits for its publisher: it gets the GOP, then the drop
        assertThat(late.calls).endsWith("VIDEO@66", "DROPPED", "flush").containsOnlyOnce("DROPPED");
        Publisher second = hub.publish("r1", "second");
        second.close(); // back and gone again without a frame: its drop is where the first one was
        assertThat(viewer.calls.stream().filter("DROPPED"::equals).count()).isEqualTo(1);
        assertThat(late.calls).containsOnlyOnce("DROPPED");
        RecordingSink after = play("r1"); // nothing of any session to show: no drop to tell
        assertThat(after.calls).doesNotContain("DROPPED");
    }

    @Test
    void aViewerJoiningAsTheStreamEndsWaitsForTheNextPublisher() throws Exception {
        Publisher first = hub.publish("r1", "first");
        startOfStream(first, 0);
        gop(first, 0, 3);
        first.close();
        RecordingSink viewer = new RecordingSink();
        sinks.add(viewer);
        viewer.whileJoining = () -> scheduler.advanceMillis(11_000); // the grace period runs out mid-join
        viewer.reader = hub.play("r1", viewer);
        assertThat(events).containsExactly("live r1", "ended r1");
        assertThat(viewer.closedFor).as("the viewer waits on a fresh stream instead of being closed").isNull();
        Publisher second = hub.publish("r1", "second");
        startOfStream(second, 0);
        gop(second, 0, 3);
        assertThat(viewer.closedFor).isNull();
        assertThat(viewer.kinds()).anyMatch(k -> k.startsWith("KEYFRAME@"));
        assertThat(hub.stream("r1").orElseThrow().readerCount()).isEqualTo(1);
    }

    @Test
    void aTimelinePast2To31And2To32MillisecondsKeepsCounting() throws Exception {
        Publisher p = hub.publish("r1", "24/7 channel");
        RecordingSink viewer = play("r1");
        List<Integer> sent = new ArrayList<>();
        for (long start : new long[]{(1L << 31) - 100, (1L << 32) - 100}) { // day 24.8 (int sign) and day 49.7 (wrap)
            for (int i = 0; i < 8; i++) {
                int ts = (int) (start + i * 33L); // RTMP's 32 unsigned bits, as the chunk decoder hands them over
                sent.add(ts);
                write(p, 9, ts, i == 0 ? body(0x17, 0x01, 0, 0, 0, 0x65) : body(0x27, 0x01, 0, 0, 0, 0x41));
            }
        }
        List<Integer> got = viewer.frames.stream().filter(f -> f.kind() == Frame.Kind.KEYFRAME || f.kind() == Frame.Kind.VIDEO)
                .map(Frame::timestamp).toList();
        assertThat(got).as("the same 32 bits on the wire: nothing clamped, nothing rebased").isEqualTo(sent);
    }

    @Test
    void audioTrailingVideoByMoreThanASecondKeepsBothTracksAsSent() throws Exception {
        Publisher p = hub.publish("r1", "capture card with a late audio clock");
        RecordingSink viewer = play("r1");
        startOfStream(p, 0);
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            int video = 5_000 + i * 33;
            int audio = 3_700 + i * 23; // 1.3 s behind the video, the whole time
            write(p, 9, video, i == 0 ? body(0x17, 0x01, 0, 0, 0, 0x65) : body(0x27, 0x01, 0, 0, 0, 0x41));
            write(p, 8, audio, body(0xAF, 0x01, i));
            sent.add((i == 0 ? "KEYFRAME@" : "VIDEO@") + video);
            sent.add("AUDIO@" + audio);
        }
        List<String> got = viewer.kinds().stream().filter(k -> k.startsWith("KEYFRAME") || k.startsWith("VIDEO@") || k.startsWith("AUDIO@")).toList();
        assertThat(got).isEqualTo(sent);
    }

    @Test
    void streamEndsWhenPublisherDoesNotReturn() throws Exception {
        Publisher p = hub.publish("r1", "test");
        RecordingSink viewer = play("r1");
        startOfStream(p, 0);
        gop(p, 0, 3);
        p.close();
        scheduler.advanceMillis(9_000);
        assertThat(viewer.closedFor).isNull();
        scheduler.advanceMillis(2_000);
        assertThat(viewer.closedFor).isEqualTo("stream ended");
        assertThat(events).containsExactly("live r1", "ended r1");
        assertThat(hub.stream("r1")).isEmpty();
        Publisher again = hub.publish("r1", "later"); // a new stream on the same room
        assertThat(again.stream().isLive()).isTrue();
    }

    @Test
    void viewerOfRoomThatNeverGoesLiveIsReleasedAfterTheWait() {
        RecordingSink viewer = play("r1");
        scheduler.advanceMillis(29_000);
        assertThat(viewer.closedFor).isNull();
        scheduler.advanceMillis(2_000);
        assertThat(viewer.closedFor).startsWith("no publisher");
        assertThat(hub.stream("r1")).isEmpty();
    }

    @Test
    void figuresCountBytesInAndOutAndViewers() throws Exception {
        Publisher p = hub.publish("r1", "test");
        RecordingSink viewer = play("r1");
        viewer.framing = 9; // what the transport adds: bytes out are what the sink says it queued, not the tag alone
        startOfStream(p, 0);
        gop(p, 0, 2);
        StreamStats stats = hub.stream("r1").orElseThrow().stats();
        assertThat(stats.framesIn.sum()).isEqualTo(6);
        assertThat(viewer.frames).hasSize(6);
        // FLV 1.0 E.4.1: an 11-byte tag header, the body, a 4-byte PreviousTagSize; plus the transport's framing
        long expected = viewer.frames.stream().mapToLong(f -> 11 + f.body().readableBytes() + 4 + 9).sum();
        assertThat(stats.bytesOut.sum()).isEqualTo(expected);
        assertThat(stats.viewersHttpFlv.get()).isEqualTo(1);
        viewer.reader.detach();
        assertThat(stats.viewers()).isZero();
        assertThat(hub.totals().publishers.get()).isEqualTo(1);
    }
}
