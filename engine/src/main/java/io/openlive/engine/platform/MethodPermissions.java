package io.openlive.engine.platform;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The permission a component's manifest must grant for each realtime method it calls (documented in PROTOCOL.md). The
 * server checks it on every call a container forwards with the component's identity, and the automated checks on
 * submit check that a bundle whose code names a method asks for its permission. {@code topic.emit} needs no permission
 * but the topic among the manifest's {@code emits}.
 *
 * <p>Usage: {@code MethodPermissions.required("comment.send")} is {@code Optional.of("comment:write")}.
 */
public final class MethodPermissions {
    /** Method to permission, for every method a component may call through its container. */
    public static final Map<String, String> REQUIRED = Map.ofEntries(
            Map.entry("room.info", "room:read"),
            Map.entry("room.recordings", "room:read"),
            Map.entry("comment.send", "comment:write"),
            Map.entry("like.send", "like:write"),
            Map.entry("gift.send", "gift:write"),
            Map.entry("product.current", "product:read"),
            Map.entry("cart.add", "cart:write"),
            Map.entry("cart.get", "cart:write"),
            Map.entry("cart.remove", "cart:write"),
            Map.entry("order.create", "order:write"),
            // following is a viewer's own choice, made on a click in a component: as open as reading the room
            Map.entry("follow", "room:read"),
            Map.entry("unfollow", "room:read"),
            Map.entry("follow.status", "room:read"));
    /** Methods a component calls with no permission (its manifest's own declarations govern them). */
    public static final List<String> DECLARED_BY_MANIFEST = List.of("topic.emit");

    private MethodPermissions() {
    }

    /** The permission {@code method} needs; empty for {@code topic.emit} and for methods that do not exist. */
    public static Optional<String> required(String method) {
        return Optional.ofNullable(REQUIRED.get(method));
    }
}
