package io.openlive.engine.analytics;

import io.openlive.engine.platform.PlatformException;

/**
 * The step of a room's viewer series: the caller's, checked against the point limit, or when it names none the
 * smallest step of a fixed ladder that keeps the series within the limit. Steps are whole multiples of the 10 s sample
 * bucket; a range reaching back past the hour in which 10 s samples are kept starts at a minute, because older samples
 * are rolled up to one per minute and a finer step would show five empty points out of six.
 */
final class SeriesStep {
    /** Seconds; each a multiple of the 10 s bucket, each step a whole number of the one before it. */
    static final long[] LADDER = {10, 30, 60, 300, 900, 3_600, 21_600, 86_400};
    private static final long MIN_SECONDS = RoomStats.BUCKET_MILLIS / 1000;
    private static final long MAX_SECONDS = 86_400;

    private SeriesStep() {
    }

    /**
     * @param text  the caller's step in seconds, or null/empty to choose one
     * @param from  start of the range, epoch millis
     * @param to    end of the range, epoch millis (after {@code from})
     * @param now   epoch millis, to tell whether the range reaches samples already rolled up to minutes
     * @return the step in millis
     */
    static long of(String text, long from, long to, long now, int maxPoints) {
        long range = to - from;
        if (text == null || text.isEmpty()) {
            return chosen(range, from < now - RoomStats.FINE_FOR_MILLIS, maxPoints);
        }
        long step = explicit(text);
        long points = points(range, step);
        if (points > maxPoints) {
            long fitting = smallestFitting(range, maxPoints);
            if (fitting > MAX_SECONDS * 1000) {
                throw tooLong(maxPoints);
            }
            throw PlatformException.invalid("INVALID_RANGE", "step=" + step / 1000 + " gives " + points + " points over this range, at most "
                    + maxPoints + ": use step=" + fitting / 1000 + " or more, leave step out to have one chosen,"
                    + " or narrow the range");
        }
        return step;
    }

    private static long chosen(long range, boolean reachesMinuteSamples, int maxPoints) {
        for (long seconds : LADDER) {
            if (reachesMinuteSamples && seconds < 60) {
                continue;
            }
            if (points(range, seconds * 1000) <= maxPoints) {
                return seconds * 1000;
            }
        }
        throw tooLong(maxPoints);
    }

    private static PlatformException tooLong(int maxPoints) {
        return PlatformException.invalid("INVALID_RANGE", "the range is longer than " + maxPoints + " days (" + maxPoints
                + " points of the widest step, 86400): narrow the range");
    }

    private static long explicit(String text) {
        try {
            long s = Long.parseLong(text);
            if (s >= MIN_SECONDS && s % MIN_SECONDS == 0 && s <= MAX_SECONDS) {
                return s * 1000;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw PlatformException.invalid("INVALID_STEP", "step is seconds, a multiple of 10 from 10 to 86400 (or left out to have one chosen)");
    }

    /** The smallest step the caller may name for this range: the bucket multiple that gives at most {@code maxPoints}. */
    private static long smallestFitting(long range, int maxPoints) {
        long bucket = RoomStats.BUCKET_MILLIS;
        long perPoint = (range + maxPoints - 1) / maxPoints;
        return Math.max(bucket, (perPoint + bucket - 1) / bucket * bucket);
    }

    static long points(long range, long step) {
        return (range + step - 1) / step;
    }
}
