package io.openlive.engine.stream;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The ring's byte budget holds for a GOP far larger than it (a 10 s key frame interval at 8 Mb/s), every encoding
 * counted. Memory is read from the stream's own allocator (what it really allocated and has not freed), not from the
 * ring's count of itself.
 */
class GopByteBoundTest {
    private static final long BUDGET = 1 << 20;
    private static final int VIDEO_FRAME = 8_000_000 / 8 / 30;
    private static final int KEY_FRAME = 150_000;
    /** A frame just appended gets up to three more encodings from viewers before the next frame trims the ring. */
    private static final long SLACK = 4L * (KEY_FRAME + 4096);

    private final UnpooledByteBufAllocator alloc = new UnpooledByteBufAllocator(true);
    private final ManualScheduler scheduler = new ManualScheduler();
    private final StreamHub hub = new StreamHub(StreamConfig.defaults().withRing(2048, BUDGET), scheduler, alloc, StreamListener.NONE);

    @AfterEach
    void close() {
        hub.close();
        assertThat(used()).as("every buffer freed once the stream ends").isZero();
    }

    @Test
    void aTenSecondGopAtEightMegabitsStaysWithinTheByteBudgetEveryEncodingCounted() throws Exception {
        Publisher p = hub.publish("r1", "test");
        List<EncodingSink> viewers = List.of(play(Frame::httpChunk), play(Frame::webSocketFrame),
                play(f -> f.rtmpChunks(2)), play(Frame::flvTag));
        startOfStream(p);
        long peak = 0;
        long peakMeasured = 0;
        for (int i = 0; i < 300; i++) {
            int ts = i * 33;
            write(p, 8, ts, audio(i));
            write(p, 9, ts, i == 0 ? video(true, KEY_FRAME) : video(false, VIDEO_FRAME));
            peak = Math.max(peak, used());
            peakMeasured = Math.max(peakMeasured, hub.stream("r1").orElseThrow().measuredBytes());
        }
        assertThat(peak).as("allocated and not freed, 10 MB of GOP in four encodings").isLessThanOrEqualTo(BUDGET + SLACK);
        assertThat(peakMeasured).as("capacity of the ring's buffers").isLessThanOrEqualTo(BUDGET + SLACK);
        for (EncodingSink viewer : viewers) {
            assertThat(viewer.kinds.stream().filter(k -> k.equals("VIDEO") || k.equals("KEYFRAME")))
                    .as("a viewer that keeps up gets the whole GOP though the ring cannot hold it").hasSize(300);
        }
    }

    @Test
    void aViewerJoiningAGopLargerThanTheBudgetGetsHeadersAtOnceAndPicturesFromTheNextKeyFrame() throws Exception {
        Publisher p = hub.publish("r1", "test");
        startOfStream(p);
        for (int i = 0; i < 150; i++) { // five seconds into a ten-second GOP: its key frame has left the ring
            write(p, 8, i * 33, audio(i));
            write(p, 9, i * 33, i == 0 ? video(true, KEY_FRAME) : video(false, VIDEO_FRAME));
        }
        EncodingSink late = play(Frame::httpChunk);
        assertThat(late.kinds).as("no key frame to start from: headers at once, then wait")
                .containsExactly("METADATA", "VIDEO_CONFIG", "AUDIO_CONFIG");
        for (int i = 150; i < 300; i++) {
            write(p, 8, i * 33, audio(i));
            write(p, 9, i * 33, video(false, VIDEO_FRAME));
        }
        assertThat(late.kinds).as("nothing a decoder could not use").hasSize(3);
        write(p, 9, 10_000, video(true, KEY_FRAME));
        write(p, 8, 10_010, audio(300));
        assertThat(late.kinds).containsExactly("METADATA", "VIDEO_CONFIG", "AUDIO_CONFIG", "KEYFRAME", "AUDIO");
    }

    private long used() {
        return alloc.metric().usedDirectMemory() + alloc.metric().usedHeapMemory();
    }

    private EncodingSink play(Function<Frame, ByteBuf> encoding) {
        EncodingSink sink = new EncodingSink(encoding);
        hub.play("r1", sink);
        return sink;
    }

    private static void write(Publisher p, int type, int ts, ByteBuf body) {
        p.write(type, ts, body);
        p.flush();
        body.release();
    }

    private static void startOfStream(Publisher p) {
        write(p, 18, 0, Unpooled.wrappedBuffer(new byte[]{0x02, 0, 10, 'o', 'n', 'M', 'e', 't', 'a', 'D', 'a', 't', 'a'}));
        write(p, 9, 0, Unpooled.wrappedBuffer(new byte[]{0x17, 0x00, 0, 0, 0, 1, 0x64}));
        write(p, 8, 0, Unpooled.wrappedBuffer(new byte[]{(byte) 0xAF, 0x00, 0x11, (byte) 0x90}));
    }

    private static ByteBuf video(boolean key, int size) {
        ByteBuf b = Unpooled.buffer(size);
        b.writeByte(key ? 0x17 : 0x27).writeByte(0x01).writeMedium(0);
        b.writeZero(size - 5);
        return b;
    }

    private static ByteBuf audio(int n) {
        ByteBuf b = Unpooled.buffer(340);
        b.writeByte(0xAF).writeByte(0x01).writeInt(n);
        b.writeZero(334);
        return b;
    }

    /** A viewer run inline that makes its protocol's encoding of each frame, as a real sink does, and keeps nothing. */
    private static final class EncodingSink implements FrameSink {
        private static final Executor INLINE = Runnable::run;
        private final Function<Frame, ByteBuf> encoding;
        final List<String> kinds = new ArrayList<>();

        EncodingSink(Function<Frame, ByteBuf> encoding) {
            this.encoding = encoding;
        }

        @Override
        public int write(Frame frame) {
            kinds.add(frame.kind().name());
            return encoding.apply(frame).readableBytes();
        }

        @Override
        public Executor executor() {
            return INLINE;
        }

        @Override
        public boolean inExecutor() {
            return true;
        }

        @Override
        public boolean isWritable() {
            return true;
        }

        @Override
        public void flush() {
        }

        @Override
        public void close(String reason) {
        }

        @Override
        public long requestedAtNanos() {
            return 0;
        }

        @Override
        public String protocol() {
            return "http-flv";
        }
    }
}
