package io.openlive.server.realtime;

import io.openlive.engine.platform.Moderation;
import io.openlive.engine.platform.PlatformRooms;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a viewer joining a room through a host app needs to be let in: the app's token secret, the room, the topics the
 * app's bound components declared, and the room's moderation. Looked up once per join, on a worker thread.
 */
record RoomAccess(String secret, List<String> origins, String title, String state, Topics topics, Moderation moderation) {
    /**
     * Whether a browser page of {@code origin} may open the channel for this app: any, when the app lists no origins or
     * the client is not a browser (no Origin header); else only the listed ones.
     */
    boolean allowsOrigin(String origin) {
        return origin == null || origins.isEmpty() || origins.contains(origin.toLowerCase(java.util.Locale.ROOT));
    }

    /** Built-in room topics, open to every viewer. */
    static final Set<String> ROOM_TOPICS = Set.of("comment", "like", "gift", "product.pin", "presence", "system");

    /**
     * Custom topics of an app's components in this room: what they may subscribe to and emit; and the live parts by
     * version id, so a call a container forwards for a component is checked against that component's manifest.
     */
    record Topics(Set<String> subscribe, Set<String> emit, Map<String, PlatformRooms.LivePart> parts) {
        static Topics of(List<PlatformRooms.LivePart> parts) {
            Set<String> sub = new HashSet<>();
            Set<String> emit = new HashSet<>();
            Map<String, PlatformRooms.LivePart> byVersion = new HashMap<>();
            for (PlatformRooms.LivePart p : parts) {
                sub.addAll(p.subscribes());
                sub.addAll(p.emits());
                emit.addAll(p.emits());
                byVersion.put(p.versionId(), p);
            }
            return new Topics(Set.copyOf(sub), Set.copyOf(emit), Map.copyOf(byVersion));
        }

        boolean maySubscribe(String topic) {
            return ROOM_TOPICS.contains(topic) || subscribe.contains(topic);
        }
    }
}
