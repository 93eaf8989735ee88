package io.openlive.engine.realtime;

/** A token bucket: {@code ratePerSecond} tokens refill continuously up to {@code burst}. Not thread-safe. */
public final class TokenBucket {
    private final double ratePerNano;
    private final double burst;
    private double tokens;
    private long last;

    public TokenBucket(double ratePerSecond, double burst, long nowNanos) {
        this.ratePerNano = ratePerSecond / 1e9;
        this.burst = burst;
        this.tokens = burst;
        this.last = nowNanos;
    }

    /** Takes {@code n} tokens if there are that many. */
    public boolean tryTake(double n, long nowNanos) {
        tokens = Math.min(burst, tokens + (nowNanos - last) * ratePerNano);
        last = nowNanos;
        if (tokens >= n) {
            tokens -= n;
            return true;
        }
        return false;
    }
}
