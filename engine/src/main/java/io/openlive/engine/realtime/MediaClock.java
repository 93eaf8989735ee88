package io.openlive.engine.realtime;

import java.util.OptionalLong;

/**
 * Where a room's picture is: the newest media timestamp (ms, on the room's ingest timeline) this node has received, while
 * the room is live here; empty otherwise. Room messages carry it as {@code mt}, so a container can show a message with
 * the frame it belongs to. The server backs it with the stream hub; must be cheap and callable from any thread.
 */
@FunctionalInterface
public interface MediaClock {
    OptionalLong mediaTime(String roomId);

    MediaClock NONE = roomId -> OptionalLong.empty();

    /** The timestamp, or -1 when there is none (for envelopes, which leave {@code mt} out then). */
    default long mtOrNone(String roomId) {
        return mediaTime(roomId).orElse(-1);
    }
}
