package io.openlive.engine.hls;

import java.time.Duration;

/**
 * How rooms are cut into HLS segments and parts, and how long that work is kept.
 *
 * @param targetDuration segments are cut at the first key frame at or after this duration, default 2 s
 * @param partTarget     LL-HLS parts are at most this long, default 300 ms (the 200–500 ms range)
 * @param windowSegments complete segments a live playlist lists, default 6
 * @param idleTimeout    a room's segmenter stops when no playlist or segment was asked for this long, default 60 s
 * @param maxWaiters     blocking playlist requests held per room at once; more get 503, default 20000
 */
public record HlsConfig(Duration targetDuration, Duration partTarget, int windowSegments, Duration idleTimeout,
                        int maxWaiters) {

    public static HlsConfig defaults() {
        return new HlsConfig(Duration.ofSeconds(2), Duration.ofMillis(300), 6, Duration.ofSeconds(60), 20_000);
    }

    public HlsConfig {
        if (targetDuration.toMillis() < 1000 || targetDuration.toMillis() > 30_000) {
            throw new IllegalArgumentException("HLS target duration must be 1 to 30 s, not " + targetDuration.toMillis() + " ms");
        }
        if (partTarget.toMillis() < 100 || partTarget.toMillis() * 2 > targetDuration.toMillis()) {
            throw new IllegalArgumentException("HLS part target must be 100 ms to half the target duration, not " + partTarget.toMillis() + " ms");
        }
        if (windowSegments < 3 || windowSegments > 100) {
            throw new IllegalArgumentException("HLS window must be 3 to 100 segments, not " + windowSegments);
        }
        if (maxWaiters < 1) {
            throw new IllegalArgumentException("HLS waiters must be 1 or more");
        }
    }

    public HlsConfig withTargetDuration(Duration target) {
        return new HlsConfig(target, partTarget, windowSegments, idleTimeout, maxWaiters);
    }

    public HlsConfig withPartTarget(Duration part) {
        return new HlsConfig(targetDuration, part, windowSegments, idleTimeout, maxWaiters);
    }

    public HlsConfig withWindowSegments(int segments) {
        return new HlsConfig(targetDuration, partTarget, segments, idleTimeout, maxWaiters);
    }

    public HlsConfig withIdleTimeout(Duration idle) {
        return new HlsConfig(targetDuration, partTarget, windowSegments, idle, maxWaiters);
    }

    public HlsConfig withMaxWaiters(int waiters) {
        return new HlsConfig(targetDuration, partTarget, windowSegments, idleTimeout, waiters);
    }

    /** How long a blocking playlist request is held before 503: three target durations (RFC 8216bis 6.2.5.2). */
    public Duration blockTimeout() {
        return targetDuration.multipliedBy(3);
    }
}
