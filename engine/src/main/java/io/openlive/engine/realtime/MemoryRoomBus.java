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
import java.util.function.Function;

/**
 * The room bus of a single node: sequence numbers, history, likes and presence in this process.
 *
 * <p>A room nobody listens to and nobody has used for {@link #DEFAULT_IDLE_MILLIS} (one hour; or the idle time given)
 * is forgotten, history and all, so a node that served many rooms does not keep them forever. A room used again starts
 * afresh: its sequence numbers and like total from zero, and a client coming back with an older {@code since} is told
 * to resync. Idle rooms are swept at most once a minute, by whichever call comes next; there is no timer thread.
 * Usage: {@code new MemoryRoomBus(BusConfig.defaults(), Clock.systemUTC())}.
 */
public final class MemoryRoomBus implements RoomBus {
    public static final long DEFAULT_IDLE_MILLIS = 60 * 60_000;
    private static final long SWEEP_EVERY_MILLIS = 60_000;

    private final BusConfig config;
    private final Clock clock;
    private final MediaClock media;
    private final long idleMillis;
    private final Map<String, RoomState> rooms = new ConcurrentHashMap<>();
    private volatile long lastSweep;

    private final class RoomState {
        long seq;
        long likes;
        long usedAt;
        boolean forgotten;
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
        this(config, clock, media, DEFAULT_IDLE_MILLIS);
    }

    public MemoryRoomBus(BusConfig config, Clock clock, long idleMillis) {
        this(config, clock, MediaClock.NONE, idleMillis);
    }

    public MemoryRoomBus(BusConfig config, Clock clock, MediaClock media, long idleMillis) {
        this.config = config;
        this.clock = clock;
        this.media = media;
        this.idleMillis = idleMillis;
        this.lastSweep = clock.millis();
    }

    /** Runs {@code work} on the room's state under its lock; a state being forgotten meanwhile is made afresh. */
    private <T> T withRoom(String roomId, Function<RoomState, T> work) {
        long now = clock.millis();
        sweepIfDue(now);
        while (true) {
            RoomState r = rooms.computeIfAbsent(roomId, id -> new RoomState());
            synchronized (r) {
                if (!r.forgotten) {
                    r.usedAt = now;
                    return work.apply(r);
                }
            }
        }
    }

    private void sweepIfDue(long now) {
        if (now - lastSweep < SWEEP_EVERY_MILLIS) {
            return;
        }
        lastSweep = now;
        rooms.forEach((id, r) -> {
            synchronized (r) {
                if (r.listener == null && now - r.usedAt >= idleMillis) {
                    r.forgotten = true;
                    rooms.remove(id, r);
                }
            }
        });
    }

    /** Rooms this bus holds now. */
    public int rooms() {
        return rooms.size();
    }

    @Override
    public CompletionStage<RoomMessage> publish(String roomId, String topic, Priority priority, JsonNode data) {
        return CompletableFuture.completedFuture(withRoom(roomId, r -> { // sequence and delivery in one order
            long seq = ++r.seq;
            RoomMessage m = new RoomMessage(roomId, topic, seq, priority, clock.millis(), Envelopes.msgUtf8(topic, seq, media.mtOrNone(roomId), data), data);
            r.history.add(m);
            if (r.listener != null) {
                r.listener.accept(m);
            }
            return m;
        }));
    }

    @Override
    public CompletionStage<Void> publishEphemeral(String roomId, String topic, JsonNode data) {
        return withRoom(roomId, r -> {
            if (r.listener != null) {
                r.listener.accept(new RoomMessage(roomId, topic, 0, Priority.EPHEMERAL, clock.millis(),
                        Envelopes.msgUtf8(topic, 0, media.mtOrNone(roomId), data), data));
            }
            return CompletableFuture.completedFuture(null);
        });
    }

    @Override
    public CompletionStage<Void> subscribe(String roomId, Consumer<RoomMessage> listener) {
        return withRoom(roomId, r -> {
            r.listener = listener;
            return CompletableFuture.completedFuture(null);
        });
    }

    @Override
    public CompletionStage<Void> unsubscribe(String roomId) {
        RoomState r = rooms.get(roomId);
        if (r != null) {
            synchronized (r) {
                r.listener = null;
                r.usedAt = clock.millis();
            }
        }
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<Recovery> since(String roomId, long seq) {
        return CompletableFuture.completedFuture(withRoom(roomId, r -> r.history.since(seq, clock.millis())));
    }

    @Override
    public CompletionStage<Long> addLikes(String roomId, long delta) {
        return CompletableFuture.completedFuture(withRoom(roomId, r -> r.likes += delta));
    }

    @Override
    public CompletionStage<Void> reportPresence(String nodeId, String roomId, Map<String, Integer> perApp) {
        return withRoom(roomId, r -> {
            r.presence.put(nodeId, Map.copyOf(perApp));
            r.reportedAt.put(nodeId, clock.millis());
            return CompletableFuture.completedFuture(null);
        });
    }

    @Override
    public CompletionStage<Map<String, Integer>> presence(String roomId) {
        long now = clock.millis();
        return CompletableFuture.completedFuture(withRoom(roomId, r -> {
            Map<String, Integer> total = new HashMap<>();
            r.presence.forEach((node, perApp) -> {
                if (r.reportedAt.get(node) >= now - config.presenceTtlMillis()) {
                    perApp.forEach((app, n) -> total.merge(app, n, Integer::sum));
                }
            });
            return total;
        }));
    }

    @Override
    public void close() {
        rooms.clear();
    }
}
