package io.openlive.engine.stream;

/**
 * Decides whether a batch of frames should wait a little for the other track's next frame, so that a viewer gets audio
 * and video in one write instead of two.
 *
 * <p>Why: on the egress path the server's CPU follows the number of writes (TCP segments) per viewer, not the bytes. An
 * encoder sends about 30 video and 43–47 audio frames a second, and they rarely arrive in the same read, so a viewer
 * costs one write per frame. Most of them have a partner of the other track only a few milliseconds away. Waiting for it
 * when — and only when — it is due soon pairs most frames at a small, bounded delay, where a fixed merge window delays
 * every frame.
 *
 * <p>The rule: at the end of a batch whose last media frame is of track T, hold if the other track's next frame is
 * expected (its last arrival plus its last frame interval, in media time) before the hold would end and is overdue by no
 * more than the hold. A hold ends when that frame arrives, or {@code hold} after the first held batch arrived, whichever
 * comes first. A stream with one track never holds. Not thread-safe: the stream calls it under its lock.
 */
final class PairingHold {
    private static final long NONE = Long.MIN_VALUE;
    /** Gaps longer than this between frames of a track are pauses, not its frame interval. */
    private static final int MAX_INTERVAL_MS = 200;
    private static final int AUDIO = 0;
    private static final int VIDEO = 1;

    private final long holdNanos;
    private final long[] lastArrival = {NONE, NONE};
    private final int[] lastTimestamp = new int[2];
    private final int[] intervalMs = new int[2];
    private int lastTrack = -1;
    private long heldSince = NONE;
    private long holdId;

    /** What the end of a batch means for readers. */
    enum Decision { SEND, KEEP_HOLDING, START_HOLD }

    PairingHold(long holdNanos) {
        this.holdNanos = holdNanos;
    }

    boolean enabled() {
        return holdNanos > 0;
    }

    /** Records a media frame of the batch being read; configuration and metadata frames do not count. */
    void onFrame(Frame.Kind kind, int timestamp, long nowNanos) {
        int track = switch (kind) {
            case AUDIO -> AUDIO;
            case VIDEO, KEYFRAME -> VIDEO;
            default -> -1;
        };
        if (track < 0) {
            return;
        }
        if (lastArrival[track] != NONE) {
            int gap = timestamp - lastTimestamp[track];
            if (gap > 0 && gap <= MAX_INTERVAL_MS) {
                intervalMs[track] = gap;
            }
        }
        lastArrival[track] = nowNanos;
        lastTimestamp[track] = timestamp;
        lastTrack = track;
    }

    /**
     * Called at the end of a batch: whether readers are told now, or the batch waits. On {@link Decision#START_HOLD} the
     * caller schedules {@link #expire(long)} for {@link #currentHold()} after {@link #remainingMillis(long)}.
     */
    Decision decide(long nowNanos) {
        if (lastTrack < 0) {
            return Decision.SEND;
        }
        int other = 1 - lastTrack;
        if (lastArrival[other] == NONE || intervalMs[other] == 0) {
            return release();
        }
        boolean holding = heldSince != NONE;
        long deadline = (holding ? heldSince : nowNanos) + holdNanos;
        long expected = lastArrival[other] + intervalMs[other] * 1_000_000L;
        if (nowNanos - deadline >= 0 || expected - deadline > 0 || nowNanos - expected > holdNanos) {
            return release();
        }
        if (holding) {
            return Decision.KEEP_HOLDING;
        }
        heldSince = nowNanos;
        holdId++;
        return Decision.START_HOLD;
    }

    long currentHold() {
        return holdId;
    }

    long remainingMillis(long nowNanos) {
        long left = heldSince + holdNanos - nowNanos;
        return Math.max(1, (left + 999_999) / 1_000_000);
    }

    /** The hold's timer fired: true if that hold was still on, and is now over (the caller then tells readers). */
    boolean expire(long id) {
        if (heldSince == NONE || id != holdId) {
            return false;
        }
        heldSince = NONE;
        return true;
    }

    private Decision release() {
        heldSince = NONE;
        return Decision.SEND;
    }
}
