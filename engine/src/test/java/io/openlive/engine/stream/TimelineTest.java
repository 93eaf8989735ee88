package io.openlive.engine.stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The room timeline: wrap, per-track jumps, and a returning publisher. */
class TimelineTest {
    private static final int AUDIO = 8;
    private static final int VIDEO = 9;

    @Test
    void unwrapsPast2To32IntoA64BitTimeline() {
        Timeline t = new Timeline();
        long start = (1L << 32) - 50;
        assertThat(t.place(VIDEO, (int) start)).isEqualTo(start);
        assertThat(t.place(VIDEO, 16)).as("wrapped to 16: 66 ms later").isEqualTo(start + 66);
        assertThat(t.place(AUDIO, 30)).as("a track's first frame is unwrapped against the other's").isEqualTo(start + 80);
    }

    @Test
    void aClockJumpBackIsCorrectedOnItsOwnTrackOnly() {
        Timeline t = new Timeline();
        t.place(VIDEO, 10_000);
        t.place(AUDIO, 8_500); // trails by 1.5 s: not a jump
        assertThat(t.place(AUDIO, 8_523)).isEqualTo(8_523);
        assertThat(t.place(VIDEO, 10_033)).isEqualTo(10_033);
        assertThat(t.place(VIDEO, 0)).as("the encoder restarted its clock: video continues").isEqualTo(10_033);
        assertThat(t.place(VIDEO, 33)).isEqualTo(10_066);
        assertThat(t.place(AUDIO, 8_546)).as("audio untouched").isEqualTo(8_546);
        assertThat(t.place(VIDEO, 20)).as("jitter under a second passes").isEqualTo(10_053);
    }

    @Test
    void aReturningPublisherContinuesAtTheLastTimestampPlusOne() {
        Timeline t = new Timeline();
        t.place(VIDEO, 90_000);
        t.place(AUDIO, 90_010);
        t.publisherReturned();
        assertThat(t.place(AUDIO, 0)).isEqualTo(90_011);
        assertThat(t.place(VIDEO, 40)).as("the new session's own spacing kept").isEqualTo(90_051);
    }
}
