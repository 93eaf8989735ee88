package io.openlive.server.realtime;

/**
 * Limits and rhythms of the realtime channel (documented in PROTOCOL.md).
 *
 * @param tickMillis               outgoing messages are batched per room for this long (default 40 ms)
 * @param maxTickMillis            the longest batching interval a busy room stretches to (default 80 ms)
 * @param maxFrameBytes            largest client frame (default 16 KiB)
 * @param commentsPerSecond        comments a room's stream carries; more are sampled out and counted (default 300)
 * @param roomCommentsPerSecond    comments a room accepts; more are refused with rate_limited (default 1000)
 * @param callsPerSecond           calls one viewer may make (burst {@code 2×}) (default 20)
 * @param commentsPerViewerSecond  comments one viewer may send (burst 5) (default 1)
 * @param maxCommentChars          longest comment (default 500)
 * @param backlogLimit             high-priority messages kept for a viewer that cannot take them; past it, it is closed (default 512)
 * @param stuckMillis              a viewer unable to take messages for this long is closed (default 10 s)
 * @param likeFlushMillis          how often a node adds up its likes and announces the total (default 250 ms)
 * @param presenceMillis           how often viewer counts are reported and announced (default 500 ms)
 */
public record RealtimeConfig(int tickMillis, int maxTickMillis, int maxFrameBytes, int commentsPerSecond, int roomCommentsPerSecond,
                             int callsPerSecond, double commentsPerViewerSecond, int maxCommentChars, int backlogLimit,
                             long stuckMillis, long likeFlushMillis, long presenceMillis) {
    public static RealtimeConfig defaults() {
        return new RealtimeConfig(40, 80, 16 * 1024, 300, 1000, 20, 1, 500, 512, 10_000, 250, 500);
    }

    public RealtimeConfig withCommentsPerViewerSecond(double rate) {
        return new RealtimeConfig(tickMillis, maxTickMillis, maxFrameBytes, commentsPerSecond, roomCommentsPerSecond, callsPerSecond, rate,
                maxCommentChars, backlogLimit, stuckMillis, likeFlushMillis, presenceMillis);
    }

    public RealtimeConfig withCommentsPerSecond(int rate) {
        return new RealtimeConfig(tickMillis, maxTickMillis, maxFrameBytes, rate, roomCommentsPerSecond, callsPerSecond, commentsPerViewerSecond,
                maxCommentChars, backlogLimit, stuckMillis, likeFlushMillis, presenceMillis);
    }

    public RealtimeConfig withStuckMillis(long millis) {
        return new RealtimeConfig(tickMillis, maxTickMillis, maxFrameBytes, commentsPerSecond, roomCommentsPerSecond, callsPerSecond, commentsPerViewerSecond,
                maxCommentChars, backlogLimit, millis, likeFlushMillis, presenceMillis);
    }
}
