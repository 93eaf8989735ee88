package io.openlive.server.realtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.openlive.engine.record.Recording;
import io.openlive.engine.record.Recordings;
import io.openlive.protocol.realtime.ErrorCode;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code room.recordings}: the room's finished recordings, which a container replays as VOD HLS
 * ({@code /recordings/{roomId}/{id}.m3u8}), as {@code {items:[{id, startedAt, endedAt, duration}]}}, newest first. The
 * viewer's host app must still have the room delivered when asking (the join checked it once; a delivery withdrawn since
 * lists nothing). A method of its own rather than part of {@code room.info}: it reads the disk, and every viewer calls
 * room.info at every join, while only a replay (or a component offering one) asks for this. The disk is read on a worker,
 * at most once per room every {@link #CACHE_MILLIS} however many viewers ask.
 */
final class RecordingMethods {
    /** Newest recordings listed: a replay picker, not an archive browser. */
    static final int MAX_ITEMS = 50;
    static final long CACHE_MILLIS = 2000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private record Cached(ArrayNode items, long until) {
    }

    private final RealtimeHub hub;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    RecordingMethods(RealtimeHub hub) {
        this.hub = hub;
    }

    CompletionStage<JsonNode> call(RoomChannel room, RealtimeConnection c) {
        Recordings recordings = hub.recordings();
        if (recordings == null) {
            throw new RealtimeMethods.Refusal(ErrorCode.UNKNOWN_METHOD, "recordings are not kept on this node");
        }
        String roomId = room.roomId;
        CompletableFuture<JsonNode> out = new CompletableFuture<>();
        hub.access(roomId, c.appId).compose(access -> {
            Cached cached = cache.get(roomId);
            long now = System.currentTimeMillis();
            if (cached != null && cached.until() > now) {
                return io.vertx.core.Future.succeededFuture(cached.items());
            }
            return room.context.owner().executeBlocking(() -> items(recordings.finished(roomId, MAX_ITEMS)), false).onSuccess(items -> {
                if (cache.size() > 10_000) {
                    cache.clear(); // bounded: a cache, not a registry
                }
                cache.put(roomId, new Cached(items, now + CACHE_MILLIS));
            });
        }).onComplete(ar -> {
            if (ar.succeeded()) {
                out.complete(JSON.createObjectNode().set("items", ar.result().deepCopy()));
            } else if (ar.cause() instanceof ViewerTokens.Refused r) {
                out.completeExceptionally(new RealtimeMethods.Refusal(r.code, r.getMessage()));
            } else {
                out.completeExceptionally(ar.cause());
            }
        });
        return out;
    }

    private static ArrayNode items(List<Recording> finished) {
        ArrayNode items = JSON.createArrayNode();
        for (Recording r : finished) {
            ObjectNode n = items.addObject().put("id", r.id()).put("startedAt", r.startedAt().toEpochMilli());
            if (r.endedAt() != null) {
                n.put("endedAt", r.endedAt().toEpochMilli());
            }
            n.put("duration", r.duration());
        }
        return items;
    }
}
