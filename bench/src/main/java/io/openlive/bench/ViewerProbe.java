package io.openlive.bench;

/**
 * What one load viewer saw: when it connected and got its first video frame, how far its media time is behind the
 * publisher's wall clock, bytes, and whether it failed. Updated on the client event loop only.
 */
final class ViewerProbe {
    final long connectNanos = System.nanoTime();
    volatile long firstFrameNanos;
    volatile long bytes;
    volatile long frames;
    volatile int worstRecentLagMs;
    volatile boolean failed;
    volatile String failure;
    volatile boolean closed;
    private long windowStart;
    private int windowWorst;

    /** A media message with stream timestamp {@code ts} arrived now. */
    void onMedia(RunContext run, int type, int ts, int size) {
        long now = System.nanoTime();
        if (type == 9 && firstFrameNanos == 0) {
            firstFrameNanos = now;
            run.firstFrame.record(now - connectNanos);
        }
        bytes += size;
        frames++;
        int lagMs = (int) ((now - run.publisher.startNanos) / 1_000_000 - ts);
        if (now - windowStart > 1_000_000_000L) {
            worstRecentLagMs = Math.max(windowWorst, lagMs);
            windowWorst = lagMs;
            windowStart = now;
        } else {
            windowWorst = Math.max(windowWorst, lagMs);
        }
        if (run.measuring) {
            Long sent = run.publisher.sendTime(type, ts);
            if (sent != null) {
                run.latency.record(now - sent);
            } else {
                run.unmatched.increment();
            }
        }
    }

    void fail(String why) {
        if (!failed && !closed) {
            failed = true;
            failure = why;
        }
    }

    /** Lag at the end of the window: the worst of the last full second and the current one. */
    int lagMs() {
        return Math.max(worstRecentLagMs, windowWorst);
    }
}
