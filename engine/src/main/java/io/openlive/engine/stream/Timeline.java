package io.openlive.engine.stream;

/**
 * A room's media timeline: publisher timestamps in, room timestamps out, 64-bit inside.
 *
 * <p>RTMP and FLV carry 32-bit unsigned milliseconds (RTMP 5.3.1.3, FLV 1.0 E.4.1), which wrap after 2^32 ms (about
 * 49.7 days) and turn negative as a Java {@code int} after 2^31 ms (24.8 days); a 24/7 channel reaches both. Each
 * timestamp is unwrapped against the track's previous one (the signed 32-bit difference), so the timeline keeps
 * counting; frames carry its low 32 bits, which is what the wire formats want.
 *
 * <p>Audio, video and data each keep their own offset and last timestamp. A timestamp more than
 * {@link #BACKWARD_JUMP_MS} behind its own track's last one is a clock jump (an encoder restarting its clock): that
 * track continues from its last timestamp. The rule is per track because a source whose audio trails its video by
 * more than a second is not jumping, and a shared rule would flip between the two and break their sync. Small
 * backward steps (jitter) pass unchanged. Forward jumps pass unchanged too: players handle a gap better than a
 * rewritten clock.
 *
 * <p>A publisher that returns within the grace period continues at the room's last timestamp + 1, whatever its own
 * clock says: the outage does not appear on the timeline, which is what keeps players that stayed connected decoding.
 * Usage: {@code int ts = (int) timeline.place(FlvTagType.VIDEO, timestamp);}. Not thread-safe: the stream's lock guards it.
 */
final class Timeline {
    /** A timestamp this far behind its track's last is a publisher restart or clock jump, not jitter. */
    static final int BACKWARD_JUMP_MS = 1000;
    private static final int TRACKS = 3;

    private final boolean[] seen = new boolean[TRACKS];
    private final long[] lastIn = new long[TRACKS];
    private final long[] lastOut = new long[TRACKS];
    private final long[] offset = new long[TRACKS];
    /** The latest unwrapped input of any track, the reference for a track's first timestamp; -1 before any. */
    private long anyIn = -1;
    /** The latest room timestamp of any track. */
    private long newest = -1;
    private boolean restart;

    /** The publisher came back: its clock starts anywhere, and the next frame continues at the room's last + 1. */
    void publisherReturned() {
        restart = newest >= 0;
        java.util.Arrays.fill(seen, false);
        anyIn = -1;
    }

    /** The newest room timestamp of any track, as the wire carries it (its low 32 bits, unsigned); -1 before any frame. */
    long newest() {
        return newest < 0 ? -1 : Integer.toUnsignedLong((int) newest);
    }

    /** Room time in milliseconds of a message of FLV tag {@code type} (8, 9, 18) stamped {@code timestamp} (unsigned). */
    long place(int type, int timestamp) {
        int t = type == 8 ? 0 : type == 9 ? 1 : 2;
        long in = unwrap(seen[t] ? lastIn[t] : anyIn, timestamp);
        if (restart) {
            java.util.Arrays.fill(offset, newest + 1 - in);
            restart = false;
        }
        long out = in + offset[t];
        if (seen[t] && out < lastOut[t] - BACKWARD_JUMP_MS) {
            offset[t] = lastOut[t] - in;
            out = lastOut[t];
        }
        if (!seen[t] || out > lastOut[t]) {
            lastOut[t] = out;
        }
        seen[t] = true;
        lastIn[t] = in;
        anyIn = Math.max(anyIn, in);
        newest = Math.max(newest, out);
        return Math.max(out, 0);
    }

    /** The 64-bit value nearest to {@code reference} whose low 32 bits are {@code timestamp}. */
    private static long unwrap(long reference, int timestamp) {
        if (reference < 0) {
            return Integer.toUnsignedLong(timestamp);
        }
        int delta = timestamp - (int) reference; // modulo 2^32: the step, whichever way it wrapped
        return reference + delta;
    }
}
