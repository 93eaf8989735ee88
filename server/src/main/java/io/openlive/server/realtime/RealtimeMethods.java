package io.openlive.server.realtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.openlive.engine.platform.Moderation;
import io.openlive.engine.realtime.Priority;
import io.openlive.protocol.realtime.Envelope;
import io.openlive.protocol.realtime.EnvelopeDecoder;
import io.openlive.protocol.realtime.EnvelopeException;
import io.openlive.protocol.realtime.Envelopes;
import io.openlive.protocol.realtime.ErrorCode;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * What a client frame does, on the room's event loop: sub/unsub, ping, and the methods {@code room.info},
 * {@code comment.send}, {@code like.send}, {@code gift.send} and {@code topic.emit}; commerce methods go to
 * {@link CommerceMethods}, follow methods to {@link FollowMethods}, {@code room.recordings} to {@link RecordingMethods}. Every refusal is an error envelope
 * with a code from {@link ErrorCode}; a client that keeps sending refused calls is closed.
 */
final class RealtimeMethods {
    /** Refused frames within {@link #REFUSAL_WINDOW_NANOS} after which a connection is closed as flooding. */
    static final int MAX_REFUSED = 1000;
    static final long REFUSAL_WINDOW_NANOS = 10_000_000_000L;
    static final int MAX_LIKES_PER_CALL = 100;
    static final int MAX_EMIT_BYTES = 4096;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final EnvelopeDecoder decoder;
    private final RealtimeConfig config;
    private final CommerceMethods commerce;
    private final FollowMethods follows;
    private final RecordingMethods recordings;

    RealtimeMethods(RealtimeConfig config, CommerceMethods commerce, FollowMethods follows, RecordingMethods recordings) {
        this.config = config;
        this.recordings = recordings;
        this.decoder = new EnvelopeDecoder(config.maxFrameBytes());
        this.commerce = commerce;
        this.follows = follows;
    }

    /** One client message, as the UTF-8 bytes it came in. */
    void handle(RoomChannel room, RealtimeConnection c, byte[] message) {
        if (c.closed) {
            return;
        }
        Envelope envelope;
        try {
            envelope = decoder.decode(message);
        } catch (EnvelopeException e) {
            refuse(c, e.id(), e.code(), e.getMessage());
            return;
        }
        long now = System.nanoTime();
        long id = envelope instanceof Envelope.Call call ? call.id() : 0;
        if (!c.calls.tryTake(1, now)) {
            refuse(c, id, ErrorCode.RATE_LIMITED, "more than " + config.callsPerSecond() + " calls per second");
            return;
        }
        try {
            switch (envelope) {
                case Envelope.Ping p -> c.send(Envelopes.pong());
                case Envelope.Subscribe s -> subscribe(room, c, s.topics());
                case Envelope.Unsubscribe u -> {
                    c.unsubscribe(u.topics());
                    room.regroup();
                }
                case Envelope.Call call -> call(room, c, call, now);
            }
        } catch (Refusal r) {
            refuse(c, id, r.code, r.getMessage());
        }
    }

    private void subscribe(RoomChannel room, RealtimeConnection c, List<String> topics) {
        RoomAccess.Topics allowed = room.appTopics.getOrDefault(c.appId, RoomAccess.Topics.of(List.of()));
        List<String> ok = new ArrayList<>();
        for (String t : topics) {
            if (!allowed.maySubscribe(t)) {
                throw new Refusal(ErrorCode.UNKNOWN_TOPIC, "topic " + t + " is neither a room topic nor declared by a component of this app");
            }
            ok.add(t);
        }
        c.subscribe(ok);
        room.regroup();
    }

    private void call(RoomChannel room, RealtimeConnection c, Envelope.Call call, long now) {
        ComponentCalls.check(room.appTopics.get(c.appId), call);
        CompletionStage<? extends JsonNode> result = switch (call.method()) {
            case "room.info" -> now(roomInfo(room, c));
            case "room.recordings" -> recordings.call(room, c);
            case "comment.send" -> commentSend(room, c, call.params(), now);
            case "like.send" -> now(likeSend(room, c, call.params()));
            case "gift.send" -> giftSend(room, c, call.params(), now);
            case "topic.emit" -> topicEmit(room, c, call.params(), now);
            case "product.current", "cart.add", "cart.get", "cart.remove", "order.create" -> commerce.call(room, c, call);
            case "follow", "unfollow", "follow.status" -> follows.call(room, c, call);
            default -> throw new Refusal(ErrorCode.UNKNOWN_METHOD, "no method " + call.method()
                    + " (room.info, room.recordings, comment.send, like.send, gift.send, topic.emit, product.current, cart.add, cart.get, cart.remove, order.create,"
                    + " follow, unfollow, follow.status)");
        };
        // publishing methods answer once the bus has given the message its sequence number, maybe on another thread
        result.whenComplete((r, e) -> {
            if (e == null) {
                counted(room, c, call);
            }
            Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
            String reply = e == null ? Envelopes.result(call.id(), r)
                    : cause instanceof Refusal refusal ? Envelopes.error(call.id(), refusal.code, refusal.getMessage())
                    : Envelopes.error(call.id(), ErrorCode.INTERNAL, "not done; try again");
            if (e != null && !(cause instanceof Refusal) && !call.method().equals("order.create")) { // the desk logs its failed batches once
                org.slf4j.LoggerFactory.getLogger(RealtimeMethods.class).warn("[rt room={} conn={}] {} failed: {}", room.roomId, c.id,
                        call.method(), String.valueOf(cause));
            }
            if (io.vertx.core.Vertx.currentContext() == room.context) {
                c.send(reply);
            } else {
                room.context.runOnContext(v -> c.send(reply));
            }
        });
    }

    /** Room statistics: comments, likes and gifts by app (and component), and every call a component made. */
    private static void counted(RoomChannel room, RealtimeConnection c, Envelope.Call call) {
        StatsRecorder stats = room.hub().stats();
        if (stats == null) {
            return;
        }
        switch (call.method()) {
            case "comment.send" -> stats.count(room.roomId, c.appId, call.component(), "comments", 1);
            case "like.send" -> stats.count(room.roomId, c.appId, call.component(), "likes", call.params().path("count").asInt(1));
            case "gift.send" -> stats.count(room.roomId, c.appId, call.component(), "gifts", call.params().path("count").asInt(1));
            default -> { }
        }
        if (call.component() != null) {
            stats.count(room.roomId, c.appId, call.component(), "calls", 1);
        }
    }

    private static CompletionStage<JsonNode> now(JsonNode value) {
        return CompletableFuture.completedFuture(value);
    }

    private JsonNode roomInfo(RoomChannel room, RealtimeConnection c) {
        ObjectNode n = JSON.createObjectNode();
        n.putObject("room").put("id", room.roomId).put("title", room.title).put("state", room.state);
        n.put("app", c.appId);
        n.putObject("viewer").put("id", c.viewer.id()).put("name", c.viewer.name()).put("anonymous", c.viewer.anonymous());
        n.put("viewers", room.viewersTotal);
        n.put("likes", room.likeTotal);
        // how far behind live a container plays: the newest media timestamp against the frame on its screen
        java.util.OptionalLong mt = room.mediaTime();
        if (mt.isPresent()) {
            n.put("mediaTime", mt.getAsLong());
        } else {
            n.putNull("mediaTime");
        }
        n.put("serverTime", System.currentTimeMillis());
        n.set("pinned", room.pinned);
        n.put("slowModeSeconds", room.moderation.slowModeSeconds());
        return n;
    }

    private CompletionStage<JsonNode> commentSend(RoomChannel room, RealtimeConnection c, JsonNode params, long now) {
        writer(room, c);
        Moderation m = room.moderation;
        long wall = System.currentTimeMillis();
        String text = params.path("text").asText("").strip();
        if (!params.path("text").isTextual() || text.isEmpty() || text.codePointCount(0, text.length()) > config.maxCommentChars()) {
            throw new Refusal(ErrorCode.BAD_PARAMS, "text must be 1 to " + config.maxCommentChars() + " characters");
        }
        slowMode(room, c, wall);
        if (!c.comments.tryTake(1, now)) {
            throw new Refusal(ErrorCode.RATE_LIMITED, "too many comments; wait a moment");
        }
        if (!room.roomComments.tryTake(1, now)) {
            throw new Refusal(ErrorCode.RATE_LIMITED, "the room is taking more comments than it can carry; try again");
        }
        String word = m.filtered(text);
        if (word != null) {
            throw new Refusal(ErrorCode.FILTERED, "the comment contains a filtered word");
        }
        room.lastCommentAt.put(c.appId + "/" + c.viewer.id(), wall);
        String commentId = "c_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        ObjectNode data = JSON.createObjectNode().put("id", commentId);
        data.putObject("user").put("id", c.viewer.id()).put("name", c.viewer.name());
        data.put("app", c.appId).put("text", text).put("at", wall);
        return room.hubBus().publish(room.roomId, "comment", Priority.NORMAL, data)
                .thenApply(msg -> (JsonNode) JSON.createObjectNode().put("id", commentId).put("seq", msg.seq()));
    }

    private JsonNode likeSend(RoomChannel room, RealtimeConnection c, JsonNode params) {
        writer(room, c);
        int count = params.path("count").asInt(1);
        if (count < 1 || count > MAX_LIKES_PER_CALL) {
            throw new Refusal(ErrorCode.BAD_PARAMS, "count must be 1 to " + MAX_LIKES_PER_CALL);
        }
        room.pendingLikes += count;
        return JSON.createObjectNode().put("accepted", count);
    }

    private CompletionStage<JsonNode> giftSend(RoomChannel room, RealtimeConnection c, JsonNode params, long now) {
        writer(room, c);
        String gift = params.path("gift").asText("");
        int count = params.path("count").asInt(1);
        if (gift.isEmpty() || gift.length() > 40 || count < 1 || count > 999) {
            throw new Refusal(ErrorCode.BAD_PARAMS, "gift (1 to 40 characters) and count (1 to 999) are required");
        }
        if (room.moderation.filtered(gift) != null) {
            throw new Refusal(ErrorCode.FILTERED, "the gift contains a filtered word");
        }
        slowMode(room, c, System.currentTimeMillis());
        if (!room.fanOut.gift(now)) {
            throw new Refusal(ErrorCode.RATE_LIMITED, "the room is taking more gifts than it can carry; try again");
        }
        room.lastCommentAt.put(c.appId + "/" + c.viewer.id(), System.currentTimeMillis());
        ObjectNode data = JSON.createObjectNode().put("gift", gift).put("count", count).put("app", c.appId);
        data.putObject("user").put("id", c.viewer.id()).put("name", c.viewer.name());
        return room.hubBus().publish(room.roomId, "gift", Priority.HIGH, data)
                .thenApply(msg -> (JsonNode) JSON.createObjectNode().put("seq", msg.seq()));
    }

    private CompletionStage<JsonNode> topicEmit(RoomChannel room, RealtimeConnection c, JsonNode params, long now) {
        writer(room, c);
        String topic = params.path("topic").asText("");
        RoomAccess.Topics allowed = room.appTopics.getOrDefault(c.appId, RoomAccess.Topics.of(List.of()));
        if (!allowed.emit().contains(topic)) {
            throw new Refusal(ErrorCode.UNKNOWN_TOPIC, "topic '" + topic + "' is not emitted by any component of this app in this room");
        }
        JsonNode data = params.path("data");
        if (data.toString().length() > MAX_EMIT_BYTES) {
            throw new Refusal(ErrorCode.TOO_LARGE, "data is over " + MAX_EMIT_BYTES + " bytes");
        }
        if (room.moderation.filtered(data.toString()) != null) {
            throw new Refusal(ErrorCode.FILTERED, "the data contains a filtered word");
        }
        slowMode(room, c, System.currentTimeMillis());
        if (!room.fanOut.emit(c.appId + "/" + c.viewer.id(), now)) {
            throw new Refusal(ErrorCode.RATE_LIMITED, "too many component messages from you or in this room; wait a moment");
        }
        room.lastCommentAt.put(c.appId + "/" + c.viewer.id(), System.currentTimeMillis());
        ObjectNode wrapped = JSON.createObjectNode().put("app", c.appId);
        wrapped.putObject("user").put("id", c.viewer.id()).put("name", c.viewer.name());
        wrapped.set("data", data.isMissingNode() ? JSON.nullNode() : data);
        return room.hubBus().publish(room.roomId, topic, Priority.NORMAL, wrapped)
                .thenApply(msg -> (JsonNode) JSON.createObjectNode().put("seq", msg.seq()));
    }

    /**
     * Slow mode spaces a viewer's messages that every viewer sees (comments, gifts, component messages); likes are
     * folded into a total and not spaced. Viewers are keyed within their app.
     */
    private static void slowMode(RoomChannel room, RealtimeConnection c, long wall) {
        int seconds = room.moderation.slowModeSeconds();
        if (seconds > 0) {
            Long last = room.lastCommentAt.get(c.appId + "/" + c.viewer.id());
            if (last != null && wall - last < seconds * 1000L) {
                throw new Refusal(ErrorCode.SLOW_MODE, "slow mode: one message per " + seconds + " s");
            }
        }
    }

    /** Every write method: a signed-in viewer, not banned, not muted. */
    private static void writer(RoomChannel room, RealtimeConnection c) {
        if (c.viewer.anonymous()) {
            throw new Refusal(ErrorCode.UNAUTHORIZED, "anonymous viewers are read-only; sign in through the host app");
        }
        if (c.viewer.expired(System.currentTimeMillis())) {
            throw new Refusal(ErrorCode.TOKEN_EXPIRED, "your token expired; reconnect with a new one from the host app");
        }
        Moderation m = room.moderation;
        if (m.isBanned(c.appId, c.viewer.id())) {
            throw new Refusal(ErrorCode.BANNED, "you are banned from this room");
        }
        Long mutedUntil = m.mutedUntil(c.appId, c.viewer.id(), System.currentTimeMillis());
        if (mutedUntil != null) {
            throw new Refusal(ErrorCode.MUTED, "you are muted in this room until " + java.time.Instant.ofEpochMilli(mutedUntil));
        }
    }

    private static void refuse(RealtimeConnection c, long id, String code, String message) {
        c.send(Envelopes.error(id, code, message));
        long now = System.nanoTime();
        if (now - c.refusalWindowStart > REFUSAL_WINDOW_NANOS) {
            c.refusalWindowStart = now;
            c.refusedInWindow = 0;
        }
        if (++c.refusedInWindow > MAX_REFUSED) {
            c.close("flooding: more than " + MAX_REFUSED + " refused frames in 10 s");
        }
    }

    /**
     * A refused call: an error envelope, not a failure of the server. Without a stack trace, and a CompletionException
     * so that a refusal that travels through a CompletableFuture ({@code thenApply}, {@code whenComplete}) is passed on
     * as it is: any other exception is wrapped in a new CompletionException at each step, which takes a stack trace, and
     * a flash sale refuses thousands of orders within a second on the order threads.
     */
    static final class Refusal extends java.util.concurrent.CompletionException {
        final String code;

        Refusal(String code, String message) {
            super(message);
            this.code = code;
        }

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this;
        }
    }
}
