package io.openlive.engine.realtime;

import com.fasterxml.jackson.databind.JsonNode;
import io.openlive.protocol.realtime.Envelopes;

import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/** The room bus of a single node: sequence numbers, history, likes and presence in this process. */
public final class MemoryRoomBus implements RoomBus {
    private final BusConfig config;
    private final Clock clock;
    private final MediaClock media;
    private final Map<String, RoomState> rooms = new ConcurrentHashMap<>();

    private final class RoomState {
        long seq;
        long likes;
        Consumer<RoomMessage> listener;
        final History history = new History(config.historyCount(), config.historyAgeMillis());
        final Map<String, Map<String, Integer>> presence = new HashMap<>();
        final Map<String, Long> reportedAt = new HashMap<>();
    }

    public MemoryRoomBus(BusConfig config, Clock clock) {
        this(config, clock, MediaClock.NONE);
    }

    /** {@code media} stamps each message with the room's media time as it is published. */
    public MemoryRoomBus(BusConfig config, Clock clock, MediaClock media) {
        this.config = config;
        this.clock = clock;
        this.media = media;
    }

    private RoomState room(String roomId) {
        return rooms.computeIfAbsent(roomId, id -> new RoomState());
    }

    @Override
    public CompletionStage<RoomMessage> publish(String roomId, String topic, Priority priority, JsonNode data) {
        RoomState r = room(roomId);
        RoomMessage m;
        Consumer<RoomMessage> listener;
        synchronized (r) { // sequence and delivery in one order
            long seq = ++r.seq;
            m = new RoomMessage(roomId, topic, seq, priority, clock.millis(), Envelopes.msg(topic, seq, media.mtOrNone(roomId), data));
            r.history.add(m);
            listener = r.listener;
            if (listener != null) {
                listener.accept(m);
            }
        }
        return CompletableFuture.completedFuture(m);
    }

    @Override
    public CompletionStage<Void> publishEphemeral(String roomId, String topic, JsonNode data) {
        RoomState r = room(roomId);
        synchronized (r) {
            if (r.listener != null) {
                r.listener.accept(new RoomMessage(roomId, topic, 0, Priority.EPHEMERAL, clock.millis(), Envelopes.msg(topic, 0, media.mtOrNone(roomId), data)));
            }
        }
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<Void> subscribe(String roomId, Consumer<RoomMessage> listener) {
        RoomState r = room(roomId);
        synchronized (r) {
            r.listener = listener;
        }
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<Void> unsubscribe(String roomId) {
        RoomState r = rooms.get(roomId);
        if (r != null) {
            synchronized (r) {
                r.listener = null;
            }
        }
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<Recovery> since(String roomId, long seq) {
        RoomState r = room(roomId);
        return CompletableFuture.completedFuture(r.history.since(seq, clock.millis()));
    }

    @Override
    public CompletionStage<Long> addLikes(String roomId, long delta) {
        RoomState r = room(roomId);
        synchronized (r) {
            r.likes += delta;
            return CompletableFuture.completedFuture(r.likes);
        }
    }

    @Override
    public CompletionStage<Void> reportPresence(String nodeId, String roomId, Map<String, Integer> perApp) {
        RoomState r = room(roomId);
        synchronized (r) {
            r.presence.put(nodeId, Map.copyOf(perApp));
            r.reportedAt.put(nodeId, clock.millis());
        }
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<Map<String, Integer>> presence(String roomId) {
        RoomState r = room(roomId);
        Map<String, Integer> total = new HashMap<>();
        long now = clock.millis();
        synchronized (r) {
            r.presence.forEach((node, perApp) -> {
                if (r.reportedAt.get(node) >= now - config.presenceTtlMillis()) {
                    perApp.forEach((app, n) -> total.merge(app, n, Integer::sum));
                }
            });
        }
        return CompletableFuture.completedFuture(total);
    }

    @Override
    public void close() {
        rooms.clear();
    }
}
