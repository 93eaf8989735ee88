package io.openlive.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.openlive.engine.platform.InstanceDocument;
import io.openlive.engine.platform.Platform;
import io.openlive.engine.platform.PlatformException;
import io.openlive.engine.platform.PlatformRooms;
import io.openlive.engine.platform.Review;
import io.openlive.engine.platform.HostApps;
import io.openlive.engine.platform.Principal;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.openlive.server.api.ApiOperation.Body.JSON;
import static io.openlive.server.api.ApiOperation.Body.NONE;
import static io.openlive.server.api.ApiOperation.Body.ZIP;
import static io.openlive.server.api.ApiOperation.Result.created;
import static io.openlive.server.api.ApiOperation.Result.ok;

/** The REST API of the platform, one line per operation (documented in {@code openapi.yaml}). */
public final class ApiOperations {
    private final List<ApiOperation> all = new ArrayList<>();
    private final java.util.function.Supplier<String> componentOrigin;

    /** Part URLs in container views stay relative to the server (the offline CLI has no component origin). */
    public ApiOperations(Platform platform) {
        this(platform, () -> "");
    }

    /** {@code componentOrigin}: where bundles are served, such as {@code http://127.0.0.1:8081}, for absolute part URLs. */
    public ApiOperations(Platform platform, java.util.function.Supplier<String> componentOrigin) {
        this.componentOrigin = componentOrigin;
        var keys = platform.keys();
        var apps = platform.apps();
        var components = platform.components();
        var versions = platform.versions();
        var review = platform.review();
        var instances = platform.instances();
        var rooms = platform.rooms();

        op("whoami", "GET", "/me", NONE, c -> ok(c.principal()));

        op("key.create", "POST", "/keys", JSON, c -> {
            var k = keys.create(c.principal(), c.text("role"), c.optText("scope"), c.optText("name"));
            return created(ApiJson.with(k.key(), "key", k.secret()));
        });
        op("key.list", "GET", "/keys", NONE, c -> ok(keys.list(c.principal(), c.page())));
        op("key.revoke", "POST", "/keys/{keyId}/revoke", NONE, c -> ok(keys.revoke(c.principal(), c.param("keyId"))));

        op("app.create", "POST", "/apps", JSON, c -> {
            var a = apps.create(c.principal(), c.text("name"), c.optText("policy"), strings(c.json(), "origins"), bool(c.json(), "thirdPartyConsent"));
            return created(ApiJson.with(a.app(), "secret", a.secret()));
        });
        op("app.list", "GET", "/apps", NONE, c -> ok(apps.list(c.principal(), c.page())));
        op("app.get", "GET", "/apps/{appId}", NONE, c -> ok(apps.get(c.principal(), c.param("appId"))));
        op("app.update", "PATCH", "/apps/{appId}", JSON, c -> ok(apps.update(c.principal(), c.param("appId"),
                new HostApps.Changes(c.optText("name"), c.optText("policy"),
                        c.json().has("origins") ? strings(c.json(), "origins") : null,
                        c.json().has("thirdPartyConsent") ? bool(c.json(), "thirdPartyConsent") : null))));
        op("app.rotate-secret", "POST", "/apps/{appId}/rotate-secret", NONE, c -> {
            var a = apps.rotateSecret(c.principal(), c.param("appId"));
            return ok(ApiJson.with(a.app(), "secret", a.secret()));
        });
        op("delivery.list", "GET", "/apps/{appId}/deliveries", NONE,
                c -> ok(review.deliveries(c.principal(), c.param("appId"), c.query().get("state"), c.page())));
        for (Review.Decision d : Review.Decision.values()) {
            String verb = d.name().toLowerCase(java.util.Locale.ROOT);
            op("delivery." + verb, "POST", "/apps/{appId}/deliveries/{versionId}/" + verb, JSON,
                    c -> ok(review.decide(c.principal(), c.param("appId"), c.param("versionId"), d, c.optText("reason"))));
        }
        op("instance.build", "POST", "/apps/{appId}/instances", JSON, c -> {
            instances.requireBuilder(c.principal(), c.param("appId")); // the role before the body: no 400 to anyone
            return created(instances.build(c.principal(), c.param("appId"), InstanceDocument.fromJson(withApp(c.json(), c.param("appId")))));
        });
        op("instance.push", "POST", "/apps/{appId}/instances/push", JSON, c -> {
            instances.requireBuilder(c.principal(), c.param("appId"));
            JsonNode doc = c.json().get("document");
            if (doc == null || !doc.isObject()) {
                throw PlatformException.invalid("INVALID_BODY", "body needs 'document' (the built instance) and 'hash'");
            }
            return created(instances.push(c.principal(), c.param("appId"), doc, c.text("hash")));
        });
        op("instance.list", "GET", "/apps/{appId}/instances", NONE, c -> ok(instances.list(c.principal(), c.param("appId"), c.page())));
        op("instance.get", "GET", "/instances/{instanceId}", NONE, c -> ok(instances.get(c.principal(), c.param("instanceId"))));

        op("developer.create", "POST", "/developers", JSON, c -> created(components.createDeveloper(c.principal(), c.text("name"), c.optText("tier"))));
        op("developer.list", "GET", "/developers", NONE, c -> ok(components.developers(c.principal(), c.page())));
        op("developer.get", "GET", "/developers/{developerId}", NONE, c -> ok(components.developer(c.principal(), c.param("developerId"))));

        op("component.create", "POST", "/components", JSON, c -> created(components.create(c.principal(), c.optText("developerId"),
                c.text("id"), c.text("name"), c.optText("kind"))));
        op("component.list", "GET", "/components", NONE, c -> ok(components.list(c.principal(), c.page())));
        op("component.get", "GET", "/components/{componentId}", NONE, c -> ok(components.get(c.principal(), c.param("componentId"))));
        op("version.upload", "POST", "/components/{componentId}/versions", ZIP,
                c -> created(components.upload(c.principal(), c.param("componentId"), c.bytes())));
        op("version.list", "GET", "/components/{componentId}/versions", NONE,
                c -> ok(Map.of("items", versions.ofComponent(c.principal(), c.param("componentId")))));
        op("version.get", "GET", "/versions/{versionId}", NONE, c -> ok(versions.get(c.principal(), c.param("versionId"))));
        op("version.deliveries", "GET", "/versions/{versionId}/deliveries", NONE,
                c -> ok(Map.of("items", versions.deliveries(c.principal(), c.param("versionId")))));
        op("version.submit", "POST", "/versions/{versionId}/submit", NONE, c -> ok(components.submit(c.principal(), c.param("versionId"))));
        op("version.approve", "POST", "/versions/{versionId}/approve", JSON,
                c -> ok(review.approve(c.principal(), c.param("versionId"), c.optText("reason"))));
        op("version.reject", "POST", "/versions/{versionId}/reject", JSON,
                c -> ok(review.reject(c.principal(), c.param("versionId"), c.optText("reason"))));
        op("version.revoke", "POST", "/versions/{versionId}/revoke", JSON,
                c -> ok(review.revoke(c.principal(), c.param("versionId"), c.optText("reason"))));
        op("review.queue", "GET", "/review/queue", NONE, c -> ok(versions.reviewQueue(c.principal(), c.page())));

        op("room.create", "POST", "/rooms", JSON, c -> created(rooms.create(c.principal(), c.text("title"),
                instant(c.optText("scheduledAt")), strings(c.json(), "apps"))));
        op("room.list", "GET", "/rooms", NONE, c -> ok(rooms.list(c.principal(), c.page())));
        op("room.get", "GET", "/rooms/{roomId}", NONE, c -> ok(rooms.get(c.principal(), c.param("roomId"))));
        op("room.deliver", "PUT", "/rooms/{roomId}/deliveries/{appId}", JSON,
                c -> ok(rooms.deliver(c.principal(), c.param("roomId"), c.param("appId"), c.optText("instanceId"))));
        op("room.rotate-stream-key", "POST", "/rooms/{roomId}/rotate-stream-key", NONE,
                c -> ok(rooms.rotateStreamKey(c.principal(), c.param("roomId"))));
        op("room.moderation", "GET", "/rooms/{roomId}/moderation", NONE,
                c -> ok(platform.moderation().get(c.principal(), c.param("roomId"))));
        op("room.moderate", "POST", "/rooms/{roomId}/moderation", JSON,
                c -> ok(platform.moderation().moderate(c.principal(), c.param("roomId"), c.json())));
        op("room.pin", "POST", "/rooms/{roomId}/pin", JSON, c -> ok(platform.moderation().pin(c.principal(), c.param("roomId"), c.json())));
        all.add(new ApiOperation("room.container", "GET", "/rooms/{roomId}/apps/{appId}/container", NONE, false,
                c -> ok(container(rooms.container(c.param("roomId"), c.param("appId"))))));

        op("audit.list", "GET", "/audit", NONE,
                c -> ok(platform.audit().list(c.principal(), c.query().get("entity"), c.query().get("entityId"), c.page())));
    }

    /** The platform's operations, and those of commerce and room statistics; the pin then takes a product attached to the room. */
    public ApiOperations(Platform platform, java.util.function.Supplier<String> componentOrigin,
                         io.openlive.engine.commerce.Commerce commerce, io.openlive.engine.analytics.RoomStats stats) {
        this(platform, componentOrigin);
        all.removeIf(o -> o.name().equals("room.pin"));
        CommerceOperations.register(platform, commerce, stats, all::add);
    }

    private void op(String name, String method, String path, ApiOperation.Body body, ApiOperation.Handler handler) {
        all.add(new ApiOperation(name, method, path, body, true, handler));
    }

    public List<ApiOperation> all() {
        return List.copyOf(all);
    }

    public Optional<ApiOperation> named(String name) {
        return all.stream().filter(o -> o.name().equals(name)).findFirst();
    }

    /** Runs an operation in this process, as the offline CLI does. */
    public ApiOperation.Result call(String name, Principal principal, Map<String, String> params, Map<String, String> query, JsonNode json, byte[] bytes) {
        ApiOperation op = named(name).orElseThrow(() -> new IllegalArgumentException("no operation " + name));
        return op.handler().handle(new ApiOperation.Call(principal, params, query,
                json == null ? ApiJson.MAPPER.createObjectNode() : json, bytes));
    }

    /** The container's view, with the URL of each part's entry file on the component origin (served only while live in the app). */
    private ObjectNode container(PlatformRooms.Container c) {
        ObjectNode n = ApiJson.tree(c);
        String origin = componentOrigin.get();
        for (JsonNode part : n.withArray("parts")) {
            ((ObjectNode) part).put("url", origin + "/bundles/" + c.appId() + "/" + part.get("versionId").asText() + "/" + part.get("entry").asText());
        }
        n.put("componentOrigin", origin);
        n.put("flvUrl", "/live/" + c.roomId() + ".flv");
        return n;
    }

    /** Adds an operation defined elsewhere (recordings); call before the routes are mounted. */
    public void add(ApiOperation op) {
        all.add(op);
    }

    private static JsonNode withApp(JsonNode body, String appId) {
        ObjectNode n = body.deepCopy();
        if (!n.has("app")) {
            n.put("app", appId);
        }
        return n;
    }

    private static List<String> strings(JsonNode body, String field) {
        JsonNode n = body == null ? null : body.get(field);
        if (n == null || n.isNull()) {
            return List.of();
        }
        if (!n.isArray()) {
            throw PlatformException.invalid("INVALID_BODY", "body field '" + field + "' must be an array of strings");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode e : n) {
            if (!e.isTextual()) {
                throw PlatformException.invalid("INVALID_BODY", "body field '" + field + "' must be an array of strings");
            }
            out.add(e.asText());
        }
        return out;
    }

    private static boolean bool(JsonNode body, String field) {
        JsonNode n = body == null ? null : body.get(field);
        if (n == null || n.isNull()) {
            return false;
        }
        if (!n.isBoolean()) {
            throw PlatformException.invalid("INVALID_BODY", "body field '" + field + "' must be true or false");
        }
        return n.asBoolean();
    }

    private static Instant instant(String text) {
        try {
            return text == null ? null : Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw PlatformException.invalid("INVALID_BODY", "scheduledAt must be an ISO-8601 instant such as 2026-12-01T20:00:00Z");
        }
    }
}
