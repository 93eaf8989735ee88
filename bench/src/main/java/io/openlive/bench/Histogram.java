package io.openlive.bench;

/** Latencies in 0.1 ms buckets up to 30 s; enough resolution for percentiles without keeping samples. */
final class Histogram {
    private static final int BUCKETS = 300_000;
    private final long[] counts = new long[BUCKETS + 1];
    private long total;

    synchronized void record(long nanos) {
        int bucket = (int) Math.min(BUCKETS, Math.max(0, nanos / 100_000));
        counts[bucket]++;
        total++;
    }

    synchronized long count() {
        return total;
    }

    /** The value in milliseconds under which {@code p} (0–1) of samples fall; NaN when empty. */
    synchronized double percentileMs(double p) {
        if (total == 0) {
            return Double.NaN;
        }
        long rank = (long) Math.ceil(p * total);
        long seen = 0;
        for (int i = 0; i <= BUCKETS; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return (i + 1) / 10.0;
            }
        }
        return BUCKETS / 10.0;
    }
}
