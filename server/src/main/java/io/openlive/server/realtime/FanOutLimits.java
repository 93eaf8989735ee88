package io.openlive.server.realtime;

import io.openlive.engine.realtime.TokenBucket;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one room accepts of the messages every subscriber receives, beyond comments (which have their own sampling):
 * component topics ({@code topic.emit}) at most {@link #ROOM_EMITS_PER_SECOND} per room and
 * {@link #VIEWER_EMITS_PER_SECOND} per viewer — per viewer, not per connection, so fifty sockets of one viewer share one
 * allowance — and gifts at most {@link #ROOM_GIFTS_PER_SECOND} per room. Refused calls get {@code rate_limited}.
 *
 * <p>Confined to the room's event loop. The per-viewer allowances are kept for the {@link #MAX_VIEWERS} most recent
 * emitters. Usage: {@code if (!room.fanOut.emit(viewerKey, now)) refuse(...)}.
 */
final class FanOutLimits {
    static final int ROOM_EMITS_PER_SECOND = 100;
    static final int VIEWER_EMITS_PER_SECOND = 5;
    static final int ROOM_GIFTS_PER_SECOND = 50;
    static final int MAX_VIEWERS = 10_000;

    private final TokenBucket roomEmits;
    private final TokenBucket roomGifts;
    private final Map<String, TokenBucket> viewerEmits = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, TokenBucket> eldest) {
            return size() > MAX_VIEWERS;
        }
    };

    FanOutLimits(long nowNanos) {
        this.roomEmits = new TokenBucket(ROOM_EMITS_PER_SECOND, ROOM_EMITS_PER_SECOND, nowNanos);
        this.roomGifts = new TokenBucket(ROOM_GIFTS_PER_SECOND, ROOM_GIFTS_PER_SECOND, nowNanos);
    }

    /** Whether the viewer ({@code appId/viewerId}) may emit now; takes from the viewer's and the room's allowance. */
    boolean emit(String viewerKey, long nowNanos) {
        TokenBucket viewer = viewerEmits.computeIfAbsent(viewerKey,
                k -> new TokenBucket(VIEWER_EMITS_PER_SECOND, VIEWER_EMITS_PER_SECOND * 2.0, nowNanos));
        return viewer.tryTake(1, nowNanos) && roomEmits.tryTake(1, nowNanos);
    }

    boolean gift(long nowNanos) {
        return roomGifts.tryTake(1, nowNanos);
    }
}
