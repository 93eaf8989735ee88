package io.openlive.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;

/**
 * Latency-behind-live samples of one playing page, each at a time since the run began, and the figures read from them:
 * percentiles over a window, the worst value after a stall, and how long after a stall the latency was back under a
 * threshold. Pure: no clock, the caller stamps each sample. Not thread-safe (one sampling thread).
 * Usage: {@code s.add(61_000, 820); s.percentile(60_000, 120_000, 0.95); s.recoveryMs(125_000, 1500)}
 */
final class LatencySeries {
    /** One sample: {@code atMs} since the run began, {@code latencyMs} behind live. */
    record Sample(long atMs, double latencyMs) {
    }

    private final List<Sample> samples = new ArrayList<>();

    void add(long atMs, double latencyMs) {
        if (!samples.isEmpty() && atMs < samples.getLast().atMs()) {
            throw new IllegalArgumentException("samples must come in time order: " + atMs + " ms after " + samples.getLast().atMs() + " ms");
        }
        samples.add(new Sample(atMs, latencyMs));
    }

    List<Sample> samples() {
        return List.copyOf(samples);
    }

    /** Samples taken in [fromMs, toMs). */
    List<Double> between(long fromMs, long toMs) {
        return samples.stream().filter(s -> s.atMs() >= fromMs && s.atMs() < toMs).map(Sample::latencyMs).toList();
    }

    /** Nearest-rank percentile {@code p} (0–1) of the samples in [fromMs, toMs); empty when there are none. */
    OptionalDouble percentile(long fromMs, long toMs, double p) {
        return Percentile.of(between(fromMs, toMs), p);
    }

    /** The worst latency at or after {@code fromMs}; empty when nothing was sampled then. */
    OptionalDouble worstFrom(long fromMs) {
        return samples.stream().filter(s -> s.atMs() >= fromMs).mapToDouble(Sample::latencyMs).max();
    }

    /**
     * Milliseconds from {@code stallEndMs} to the first sample at or after it under {@code thresholdMs}; 0 when the
     * first sample is already under it; empty when no later sample gets under it.
     */
    OptionalDouble recoveryMs(long stallEndMs, double thresholdMs) {
        return samples.stream().filter(s -> s.atMs() >= stallEndMs && s.latencyMs() < thresholdMs)
                .mapToDouble(s -> s.atMs() - stallEndMs).findFirst();
    }
}
