package io.openlive.bench;

import java.util.Collection;
import java.util.OptionalDouble;

/**
 * Nearest-rank percentile of a small set of exact samples (page loads, one-a-second latency readings), where a
 * bucketed {@link Histogram} would blur the few values there are. Usage: {@code Percentile.of(loadTimes, 0.95)}
 */
final class Percentile {
    private Percentile() {
    }

    /** The smallest sample with at least {@code p} (0–1, exclusive of 0) of the samples at or under it; empty when none. */
    static OptionalDouble of(Collection<Double> values, double p) {
        if (!(p > 0 && p <= 1)) {
            throw new IllegalArgumentException("a percentile is over (0, 1], not " + p);
        }
        if (values.isEmpty()) {
            return OptionalDouble.empty();
        }
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int rank = (int) Math.ceil(p * sorted.length);
        return OptionalDouble.of(sorted[Math.max(1, rank) - 1]);
    }
}
