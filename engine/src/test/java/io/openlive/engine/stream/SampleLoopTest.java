package io.openlive.engine.stream;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.openlive.kernel.flv.FlvWriter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The sample loop on a manual clock: passes, takeover by a real publisher, and the return. */
class SampleLoopTest {
    private final ManualScheduler scheduler = new ManualScheduler();
    private final List<String> events = new ArrayList<>();
    private final StreamHub hub = new StreamHub(StreamConfig.defaults(), scheduler, UnpooledByteBufAllocator.DEFAULT, new StreamListener() {
        @Override
        public void onLive(String roomId) {
            events.add("live");
        }

        @Override
        public void onEnded(String roomId) {
            events.add("ended");
        }
    });
    private final List<RecordingSink> sinks = new ArrayList<>();

    @AfterEach
    void close() {
        hub.close();
        sinks.forEach(RecordingSink::releaseAll);
    }

    /** 200 ms: metadata and sequence headers at 0, a key frame at 0, video every 40 ms and audio every 20 ms. */
    static byte[] clip() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        add(out, FlvWriter.header(UnpooledByteBufAllocator.DEFAULT, true, true));
        tag(out, 18, 0, 0x02, 0, 10, 'o', 'n', 'M', 'e', 't', 'a', 'D', 'a', 't', 'a');
        tag(out, 9, 0, 0x17, 0x00, 0, 0, 0, 1, 0x64);
        tag(out, 8, 0, 0xAF, 0x00, 0x12, 0x10);
        for (int ts = 0; ts < 200; ts += 20) {
            if (ts % 40 == 0) {
                tag(out, 9, ts, ts == 0 ? 0x17 : 0x27, 0x01, 0, 0, 0, ts == 0 ? 0x65 : 0x41);
            }
            tag(out, 8, ts, 0xAF, 0x01, ts);
        }
        return out.toByteArray();
    }

    private static void tag(ByteArrayOutputStream out, int type, int ts, int... bytes) {
        ByteBuf body = Unpooled.buffer();
        for (int b : bytes) {
            body.writeByte(b);
        }
        add(out, FlvWriter.tag(UnpooledByteBufAllocator.DEFAULT, type, ts, body));
        body.release();
    }

    private static void add(ByteArrayOutputStream out, ByteBuf b) {
        byte[] bytes = new byte[b.readableBytes()];
        b.readBytes(bytes);
        b.release();
        out.writeBytes(bytes);
    }

    private static java.util.Set<Integer> steps(List<Integer> timestamps) {
        java.util.Set<Integer> steps = new java.util.TreeSet<>();
        for (int i = 1; i < timestamps.size(); i++) {
            steps.add(timestamps.get(i) - timestamps.get(i - 1));
        }
        return steps;
    }

    private RecordingSink play() {
        RecordingSink sink = new RecordingSink();
        sinks.add(sink);
        sink.reader = hub.play("demo", sink);
        return sink;
    }

    @Test
    void parseMarksConfigurationTagsAndRefusesATruncatedClip() {
        List<SampleLoop.Tag> tags = SampleLoop.parse(clip());
        assertThat(tags).hasSize(3 + 5 + 10);
        assertThat(tags.stream().filter(SampleLoop.Tag::config).map(SampleLoop.Tag::type)).containsExactly(18, 9, 8);
        byte[] cut = java.util.Arrays.copyOf(clip(), clip().length - 3);
        assertThatThrownBy(() -> SampleLoop.parse(cut)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SampleLoop(hub, "demo", tags.subList(0, 3), scheduler)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void passesFollowEachOtherWithIncreasingTimestampsAndConfigurationOnce() {
        SampleLoop loop = new SampleLoop(hub, "demo", SampleLoop.parse(clip()), scheduler);
        loop.start();
        RecordingSink viewer = play();
        for (int i = 0; i < 40; i++) {
            scheduler.advanceMillis(20); // 800 ms: four passes of the 200 ms clip
        }
        assertThat(events).containsExactly("live");
        List<Frame> frames = viewer.frames;
        assertThat(frames.stream().filter(Frame::isConfig).count()).as("metadata and sequence headers once").isEqualTo(3);
        List<Integer> video = frames.stream().filter(f -> f.type() == 9 && !f.isConfig()).map(Frame::timestamp).toList();
        assertThat(video).hasSizeGreaterThanOrEqualTo(18).isSorted().doesNotHaveDuplicates();
        assertThat(video.get(video.size() - 1)).as("the fourth pass is on the same timeline").isGreaterThan(700);
        List<Integer> audio = frames.stream().filter(f -> f.type() == 8 && !f.isConfig()).map(Frame::timestamp).toList();
        assertThat(steps(video)).as("no hole between passes: a player stalls there").containsOnly(40);
        assertThat(steps(audio)).as("no hole between passes: a player stalls there").containsOnly(20);
        assertThat(frames.stream().filter(f -> f.kind() == Frame.Kind.KEYFRAME).count()).isGreaterThanOrEqualTo(4);
        loop.stop();
    }

    @Test
    void aRealPublisherTakesOverAtOnceAndTheLoopReturnsWhenItLeaves() throws Exception {
        SampleLoop loop = new SampleLoop(hub, "demo", SampleLoop.parse(clip()), scheduler);
        loop.start();
        RecordingSink viewer = play();
        for (int i = 0; i < 10; i++) {
            scheduler.advanceMillis(20);
        }
        assertThat(loop.isPublishing()).isTrue();
        Publisher real = hub.publish("demo", "ffmpeg");
        assertThat(loop.isPublishing()).as("taken over").isFalse();
        assertThatThrownBy(() -> hub.publish("demo", "another")).isInstanceOf(PublishRefusedException.class);
        int before = viewer.frames.size();
        real.write(9, 5000, Unpooled.wrappedBuffer(new byte[]{0x17, 0x00, 0, 0, 0, 2, 0x4d}));
        real.write(9, 5000, Unpooled.wrappedBuffer(new byte[]{0x17, 0x01, 0, 0, 0, 0x65}));
        real.flush();
        for (int i = 0; i < 5; i++) {
            scheduler.advanceMillis(20); // the loop's timer fires and writes nothing
        }
        List<Frame> during = viewer.frames.subList(before, viewer.frames.size());
        assertThat(during).extracting(f -> f.kind().name()).containsExactly("VIDEO_CONFIG", "KEYFRAME");
        int realKey = during.get(1).timestamp();
        assertThat(realKey).as("the real publisher continues the room's timeline").isGreaterThan(viewer.frames.get(before - 1).timestamp());

        real.close();
        scheduler.advanceMillis(1);
        assertThat(loop.isPublishing()).as("back when the real publisher left").isTrue();
        for (int i = 0; i < 10; i++) {
            scheduler.advanceMillis(20);
        }
        List<Frame> after = viewer.frames.subList(before + 2, viewer.frames.size());
        assertThat(after).isNotEmpty();
        assertThat(after.subList(0, 3)).as("the clip's configuration again, for the decoders")
                .extracting(f -> f.kind().name()).containsExactlyInAnyOrder("METADATA", "VIDEO_CONFIG", "AUDIO_CONFIG");
        assertThat(after.stream().filter(f -> !f.isConfig()).map(Frame::timestamp).toList()).allMatch(ts -> ts > realKey);
        assertThat(events).as("the room stayed live throughout").doesNotContain("ended");
        loop.stop();
    }

    @Test
    void aLoopStartedUnderARealPublisherWaitsForItToLeave() throws Exception {
        Publisher real = hub.publish("demo", "ffmpeg");
        SampleLoop loop = new SampleLoop(hub, "demo", SampleLoop.parse(clip()), scheduler);
        loop.start();
        assertThat(loop.isPublishing()).isFalse();
        real.close();
        scheduler.advanceMillis(1);
        assertThat(loop.isPublishing()).isTrue();
        loop.stop();
        assertThat(loop.isPublishing()).isFalse();
    }
}
