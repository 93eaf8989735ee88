package io.openlive.bench;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PlaybackBufferTest {
    private static final long S = 1_000_000_000L;

    @Test
    void chunksArrivingAsFastAsTheyPlayNeverStall() {
        PlaybackBuffer b = new PlaybackBuffer();
        assertThat(b.started()).isFalse();
        b.append(0, 2 * S); // starts playing with 2 s buffered
        for (int i = 1; i <= 10; i++) {
            b.append(i * 2 * S - S / 10, 2 * S); // each next segment 0.1 s before the buffer would run out
        }
        assertThat(b.started()).isTrue();
        assertThat(b.stallsBetween(0, 20 * S)).isZero();
        assertThat(b.aheadNanos(20 * S)).isEqualTo(2 * S);
        assertThat(b.positionNanos(20 * S)).isEqualTo(20 * S);
    }

    @Test
    void aChunkLateByHalfASecondIsOneStallOfHalfASecond() {
        PlaybackBuffer b = new PlaybackBuffer();
        b.append(S, 2 * S); // plays from 1 s; runs out at 3 s
        b.append(3 * S + S / 2, 2 * S); // arrives at 3.5 s
        // playback resumed at 3.5 s from the 2 s mark: at 4.5 s it has played 3 s, 1 s ahead
        assertThat(b.positionNanos(4 * S + S / 2)).isEqualTo(3 * S);
        assertThat(b.aheadNanos(4 * S + S / 2)).isEqualTo(S);
        assertThat(b.stalls()).containsExactly(new PlaybackBuffer.Stall(3 * S, 3 * S + S / 2));
        assertThat(b.stalledNanosBetween(0, 5 * S)).isEqualTo(S / 2);
        // with nothing more, the 2 s that came at 3.5 s run out at 5.5 s: a second stall by 10 s
        assertThat(b.stallsBetween(0, 10 * S)).isEqualTo(2);
        assertThat(b.stalledNanosBetween(0, 10 * S)).isEqualTo(S / 2 + 4 * S + S / 2);
        // playback resumed at 3.5 s from the 2 s mark: at 4.5 s it has played 3 s, 1 s ahead
    }

    @Test
    void aStallStillGoingOnCountsUpToTheTimeAsked() {
        PlaybackBuffer b = new PlaybackBuffer();
        b.append(0, S);
        assertThat(b.stallsBetween(0, S / 2)).isZero(); // still playing at 0.5 s
        assertThat(b.stallsBetween(0, 3 * S)).isEqualTo(1); // ran out at 1 s, nothing came
        assertThat(b.stalledNanosBetween(2 * S, 3 * S)).isEqualTo(S); // the part of it in the window
        assertThat(b.stallsBetween(2 * S, 3 * S)).isZero(); // it began before the window
        assertThat(b.positionNanos(3 * S)).isEqualTo(S);
        assertThat(b.aheadNanos(3 * S)).isZero();
    }

    @Test
    void startsWithItsFirstChunkNotBefore() {
        PlaybackBuffer b = new PlaybackBuffer();
        assertThat(b.stallsBetween(0, 100 * S)).isZero(); // waiting for the first chunk is start-up, not a stall
        b.append(5 * S, 300_000_000L);
        assertThat(b.startedAtNanos()).isEqualTo(5 * S);
        b.append(5 * S + 250_000_000L, 300_000_000L); // LL-HLS parts, each in before the last one ends
        b.append(5 * S + 550_000_000L, 300_000_000L);
        assertThat(b.stallsBetween(0, 5 * S + 800_000_000L)).isZero();
        assertThatThrownBy(() -> b.append(6 * S, -1)).isInstanceOf(IllegalArgumentException.class);
    }
}
