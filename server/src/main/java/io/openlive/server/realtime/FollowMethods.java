package io.openlive.server.realtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.openlive.engine.follow.Follows;
import io.openlive.protocol.realtime.Envelope;
import io.openlive.protocol.realtime.ErrorCode;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The follow methods of the realtime channel: {@code follow}, {@code unfollow} and {@code follow.status}, a signed-in
 * viewer following the room's broadcaster. Each answers {@code {following, followers}} once the store has it (on a
 * worker thread); following twice is one follow. Anonymous viewers get {@code unauthorized}: there is no one to
 * remember as following.
 */
final class FollowMethods {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RealtimeHub hub;

    FollowMethods(RealtimeHub hub) {
        this.hub = hub;
    }

    CompletionStage<JsonNode> call(RoomChannel room, RealtimeConnection c, Envelope.Call call) {
        Follows follows = hub.follows();
        if (follows == null) {
            throw new RealtimeMethods.Refusal(ErrorCode.UNKNOWN_METHOD, "follows are not kept on this node");
        }
        if (c.viewer.anonymous()) {
            throw new RealtimeMethods.Refusal(ErrorCode.UNAUTHORIZED, "anonymous viewers cannot follow; sign in through the host app");
        }
        if (!call.method().equals("follow.status") && c.viewer.expired(System.currentTimeMillis())) {
            throw new RealtimeMethods.Refusal(ErrorCode.TOKEN_EXPIRED, "your token expired; reconnect with a new one from the host app");
        }
        String roomId = room.roomId;
        String appId = c.appId;
        String viewer = c.viewer.id();
        CompletableFuture<JsonNode> out = new CompletableFuture<>();
        room.context.owner().<Follows.Status>executeBlocking(() -> switch (call.method()) {
            case "follow" -> follows.follow(roomId, appId, viewer);
            case "unfollow" -> follows.unfollow(roomId, appId, viewer);
            default -> follows.status(roomId, appId, viewer);
        }, false).onComplete(ar -> {
            if (ar.succeeded()) {
                out.complete(JSON.createObjectNode().put("following", ar.result().following()).put("followers", ar.result().followers()));
            } else {
                out.completeExceptionally(ar.cause());
            }
        });
        return out;
    }
}
