package io.openlive.bench;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class HistogramTest {
    @Test
    void percentilesAreUpperBoundsOfTenthOfAMillisecondBuckets() {
        Histogram h = new Histogram();
        for (int ms = 1; ms <= 100; ms++) {
            h.record(ms * 1_000_000L + 10_000); // 1.01 ms … 100.01 ms
        }
        assertThat(h.count()).isEqualTo(100);
        assertThat(h.percentileMs(0.5)).isEqualTo(50.1);
        assertThat(h.percentileMs(0.99)).isEqualTo(99.1);
        assertThat(h.percentileMs(1.0)).isEqualTo(100.1);
    }

    @Test
    void anEmptyHistogramHasNoPercentileAndOutliersLandInTheLastBucket() {
        Histogram h = new Histogram();
        assertThat(h.percentileMs(0.5)).isNaN();
        h.record(-5); // a clock step backwards counts as zero, not as an index out of bounds
        h.record(3_600_000_000_000L);
        assertThat(h.percentileMs(0.5)).isEqualTo(0.1);
        assertThat(h.percentileMs(1.0)).isEqualTo(30_000.1);
    }
}
