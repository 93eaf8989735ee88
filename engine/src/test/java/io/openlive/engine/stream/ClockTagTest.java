package io.openlive.engine.stream;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.openlive.kernel.amf0.Amf0Reader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** onOpenliveClock: first after the FLV header, stamped and naming the first media frame's timestamp, once per viewer. */
class ClockTagTest {
    private final ManualScheduler scheduler = new ManualScheduler();
    private final StreamHub hub = new StreamHub(StreamConfig.defaults(), scheduler, UnpooledByteBufAllocator.DEFAULT, StreamListener.NONE);
    private final List<RecordingSink> sinks = new ArrayList<>();

    @AfterEach
    void close() {
        hub.close();
        sinks.forEach(RecordingSink::releaseAll);
    }

    private RecordingSink play(boolean clock) {
        RecordingSink sink = new RecordingSink();
        sink.clockTag = clock;
        sinks.add(sink);
        sink.reader = hub.play("r1", sink);
        return sink;
    }

    private static void write(Publisher p, int type, int ts, int... bytes) {
        ByteBuf b = Unpooled.buffer();
        for (int x : bytes) {
            b.writeByte(x);
        }
        p.write(type, ts, b);
        b.release();
        p.flush();
    }

    private static void startOfStream(Publisher p, int ts) {
        write(p, 18, ts, 0x02, 0, 10, 'o', 'n', 'M', 'e', 't', 'a', 'D', 'a', 't', 'a');
        write(p, 9, ts, 0x17, 0x00, 0, 0, 0, 1, 0x64);
        write(p, 8, ts, 0xAF, 0x00, 0x12, 0x10);
    }

    private static List<String> named(RecordingSink s) {
        List<String> out = new ArrayList<>();
        for (Frame f : s.frames) {
            if (f.kind() == Frame.Kind.METADATA) {
                ByteBuf body = f.flvTag().slice(11, f.flvTag().readableBytes() - 15);
                List<Object> values = Amf0Reader.readAll(body);
                out.add(values.get(0) + (values.size() > 1 && values.get(1) instanceof Map<?, ?> m && m.containsKey("mediaTime")
                        ? "(" + ((Double) m.get("mediaTime")).intValue() + ")" : "") + "@" + f.timestamp());
            } else {
                out.add(f.kind() + "@" + f.timestamp());
            }
        }
        return out;
    }

    @Test
    void aViewerWaitingForThePublisherGetsTheClockBeforeTheConfiguration() throws Exception {
        RecordingSink waiting = play(true);
        RecordingSink rtmp = play(false);
        Publisher p = hub.publish("r1", "test");
        startOfStream(p, 100);
        assertThat(waiting.frames).as("nothing before the first media frame").isEmpty();
        write(p, 9, 140, 0x17, 0x01, 0, 0, 0, 0x65);
        write(p, 8, 150, 0xAF, 0x01, 1);
        assertThat(named(waiting)).containsExactly("onOpenliveClock(140)@140", "onMetaData@100", "VIDEO_CONFIG@100",
                "AUDIO_CONFIG@100", "KEYFRAME@140", "AUDIO@150");
        assertThat(named(rtmp)).as("RTMP viewers do not get it").containsExactly("onMetaData@100", "VIDEO_CONFIG@100",
                "AUDIO_CONFIG@100", "KEYFRAME@140", "AUDIO@150");
    }

    @Test
    void aLateViewerGetsItStampedWithTheKeyFrameItStartsOn() throws Exception {
        Publisher p = hub.publish("r1", "test");
        startOfStream(p, 0);
        write(p, 9, 0, 0x17, 0x01, 0, 0, 0, 0x65);
        write(p, 9, 40, 0x27, 0x01, 0, 0, 0, 0x41);
        write(p, 9, 2000, 0x17, 0x01, 0, 0, 0, 0x65);
        write(p, 8, 2010, 0xAF, 0x01, 1);
        RecordingSink late = play(true);
        assertThat(named(late)).containsExactly("onOpenliveClock(2000)@2000", "onMetaData@0", "VIDEO_CONFIG@0", "AUDIO_CONFIG@0",
                "KEYFRAME@2000", "AUDIO@2010");
        write(p, 9, 2040, 0x27, 0x01, 0, 0, 0, 0x41);
        assertThat(named(late)).as("once per viewer").endsWith("VIDEO@2040").filteredOn(n -> n.startsWith("onOpenliveClock")).hasSize(1);
    }
}
