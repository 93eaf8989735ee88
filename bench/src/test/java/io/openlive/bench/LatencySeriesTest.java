package io.openlive.bench;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The figures of the browser bench's latency run, from samples given by hand (no clock, no browser). */
class LatencySeriesTest {
    @Test
    void percentilesAreNearestRankOverTheWindowOnly() {
        LatencySeries s = new LatencySeries();
        s.add(0, 9000); // start-up, before the window
        for (int i = 1; i <= 20; i++) {
            s.add(60_000 + i * 1000L, i * 100.0);
        }
        s.add(200_000, 7000); // the stall, after the window
        assertThat(s.between(60_000, 100_000)).hasSize(20);
        assertThat(s.percentile(60_000, 100_000, 0.5)).hasValue(1000);
        assertThat(s.percentile(60_000, 100_000, 0.95)).hasValue(1900);
        assertThat(s.percentile(300_000, 400_000, 0.5)).isEmpty();
    }

    @Test
    void recoveryIsTheTimeFromTheStallsEndToTheFirstSampleUnderTheThreshold() {
        LatencySeries s = new LatencySeries();
        s.add(1000, 800);
        s.add(2000, 3000);  // during the pause
        s.add(7000, 6200);  // pause ended at 7000: still far behind
        s.add(8000, 1600);
        s.add(9000, 1400);
        s.add(10_000, 900);
        assertThat(s.recoveryMs(7000, 1500)).hasValue(2000);
        assertThat(s.worstFrom(2000)).hasValue(6200);
        assertThat(s.recoveryMs(7000, 500)).isEmpty();
        assertThat(s.recoveryMs(1000, 1500)).hasValue(0);
    }

    @Test
    void samplesOutOfOrderAreRefused() {
        LatencySeries s = new LatencySeries();
        s.add(5000, 1);
        assertThatThrownBy(() -> s.add(4000, 1)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("time order");
    }

    @Test
    void percentileOfFewSamples() {
        assertThat(Percentile.of(List.of(300.0), 0.95)).hasValue(300);
        assertThat(Percentile.of(List.of(5.0, 1.0, 3.0, 2.0, 4.0), 0.5)).hasValue(3);
        assertThat(Percentile.of(List.of(5.0, 1.0, 3.0, 2.0, 4.0), 0.95)).hasValue(5);
        assertThat(Percentile.of(List.of(5.0, 1.0, 3.0, 2.0, 4.0), 0.2)).hasValue(1);
        assertThat(Percentile.of(List.of(), 0.5)).isEmpty();
        assertThatThrownBy(() -> Percentile.of(List.of(1.0), 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Percentile.of(List.of(1.0), 1.5)).isInstanceOf(IllegalArgumentException.class);
    }
}
