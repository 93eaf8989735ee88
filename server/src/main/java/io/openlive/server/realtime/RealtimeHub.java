package io.openlive.server.realtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.openlive.engine.platform.HostApp;
import io.openlive.engine.platform.Platform;
import io.openlive.engine.platform.PlatformException;
import io.openlive.engine.platform.PlatformRooms;
import io.openlive.engine.platform.Principal;
import io.openlive.engine.platform.Role;
import io.openlive.engine.realtime.Priority;
import io.openlive.engine.realtime.RoomBus;
import io.openlive.protocol.realtime.Envelopes;
import io.openlive.protocol.realtime.ErrorCode;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The realtime rooms of this node: one {@link RoomChannel} per room with viewers here, created on the first join and
 * closed with the last leave; the bus subscription follows. Also where room events enter the channel (live/ended,
 * moderation, pins, revocations), published on the bus so that every node's viewers see them.
 */
public final class RealtimeHub {
    private static final Logger log = LoggerFactory.getLogger(RealtimeHub.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Principal INTERNAL = new Principal("realtime", Role.ADMIN, null);

    private final Vertx vertx;
    private final RoomBus bus;
    private final Platform platform;
    private final RealtimeConfig config;
    private final io.openlive.engine.realtime.MediaClock media;
    private final String nodeId = "node-" + UUID.randomUUID().toString().substring(0, 8);
    private final Map<String, RoomChannel> rooms = new ConcurrentHashMap<>();

    public RealtimeHub(Vertx vertx, RoomBus bus, Platform platform, RealtimeConfig config) {
        this(vertx, bus, platform, config, io.openlive.engine.realtime.MediaClock.NONE);
    }

    /** {@code media}: the rooms' media time, for {@code room.info} and the messages this node makes itself (presence). */
    public RealtimeHub(Vertx vertx, RoomBus bus, Platform platform, RealtimeConfig config, io.openlive.engine.realtime.MediaClock media) {
        this.vertx = vertx;
        this.bus = bus;
        this.platform = platform;
        this.config = config;
        this.media = media;
    }

    io.openlive.engine.realtime.MediaClock media() {
        return media;
    }

    private volatile io.openlive.engine.commerce.Commerce commerce;

    /** Commerce for the viewers' {@code product.current}, {@code cart.*} and {@code order.create}; set once at start. */
    public void commerce(io.openlive.engine.commerce.Commerce commerce) {
        this.commerce = commerce;
    }

    io.openlive.engine.commerce.Commerce commerce() {
        return commerce;
    }

    private volatile io.openlive.engine.follow.Follows follows;

    /** Follows for the viewers' {@code follow}, {@code unfollow} and {@code follow.status}; set once at start. */
    public void follows(io.openlive.engine.follow.Follows follows) {
        this.follows = follows;
    }

    io.openlive.engine.follow.Follows follows() {
        return follows;
    }

    private volatile io.openlive.engine.record.Recordings recordings;

    /** This node's recordings, for the viewers' {@code room.recordings}; set once at start. */
    public void recordings(io.openlive.engine.record.Recordings recordings) {
        this.recordings = recordings;
    }

    io.openlive.engine.record.Recordings recordings() {
        return recordings;
    }

    private volatile StatsRecorder stats;

    /** Where joins, leaves and counted events go for room statistics; set once at start (none: not recorded). */
    public void stats(StatsRecorder stats) {
        this.stats = stats;
    }

    StatsRecorder stats() {
        return stats;
    }

    /** Realtime viewers on this node per room and host app, as of each room's last presence report (twice a second). */
    public Map<String, Map<String, Integer>> localViewers() {
        Map<String, Map<String, Integer>> out = new java.util.HashMap<>();
        rooms.forEach((id, channel) -> out.put(id, channel.localPerApp));
        return out;
    }

    String nodeId() {
        return nodeId;
    }

    RealtimeConfig config() {
        return config;
    }

    RoomBus bus() {
        return bus;
    }

    /** Realtime connections on this node; read from any thread (a gauge), so approximate while rooms change. */
    public int connections() {
        return rooms.values().stream().mapToInt(RoomChannel::size).sum();
    }

    /**
     * The node is shutting down: every realtime viewer gets a {@code system} message of type {@code shutdown} and is
     * closed with 1001 (going away), each room on its own event loop. Completes when all rooms have done so.
     */
    public io.vertx.core.Future<Void> shutdown() {
        java.util.List<io.vertx.core.Future<Void>> told = new java.util.ArrayList<>();
        for (RoomChannel channel : rooms.values()) {
            io.vertx.core.Promise<Void> done = io.vertx.core.Promise.promise();
            channel.context.runOnContext(v -> {
                channel.shutdown();
                done.complete();
            });
            told.add(done.future());
        }
        return io.vertx.core.Future.all(told).mapEmpty();
    }

    /** Rooms with realtime viewers on this node. */
    public int rooms() {
        return rooms.size();
    }

    /** How long a join's lookups serve the next joins of the same room and app: a join storm reads the store once a second. */
    static final long ACCESS_CACHE_MILLIS = 1000;
    private record CachedAccess(RoomAccess access, long until) {
    }
    private final Map<String, CachedAccess> accessCache = new ConcurrentHashMap<>();

    /**
     * Who may join: blocking lookups on a worker thread, cached briefly per room and app (dropped at once when the room's
     * moderation or components change). Fails with {@link ViewerTokens.Refused}.
     */
    Future<RoomAccess> access(String roomId, String appId) {
        String key = roomId + "|" + appId;
        CachedAccess cached = accessCache.get(key);
        long now = System.currentTimeMillis();
        if (cached != null && cached.until() > now) {
            return Future.succeededFuture(cached.access());
        }
        if (accessCache.size() > 10_000) {
            accessCache.clear(); // bounded: a cache, not a registry
        }
        return lookup(roomId, appId).onSuccess(a -> accessCache.put(key, new CachedAccess(a, now + ACCESS_CACHE_MILLIS)));
    }

    private void forget(String roomId) {
        accessCache.keySet().removeIf(k -> k.startsWith(roomId + "|"));
    }

    /** A host app's secret or origins changed: joins through it look them up again (on this node at once, elsewhere within a second). */
    public void appChanged(String appId) {
        accessCache.keySet().removeIf(k -> k.endsWith("|" + appId));
        // a rotated secret ends the sessions it signed: tokens are checked at join, so their connections close here
        vertx.executeBlocking(() -> platform.apps().get(INTERNAL, appId).secret(), false).onSuccess(secret -> {
            for (RoomChannel channel : rooms.values()) {
                channel.context.runOnContext(v -> {
                    for (RealtimeConnection c : List.copyOf(channel.connections())) {
                        if (c.appId.equals(appId) && c.signedWith != null && !c.signedWith.equals(secret)) {
                            c.close("the host app's secret was rotated");
                        }
                    }
                });
            }
        });
    }

    private Future<RoomAccess> lookup(String roomId, String appId) {
        return vertx.executeBlocking(() -> {
            try {
                platform.rooms().get(INTERNAL, roomId);
            } catch (PlatformException e) {
                throw new ViewerTokens.Refused(ErrorCode.ROOM_NOT_FOUND, "no room " + io.openlive.server.internal.LogText.of(roomId));
            }
            HostApp app;
            PlatformRooms.Container container;
            try {
                app = platform.apps().get(INTERNAL, appId);
                container = platform.rooms().container(roomId, appId);
            } catch (PlatformException e) {
                throw new ViewerTokens.Refused(ErrorCode.ROOM_NOT_DELIVERED, "room " + io.openlive.server.internal.LogText.of(roomId)
                        + " is not delivered to host app " + io.openlive.server.internal.LogText.of(appId));
            }
            return new RoomAccess(app.secret(), app.origins(), container.title(), container.state().wire(), RoomAccess.Topics.of(container.parts()),
                    platform.moderation().current(roomId));
        }, false);
    }

    /** The room's channel on this node, made on first use on the given context. */
    RoomChannel channel(String roomId, Context context, RoomAccess access) {
        return rooms.compute(roomId, (id, existing) -> {
            if (existing != null && !existing.closed) {
                return existing;
            }
            RoomChannel made = new RoomChannel(roomId, context, this, bus, config);
            made.moderation = access.moderation();
            made.title = access.title();
            made.state = access.state();
            made.subscribed = bus.subscribe(roomId, made::onMessage);
            return made;
        });
    }

    void closed(RoomChannel channel) {
        // under the map's lock for this room, so a channel made by a join right now subscribes after this unsubscribes
        rooms.computeIfPresent(channel.roomId, (id, existing) -> {
            if (existing != channel) {
                return existing;
            }
            bus.unsubscribe(id);
            return null;
        });
    }

    void reloadModeration(RoomChannel channel, JsonNode event) {
        forget(channel.roomId);
        vertx.executeBlocking(() -> platform.moderation().current(channel.roomId), false).onSuccess(m -> channel.context.runOnContext(v -> {
            channel.moderation = m;
            // the broadcast names no one: every connection of a now-banned viewer is closed from the reloaded list
            for (RealtimeConnection c : List.copyOf(channel.connections())) {
                if (!c.viewer.anonymous() && m.isBanned(c.appId, c.viewer.id())) {
                    c.send(Envelopes.msg("system", 0, JSON.createObjectNode().put("type", "banned")));
                    c.close("banned from room " + channel.roomId);
                }
            }
        }));
    }

    void reloadTopics(RoomChannel channel) {
        forget(channel.roomId);
        for (String appId : Map.copyOf(channel.appTopics).keySet()) {
            vertx.executeBlocking(() -> RoomAccess.Topics.of(platform.rooms().container(channel.roomId, appId).parts()), false)
                    .onSuccess(t -> channel.context.runOnContext(v -> channel.appTopics.put(appId, t)));
        }
    }

    /** A system event for every viewer of the room on every node, such as {@code {"type":"live"}}. */
    public void system(String roomId, ObjectNode data) {
        publish(roomId, "system", data);
    }

    public void publish(String roomId, String topic, JsonNode data) {
        bus.publish(roomId, topic, Priority.HIGH, data).exceptionally(e -> {
            log.warn("[rt room={}] {} not published: {}", roomId, topic, e.toString());
            return null;
        });
    }

    public void roomState(String roomId, String state) {
        system(roomId, JSON.createObjectNode().put("type", state));
    }

    public void revoked(String versionId, String componentId, java.util.Set<String> roomIds) {
        roomIds.forEach(this::forget);
        for (String room : roomIds) {
            system(room, JSON.createObjectNode().put("type", "unmount").put("versionId", versionId).put("component", componentId));
        }
    }

    /** An app revoked its delivery: only that app's viewers are told to unmount ({@link RoomChannel} routes it). */
    public void revokedInApp(String versionId, String componentId, String appId, java.util.Set<String> roomIds) {
        roomIds.forEach(this::forget);
        for (String room : roomIds) {
            system(room, JSON.createObjectNode().put("type", "unmount").put("versionId", versionId).put("component", componentId).put("app", appId));
        }
    }

    public void moderated(String roomId, JsonNode action) {
        forget(roomId);
        if (action.path("action").asText().equals("delete")) {
            publish(roomId, "comment", JSON.createObjectNode().put("type", "deleted").put("id", action.path("commentId").asText()));
        }
        ObjectNode data = JSON.createObjectNode().put("type", "moderation");
        data.set("action", publicPart(action));
        system(roomId, data);
    }

    /**
     * What every viewer may see of a moderation action: its name and the public settings (slow mode, anonymous access,
     * a deleted comment's id); never the keyword list or who was muted or banned. Nodes reload the full moderation
     * from the store when they see it.
     */
    static JsonNode publicPart(JsonNode action) {
        ObjectNode out = JSON.createObjectNode().put("action", action.path("action").asText());
        for (String field : new String[]{"seconds", "allowed", "commentId"}) {
            boolean isPublic = !field.equals("seconds") || action.path("action").asText().equals("slow-mode");
            if (isPublic && action.has(field)) {
                out.set(field, action.get(field));
            }
        }
        return out;
    }

    public void delivered(String roomId, String appId, String instanceId) {
        forget(roomId);
        ObjectNode data = JSON.createObjectNode().put("type", "instance").put("app", appId);
        data.put("instanceId", instanceId);
        system(roomId, data);
    }

    public void pinned(String roomId, JsonNode product) {
        publish(roomId, "product.pin", product);
    }
}
