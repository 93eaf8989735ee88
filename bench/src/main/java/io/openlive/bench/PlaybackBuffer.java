package io.openlive.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * A player's buffer, for counting stalls: media arrives in chunks (segments or parts, by their playlist durations);
 * playback starts with the first chunk and then advances with the wall clock; when the playhead reaches the end of what
 * has arrived the player stalls, and resumes with the next chunk. Stalls are found lazily, from the times chunks arrive
 * and the times the caller asks, so nothing runs per viewer between events. Pure: the caller passes every time, in
 * nanoseconds, in non-decreasing order. Not thread-safe (one viewer, one event loop).
 * Usage: {@code b.append(now, 2_000_000_000L); b.stallsBetween(from, to)}
 */
final class PlaybackBuffer {
    /** One stall: {@code endNanos} is -1 while it lasts. */
    record Stall(long startNanos, long endNanos) {
    }

    private long buffered;
    private long startedAt = -1;
    private long playingSince;
    private long positionAtPlayingSince;
    private boolean stalled;
    private long stalledSince;
    private final List<Stall> stalls = new ArrayList<>();

    /** {@code mediaNanos} more media has arrived at {@code now}; the first chunk starts playback. */
    void append(long now, long mediaNanos) {
        if (mediaNanos < 0) {
            throw new IllegalArgumentException("a chunk lasts 0 ns or more, not " + mediaNanos);
        }
        if (startedAt < 0) {
            startedAt = now;
            playingSince = now;
        } else {
            advance(now);
            if (stalled) {
                stalled = false;
                stalls.set(stalls.size() - 1, new Stall(stalledSince, now));
                playingSince = now;
                positionAtPlayingSince = buffered;
            }
        }
        buffered += mediaNanos;
    }

    boolean started() {
        return startedAt >= 0;
    }

    long startedAtNanos() {
        return startedAt;
    }

    /** Media played by {@code now}, from the first chunk's start. */
    long positionNanos(long now) {
        advance(now);
        if (startedAt < 0) {
            return 0;
        }
        return stalled ? buffered : positionAtPlayingSince + (now - playingSince);
    }

    /** Media buffered ahead of the playhead at {@code now}. */
    long aheadNanos(long now) {
        return buffered - positionNanos(now);
    }

    /** Stalls that began in [fromNanos, toNanos], counting one still going on at {@code toNanos}. */
    int stallsBetween(long fromNanos, long toNanos) {
        advance(toNanos);
        int n = 0;
        for (Stall s : stalls) {
            if (s.startNanos() >= fromNanos && s.startNanos() <= toNanos) {
                n++;
            }
        }
        return n;
    }

    /** Time spent stalled within [fromNanos, toNanos]. */
    long stalledNanosBetween(long fromNanos, long toNanos) {
        advance(toNanos);
        long sum = 0;
        for (Stall s : stalls) {
            long end = s.endNanos() < 0 ? toNanos : Math.min(s.endNanos(), toNanos);
            sum += Math.max(0, end - Math.max(s.startNanos(), fromNanos));
        }
        return sum;
    }

    List<Stall> stalls() {
        return List.copyOf(stalls);
    }

    /** Marks a stall if the playhead has caught up with the buffered end by {@code now}. */
    private void advance(long now) {
        if (startedAt < 0 || stalled) {
            return;
        }
        long runOut = playingSince + (buffered - positionAtPlayingSince);
        if (now >= runOut) {
            stalled = true;
            stalledSince = runOut;
            stalls.add(new Stall(runOut, -1));
        }
    }
}
