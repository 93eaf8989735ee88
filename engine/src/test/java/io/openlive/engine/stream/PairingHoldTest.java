package io.openlive.engine.stream;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The pair hold, through the hub with a manual clock: frames arrive at their timestamps, as from a live encoder. */
class PairingHoldTest {
    private final ManualScheduler clock = new ManualScheduler();
    private final List<RecordingSink> sinks = new ArrayList<>();
    private StreamHub hub;
    private Publisher publisher;
    private long startNanos;

    @AfterEach
    void release() {
        if (hub != null) {
            hub.close();
        }
        sinks.forEach(RecordingSink::releaseAll);
    }

    @Test
    void aFrameWaitsForItsPartnerDueWithinTheHoldAndBothGoInOneWrite() {
        RecordingSink viewer = start(10);
        warmUp();                   // video every 33 ms, audio every 23 ms: V33 A40 A63 V66
        assertThat(viewer.kinds()).endsWith("AUDIO@63", "VIDEO@66");
        assertThat(viewer.writtenAt.get(viewer.frames.size() - 2)).as("A63 waited for V66, due 3 ms later")
                .isEqualTo(nanosAt(66));
        int flushes = viewer.flushedAt.size();
        arrive(8, 86);              // next video due at 99, 13 ms away: not worth waiting for
        assertThat(viewer.kinds()).endsWith("AUDIO@86");
        arrive(9, 99);              // next audio due at 109, within the hold
        assertThat(viewer.kinds()).doesNotContain("VIDEO@99");
        arrive(8, 105);
        assertThat(viewer.kinds()).endsWith("VIDEO@99", "AUDIO@105");
        assertThat(viewer.flushedAt).as("one write for A86, one for the pair").hasSize(flushes + 2);
    }

    @Test
    void aHoldEndsAfterItsTimeWhenThePartnerIsLate() {
        RecordingSink viewer = start(10);
        warmUp();
        arrive(8, 86);
        arrive(9, 99);              // audio due at 109: hold
        advanceTo(108);
        assertThat(viewer.kinds()).doesNotContain("VIDEO@99");
        advanceTo(109);
        assertThat(viewer.kinds()).as("held for 10 ms at most").endsWith("VIDEO@99");
        assertThat(viewer.writtenAt.getLast() - nanosAt(99)).isEqualTo(Duration.ofMillis(10).toNanos());
    }

    @Test
    void aStaleTimerDoesNotCutALaterHoldShort() {
        RecordingSink viewer = start(10);
        warmUp();
        arrive(8, 86);
        arrive(9, 99);              // hold 1 from 99, its timer due at 109
        arrive(8, 104);             // its partner: released at 104
        arrive(8, 127);             // video due at 132: hold 2 from 127, to end at 137
        advanceTo(110);             // hold 1's timer has fired
        assertThat(viewer.kinds()).as("hold 1's timer leaves hold 2 alone").doesNotContain("AUDIO@127");
        arrive(9, 132);
        assertThat(viewer.kinds()).endsWith("AUDIO@127", "VIDEO@132");
        assertThat(viewer.writtenAt.getLast()).isEqualTo(nanosAt(132));
    }

    @Test
    void aStreamWithOneTrackNeverWaits() {
        RecordingSink viewer = start(20);
        arrive(9, 0, 33, 66, 99, 132);
        assertThat(viewer.kinds()).endsWith("VIDEO@66", "VIDEO@99", "VIDEO@132");
        assertThat(viewer.writtenAt.getLast()).isEqualTo(nanosAt(132));
    }

    @Test
    void holdIsOffByDefaultAndBounded() {
        assertThat(StreamConfig.defaults().pairHold()).isZero();
        assertThatThrownBy(() -> StreamConfig.defaults().withPairHold(Duration.ofMillis(21)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> StreamConfig.defaults().withPairHold(Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /**
     * Two seconds of a 30 fps video and 44.1 kHz AAC (a frame each 23.2 ms) stream: with a 10 ms hold a viewer gets
     * about a third fewer writes, and no frame waits longer than the hold.
     */
    @Test
    void overAStreamMostFramesPairUpAndNoneWaitsLongerThanTheHold() {
        int[] writes = new int[2];
        long[] worstDelay = new long[2];
        int[] frames = new int[2];
        int[] holds = {0, 10};
        for (int run = 0; run < 2; run++) {
            RecordingSink viewer = start(holds[run]);
            TreeMap<Integer, List<Integer>> byArrival = new TreeMap<>();
            for (int i = 0; i < 60; i++) {
                byArrival.computeIfAbsent(i * 1000 / 30, k -> new ArrayList<>()).add(9);
            }
            for (int i = 0; i < 86; i++) {
                byArrival.computeIfAbsent(7 + i * 1024 * 1000 / 44100, k -> new ArrayList<>()).add(8);
            }
            int firstFlush = viewer.flushedAt.size();
            int firstFrame = viewer.frames.size();
            byArrival.forEach((ms, types) -> {
                advanceTo(ms);
                for (int type : types) {
                    send(type, ms);
                }
                publisher.flush();
            });
            advanceTo(2100);
            writes[run] = viewer.flushedAt.size() - firstFlush;
            frames[run] = viewer.frames.size() - firstFrame;
            for (int i = firstFrame; i < viewer.frames.size(); i++) {
                long delay = viewer.writtenAt.get(i) - nanosAt(viewer.frames.get(i).timestamp());
                worstDelay[run] = Math.max(worstDelay[run], delay);
            }
            hub.close();
            hub = null;
        }
        assertThat(frames[1]).isEqualTo(frames[0]).isEqualTo(146);
        assertThat(worstDelay[0]).isZero();
        assertThat(worstDelay[1]).isLessThanOrEqualTo(Duration.ofMillis(10).toNanos());
        assertThat(writes[1]).as("writes with a 10 ms hold, against %d without", writes[0]).isLessThan(writes[0] * 3 / 4);
    }

    private RecordingSink start(int holdMillis) {
        hub = new StreamHub(StreamConfig.defaults().withPairHold(Duration.ofMillis(holdMillis)), clock,
                UnpooledByteBufAllocator.DEFAULT, new StreamListener() {
                    @Override
                    public void onLive(String roomId) {
                    }

                    @Override
                    public void onEnded(String roomId) {
                    }
                });
        startNanos = clock.nanoTime();
        try {
            publisher = hub.publish("r1", "test");
        } catch (PublishRefusedException e) {
            throw new AssertionError(e);
        }
        send(9, 0, body(0x17, 0x00, 0, 0, 0, 1, 0x64)); // AVC sequence header
        send(8, 0, body(0xAF, 0x00, 0x11, 0x90));       // AAC AudioSpecificConfig
        send(9, 0, body(0x17, 0x01, 0, 0, 0, 0x65));    // key frame
        publisher.flush();
        RecordingSink sink = new RecordingSink();
        sink.clock = clock::nanoTime;
        sinks.add(sink);
        sink.reader = hub.play("r1", sink);
        return sink;
    }

    /** After the key frame at 0: video at 33 and 66, audio at 40 and 63, so both tracks' intervals are known. */
    private void warmUp() {
        arrive(9, 33);
        arrive(8, 40);
        arrive(8, 63);
        arrive(9, 66);
    }

    /** Frames of one type with these timestamps, each arriving at its own time in its own read. */
    private void arrive(int type, int... timestamps) {
        for (int ts : timestamps) {
            advanceTo(ts);
            send(type, ts);
            publisher.flush();
        }
    }

    private void send(int type, int ts) {
        send(type, ts, type == 9 ? body(0x27, 0x01, 0, 0, 0, 0x41) : body(0xAF, 0x01, 1));
    }

    private void send(int type, int ts, ByteBuf body) {
        publisher.write(type, ts, body);
        body.release();
    }

    private void advanceTo(int ms) {
        long step = (nanosAt(ms) - clock.nanoTime()) / 1_000_000;
        for (long i = 0; i < step; i++) {
            clock.advanceMillis(1);
        }
    }

    private long nanosAt(int ms) {
        return startNanos + ms * 1_000_000L;
    }

    private static ByteBuf body(int... bytes) {
        ByteBuf b = Unpooled.buffer();
        for (int x : bytes) {
            b.writeByte(x);
        }
        return b;
    }
}
