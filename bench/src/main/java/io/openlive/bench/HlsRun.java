package io.openlive.bench;

import java.util.concurrent.atomic.LongAdder;

/**
 * Shared state of one measured HLS step: the publisher's clock, the totals every viewer adds to and the delay
 * histograms, which take samples only while {@link #measuring}.
 */
final class HlsRun {
    final RtmpPublisher publisher;
    /** What the server adds to the RTMP timestamp in its media times: 0 for openlive, 700 ms for nginx-rtmp's MPEG-TS. */
    final long mediaOffsetMs;
    final LongAdder requests = new LongAdder();
    final LongAdder bytes = new LongAdder();
    final LongAdder errors = new LongAdder();
    final LongAdder reconnects = new LongAdder();
    /** Chunks whose last frame's send time was found / not found (a timeline mismatch shows here). */
    final LongAdder matched = new LongAdder();
    final LongAdder unmatched = new LongAdder();
    /** Publisher sent the chunk's last video frame → a playlist naming the chunk reached the viewer. */
    final Histogram listedDelay = new Histogram();
    /** Publisher sent the chunk's last video frame → the chunk's last byte reached the viewer. */
    final Histogram receivedDelay = new Histogram();
    /**
     * Per chunk URI, the earliest any viewer saw it listed, after its last frame was sent: when the server made it
     * available, less the viewers' own queueing (the first viewer to ask is the least delayed).
     */
    final java.util.Map<String, Long> firstListed = new java.util.concurrent.ConcurrentHashMap<>();
    /** The playlist's newest media end by EXT-X-PROGRAM-DATE-TIME → the playlist reached the viewer. */
    final Histogram edgeAge = new Histogram();
    volatile boolean measuring;
    volatile String firstError;

    HlsRun(RtmpPublisher publisher, long mediaOffsetMs) {
        this.publisher = publisher;
        this.mediaOffsetMs = mediaOffsetMs;
    }

    /** System.nanoTime() when the publisher sent the video frame of media time {@code mediaMs}, or -1 if it did not. */
    long sentNanos(long mediaMs) {
        Long t = publisher.sendTime(9, (int) (mediaMs - mediaOffsetMs));
        if (t == null) {
            unmatched.increment();
            return -1;
        }
        matched.increment();
        return t;
    }

    void listed(String uri, long listedAtNanos, long sentNanos) {
        listedDelay.record(listedAtNanos - sentNanos);
        firstListed.merge(uri, listedAtNanos - sentNanos, Math::min);
    }

    /** Histogram of {@link #firstListed}: one sample per chunk. */
    Histogram firstListedHistogram() {
        Histogram h = new Histogram();
        firstListed.values().forEach(h::record);
        return h;
    }

    void error(String what) {
        errors.increment();
        if (firstError == null) {
            firstError = what;
        }
    }
}
