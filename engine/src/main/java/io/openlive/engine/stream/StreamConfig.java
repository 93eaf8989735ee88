package io.openlive.engine.stream;

import java.time.Duration;

/**
 * Limits and timings of live streams.
 *
 * @param ringFrames           most frames a stream keeps (GOP cache plus backlog for readers), default 2048
 * @param ringBytes            most bytes a stream keeps beyond its current GOP, default 16 MiB
 * @param maxReaderLag         a reader further behind the newest frame (media time) skips to the latest key frame, default 2 s
 * @param slowReaderTimeout    a reader that has not caught up for this long is disconnected, default 10 s
 * @param publisherGrace       after a publisher drops, the room stays live this long for it to come back, default 10 s
 * @param waitForPublisher     a viewer of a room that is not live waits this long for a publisher, default 30 s
 * @param maxBatch             most frames one reader writes per turn before yielding its event loop, default 64
 * @param mergeWindow          viewers are told of new frames at most once per this window, so each viewer's frames of a
 *                             window go out in one write: less CPU per viewer (fewer TCP segments), up to this much more
 *                             delay. Default 0: every batch the publisher sends goes out at once
 * @param mergeFromViewers     the merge window applies to a stream only while it has at least this many viewers on this
 *                             node, so small, interactive rooms keep the lowest delay and large ones, where the CPU
 *                             goes, save it. Default 0: whenever a window is set
 * @param pairHold             a batch of frames waits up to this long for the other track's next frame when that frame
 *                             is due within it, so a viewer gets audio and video in one write ({@link PairingHold}).
 *                             0 turns it off
 */
public record StreamConfig(int ringFrames, long ringBytes, Duration maxReaderLag, Duration slowReaderTimeout,
                           Duration publisherGrace, Duration waitForPublisher, int maxBatch, Duration mergeWindow,
                           int mergeFromViewers, Duration pairHold) {

    public static StreamConfig defaults() {
        return new StreamConfig(2048, 16L << 20, Duration.ofSeconds(2), Duration.ofSeconds(10), Duration.ofSeconds(10),
                Duration.ofSeconds(30), 64, Duration.ZERO, 0, Duration.ZERO);
    }

    public StreamConfig {
        if (mergeWindow.isNegative() || mergeWindow.compareTo(MAX_MERGE_WINDOW) > 0) {
            throw new IllegalArgumentException("merge window must be 0 to " + MAX_MERGE_WINDOW.toMillis() + " ms, not " + mergeWindow.toMillis() + " ms");
        }
        if (pairHold.isNegative() || pairHold.compareTo(MAX_PAIR_HOLD) > 0) {
            throw new IllegalArgumentException("pair hold must be 0 to " + MAX_PAIR_HOLD.toMillis() + " ms, not " + pairHold.toMillis() + " ms");
        }
        if (mergeFromViewers < 0) {
            throw new IllegalArgumentException("merge window viewer threshold must be 0 or more, not " + mergeFromViewers);
        }
    }

    /** Beyond this a merge window costs more delay than any live-commerce room should pay. */
    public static final Duration MAX_MERGE_WINDOW = Duration.ofMillis(200);
    /** A hold longer than an audio frame interval would wait past the partner it is meant for. */
    public static final Duration MAX_PAIR_HOLD = Duration.ofMillis(20);

    public StreamConfig withPairHold(Duration hold) {
        return new StreamConfig(ringFrames, ringBytes, maxReaderLag, slowReaderTimeout, publisherGrace, waitForPublisher, maxBatch, mergeWindow, mergeFromViewers, hold);
    }

    public StreamConfig withMergeFromViewers(int viewers) {
        return new StreamConfig(ringFrames, ringBytes, maxReaderLag, slowReaderTimeout, publisherGrace, waitForPublisher, maxBatch, mergeWindow, viewers, pairHold);
    }

    public StreamConfig withMergeWindow(Duration window) {
        return new StreamConfig(ringFrames, ringBytes, maxReaderLag, slowReaderTimeout, publisherGrace, waitForPublisher, maxBatch, window, mergeFromViewers, pairHold);
    }

    public StreamConfig withPublisherGrace(Duration grace) {
        return new StreamConfig(ringFrames, ringBytes, maxReaderLag, slowReaderTimeout, grace, waitForPublisher, maxBatch, mergeWindow, mergeFromViewers, pairHold);
    }

    public StreamConfig withSlowReaderTimeout(Duration timeout) {
        return new StreamConfig(ringFrames, ringBytes, maxReaderLag, timeout, publisherGrace, waitForPublisher, maxBatch, mergeWindow, mergeFromViewers, pairHold);
    }

    public StreamConfig withWaitForPublisher(Duration wait) {
        return new StreamConfig(ringFrames, ringBytes, maxReaderLag, slowReaderTimeout, publisherGrace, wait, maxBatch, mergeWindow, mergeFromViewers, pairHold);
    }

    public StreamConfig withRing(int frames, long bytes) {
        return new StreamConfig(frames, bytes, maxReaderLag, slowReaderTimeout, publisherGrace, waitForPublisher, maxBatch, mergeWindow, mergeFromViewers, pairHold);
    }
}
