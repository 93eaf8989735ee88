package io.openlive.engine.platform;

import com.fasterxml.jackson.databind.JsonNode;
import io.openlive.engine.room.Room;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What the broadcaster does to a live room's audience and show: mute, ban, keyword filter, slow mode, comment deletion,
 * and pinning a product. Each action is stored (where it lasts), audited, and then announced to the room's nodes
 * through {@link PlatformEvents}.
 */
public final class RoomModeration {
    /** Actions of {@code POST /rooms/{roomId}/moderation}. */
    public static final List<String> ACTIONS = List.of("mute", "unmute", "ban", "unban", "keywords-add", "keywords-remove",
            "slow-mode", "anonymous", "delete");
    static final int MAX_KEYWORDS = 500;

    private final PlatformContext ctx;

    RoomModeration(PlatformContext ctx) {
        this.ctx = ctx;
    }

    /** The room's moderation for the realtime channel (internal: no principal). */
    public Moderation current(String roomId) {
        return ctx.store().transact(tx -> tx.moderationOf(roomId));
    }

    /** The room's moderation, for its owner and admins. */
    public Moderation get(Principal p, String roomId) {
        return ctx.store().transact(tx -> {
            owned(tx, p, roomId);
            return tx.moderationOf(roomId);
        });
    }

    public Moderation moderate(Principal p, String roomId, JsonNode action) {
        String kind = action.path("action").asText("");
        if (!ACTIONS.contains(kind)) {
            throw PlatformException.invalid("INVALID_ACTION", "action must be one of " + String.join(", ", ACTIONS));
        }
        Moderation result = ctx.store().transact(tx -> {
            Room r = owned(tx, p, roomId);
            Moderation before = tx.moderationOf(roomId);
            long now = ctx.now().toEpochMilli();
            switch (kind) {
                case "mute" -> {
                    long seconds = action.path("seconds").asLong(600);
                    if (seconds < 1 || seconds > 30L * 86400) {
                        throw PlatformException.invalid("INVALID_BODY", "seconds must be 1 to 2592000");
                    }
                    tx.putModeration(roomId, "mute", subject(tx, roomId, action), now + seconds * 1000);
                }
                case "unmute" -> tx.removeModeration(roomId, "mute", subject(tx, roomId, action));
                case "ban" -> tx.putModeration(roomId, "ban", subject(tx, roomId, action), 0);
                case "unban" -> tx.removeModeration(roomId, "ban", subject(tx, roomId, action));
                case "keywords-add" -> {
                    List<String> words = words(action);
                    if (before.keywords().size() + words.size() > MAX_KEYWORDS) {
                        throw PlatformException.invalid("INVALID_BODY", "at most " + MAX_KEYWORDS + " keywords per room");
                    }
                    for (String w : words) {
                        tx.removeModeration(roomId, "keyword", w);
                        tx.putModeration(roomId, "keyword", w, 0);
                    }
                }
                case "keywords-remove" -> {
                    for (String w : words(action)) {
                        tx.removeModeration(roomId, "keyword", w);
                    }
                }
                case "slow-mode" -> {
                    int seconds = action.path("seconds").asInt(-1);
                    if (seconds < 0 || seconds > 3600) {
                        throw PlatformException.invalid("INVALID_BODY", "seconds must be 0 (off) to 3600");
                    }
                    tx.removeModeration(roomId, "slow-mode", "room");
                    if (seconds > 0) {
                        tx.putModeration(roomId, "slow-mode", "room", seconds);
                    }
                }
                case "anonymous" -> {
                    if (!action.path("allowed").isBoolean()) {
                        throw PlatformException.invalid("INVALID_BODY", "anonymous needs allowed: true or false");
                    }
                    tx.removeModeration(roomId, "no-anonymous", "room");
                    if (!action.path("allowed").asBoolean()) {
                        tx.putModeration(roomId, "no-anonymous", "room", 0);
                    }
                }
                case "delete" -> {
                    if (!action.path("commentId").isTextual() || action.path("commentId").asText().length() > 64) {
                        throw PlatformException.invalid("INVALID_BODY", "delete needs commentId");
                    }
                }
                default -> throw new IllegalStateException(kind);
            }
            Moderation after = tx.moderationOf(roomId);
            ctx.audit(tx, p, "room.moderate." + kind, "room", r.id(), before, action);
            return after;
        });
        ctx.events().moderated(roomId, action);
        return result;
    }

    /** Pins a product in the room: announced at once to every viewer ({@code product.pin}). */
    public JsonNode pin(Principal p, String roomId, JsonNode product) {
        if (!product.path("productId").isTextual() || product.toString().length() > 4096) {
            throw PlatformException.invalid("INVALID_BODY", "a pin needs productId and at most 4 KiB of product fields");
        }
        ctx.store().transact(tx -> {
            Room r = owned(tx, p, roomId);
            ctx.audit(tx, p, "room.pin", "room", r.id(), null, product);
            return null;
        });
        ctx.events().pinned(roomId, product);
        return product;
    }

    private static Room owned(PlatformStore.Tx tx, Principal p, String roomId) {
        Room r = tx.findRoom(roomId).orElseThrow(() -> PlatformException.notFound("ROOM", roomId));
        boolean owns = p.isAdmin() || (p.is(Role.BROADCASTER) && r.owner() != null && r.owner().equals(p.scope()));
        if (!owns) {
            throw PlatformException.notFound("ROOM", roomId);
        }
        return r;
    }

    /**
     * The viewer a mute or ban names, within a host app: {@code app} in the action, which may be left out when the room
     * is delivered to one app only.
     */
    private static String subject(PlatformStore.Tx tx, String roomId, JsonNode action) {
        String user = user(action);
        List<String> apps = tx.listRoomDeliveries(roomId).stream().map(RoomDelivery::appId).toList();
        String app = action.path("app").asText("");
        if (app.isEmpty()) {
            if (apps.size() != 1) {
                throw PlatformException.invalid("INVALID_BODY", "app is required: the room is delivered to " + apps.size()
                        + " host apps, and a viewer id names a viewer within one app");
            }
            app = apps.get(0);
        } else if (!apps.contains(app)) {
            throw PlatformException.invalid("INVALID_BODY", "the room is not delivered to host app " + app);
        }
        return Moderation.subject(app, user);
    }

    private static String user(JsonNode action) {
        String u = action.path("user").asText("");
        if (u.isEmpty() || u.length() > 128) {
            throw PlatformException.invalid("INVALID_BODY", "user (the viewer's id, the token subject) is required");
        }
        return u;
    }

    private static List<String> words(JsonNode action) {
        JsonNode w = action.path("words");
        if (!w.isArray() || w.isEmpty() || w.size() > 100) {
            throw PlatformException.invalid("INVALID_BODY", "words must be an array of 1 to 100 strings");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode n : w) {
            String s = n.asText("").strip().toLowerCase(Locale.ROOT);
            if (s.isEmpty() || s.length() > 64) {
                throw PlatformException.invalid("INVALID_BODY", "each keyword is 1 to 64 characters");
            }
            out.add(s);
        }
        return out;
    }
}
