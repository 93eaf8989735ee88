package io.openlive.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.openlive.engine.platform.PlatformException;
import io.openlive.engine.platform.RoomRecordingAccess;
import io.openlive.server.restream.Destination;
import io.openlive.server.restream.Restreams;

import java.util.LinkedHashMap;
import java.util.Map;

import static io.openlive.server.api.ApiOperation.Body.JSON;
import static io.openlive.server.api.ApiOperation.Body.NONE;
import static io.openlive.server.api.ApiOperation.Result.created;
import static io.openlive.server.api.ApiOperation.Result.ok;

/**
 * The REST operations on a room's restream destinations (documented in {@code openapi.yaml}): add one (URL and stream
 * key), list them with their status, start, stop, delete. The room's owner and admins change; reviewers read; a room of
 * another tenant is not found; every change is audited, with the key masked. Keys are shown masked, never in full.
 */
public final class RestreamOperations {
    private RestreamOperations() {
    }

    public static void addTo(ApiOperations operations, RoomRecordingAccess access, Restreams restreams) {
        operations.add(new ApiOperation("room.restream.create", "POST", "/rooms/{roomId}/restreams", JSON, true, c -> {
            String roomId = c.param("roomId");
            access.authorize(c.principal(), roomId, true);
            JsonNode enabled = c.json() == null ? null : c.json().get("enabled");
            if (enabled != null && !enabled.isBoolean()) {
                throw PlatformException.invalid("INVALID_BODY", "body field 'enabled' must be true or false");
            }
            Destination d;
            try {
                d = Destination.parse(io.openlive.engine.platform.Ids.newId("rs"),
                        roomId, c.optText("url"), c.optText("key"), enabled == null || enabled.asBoolean(), System.currentTimeMillis());
            } catch (IllegalArgumentException e) {
                throw PlatformException.invalid("INVALID_DESTINATION", e.getMessage());
            }
            Map<String, Object> view = restreams.add(d).orElseThrow(() -> PlatformException.conflict("RESTREAM_LIMIT",
                    "a room has at most " + Restreams.MAX_PER_ROOM + " restream destinations; delete one first"));
            access.audit(c.principal(), "room.restream.create", roomId, null, audited(view));
            return created(view);
        }));
        operations.add(new ApiOperation("room.restream.list", "GET", "/rooms/{roomId}/restreams", NONE, true, c -> {
            String roomId = c.param("roomId");
            access.authorize(c.principal(), roomId, false);
            return ok(Map.of("items", restreams.list(roomId)));
        }));
        operations.add(new ApiOperation("room.restream.get", "GET", "/rooms/{roomId}/restreams/{restreamId}", NONE, true, c -> {
            String roomId = c.param("roomId");
            access.authorize(c.principal(), roomId, false);
            return ok(restreams.view(roomId, c.param("restreamId")).orElseThrow(() -> notFound(c)));
        }));
        operations.add(new ApiOperation("room.restream.start", "POST", "/rooms/{roomId}/restreams/{restreamId}/start", NONE, true, c -> {
            String roomId = c.param("roomId");
            access.authorize(c.principal(), roomId, true);
            Map<String, Object> view = restreams.start(roomId, c.param("restreamId")).orElseThrow(() -> notFound(c));
            access.audit(c.principal(), "room.restream.start", roomId, null, audited(view));
            return ok(view);
        }));
        operations.add(new ApiOperation("room.restream.stop", "POST", "/rooms/{roomId}/restreams/{restreamId}/stop", NONE, true, c -> {
            String roomId = c.param("roomId");
            access.authorize(c.principal(), roomId, true);
            Map<String, Object> view = restreams.stop(roomId, c.param("restreamId")).orElseThrow(() -> notFound(c));
            access.audit(c.principal(), "room.restream.stop", roomId, null, audited(view));
            return ok(view);
        }));
        operations.add(new ApiOperation("room.restream.delete", "DELETE", "/rooms/{roomId}/restreams/{restreamId}", NONE, true, c -> {
            String roomId = c.param("roomId");
            String id = c.param("restreamId");
            access.authorize(c.principal(), roomId, true);
            Map<String, Object> before = restreams.view(roomId, id).orElseThrow(() -> notFound(c));
            restreams.delete(roomId, id);
            access.audit(c.principal(), "room.restream.delete", roomId, audited(before), null);
            return ok(Map.of("deleted", id));
        }));
    }

    private static PlatformException notFound(ApiOperation.Call c) {
        return PlatformException.notFound("RESTREAM", c.param("restreamId"));
    }

    /** What the audit log keeps: the destination (key masked), not its live figures. */
    private static Map<String, Object> audited(Map<String, Object> view) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (String k : new String[]{"id", "url", "key", "enabled"}) {
            m.put(k, view.get(k));
        }
        return m;
    }
}
