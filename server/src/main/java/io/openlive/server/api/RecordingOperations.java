package io.openlive.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.openlive.engine.platform.PlatformException;
import io.openlive.engine.platform.RoomRecordingAccess;
import io.openlive.engine.record.Recording;
import io.openlive.engine.record.Recordings;
import io.openlive.server.store.JdbcRoomStore;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.openlive.server.api.ApiOperation.Body.JSON;
import static io.openlive.server.api.ApiOperation.Body.NONE;
import static io.openlive.server.api.ApiOperation.Result.ok;

/**
 * The REST operations on rooms' recordings (documented in {@code openapi.yaml}): turn a room's recording on or off (a
 * room setting, applied at once when live and whenever it goes live), list its recordings, delete one. The owner and
 * admins change; reviewers read; every change is audited. The files themselves are fetched from
 * {@code /recordings/{roomId}/{recordingId}.mp4} ({@code RecordingRoutes}).
 */
public final class RecordingOperations {
    /** Room setting name: "on" when the room records whenever it is live. */
    public static String setting(String roomId) {
        return "recording." + roomId;
    }

    private RecordingOperations() {
    }

    public static void addTo(ApiOperations operations, RoomRecordingAccess access, Recordings recordings, JdbcRoomStore rooms) {
        operations.add(new ApiOperation("room.recording.set", "PUT", "/rooms/{roomId}/recording", JSON, true, c -> {
            String roomId = c.param("roomId");
            access.authorize(c.principal(), roomId, true);
            JsonNode enabled = c.json().get("enabled");
            if (enabled == null || !enabled.isBoolean()) {
                throw PlatformException.invalid("INVALID_BODY", "body field 'enabled' must be true or false");
            }
            boolean before = rooms.setting(setting(roomId)).map("on"::equals).orElse(false);
            rooms.putSetting(setting(roomId), enabled.asBoolean() ? "on" : "off");
            Recording current = enabled.asBoolean() ? recordings.start(roomId).orElse(null) : recordings.stop(roomId).orElse(null);
            access.audit(c.principal(), "room.recording", roomId, Map.of("enabled", before), Map.of("enabled", enabled.asBoolean()));
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("roomId", roomId);
            body.put("enabled", enabled.asBoolean());
            if (current != null) {
                body.put("current", current);
            }
            return ok(body);
        }));
        operations.add(new ApiOperation("room.recording.list", "GET", "/rooms/{roomId}/recordings", NONE, true, c -> {
            String roomId = c.param("roomId");
            access.authorize(c.principal(), roomId, false);
            List<Recording> items = recordings.list(roomId);
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("enabled", rooms.setting(setting(roomId)).map("on"::equals).orElse(false));
            body.put("items", items);
            return ok(body);
        }));
        operations.add(new ApiOperation("room.recording.delete", "DELETE", "/rooms/{roomId}/recordings/{recordingId}", NONE, true, c -> {
            String roomId = c.param("roomId");
            String id = c.param("recordingId");
            access.authorize(c.principal(), roomId, true);
            Recording r = recordings.find(roomId, id).orElseThrow(() -> PlatformException.notFound("RECORDING", id));
            if (r.status().equals("recording") || r.status().equals("finalising")) {
                throw new PlatformException(PlatformException.Kind.CONFLICT, "RECORDING_ACTIVE", "stop the recording before deleting it");
            }
            try {
                if (!recordings.delete(roomId, id)) {
                    throw PlatformException.notFound("RECORDING", id);
                }
            } catch (IOException e) {
                throw new PlatformException(PlatformException.Kind.CONFLICT, "RECORDING_NOT_DELETED", e.getMessage());
            }
            access.audit(c.principal(), "room.recording.delete", roomId, r, null);
            return ok(Map.of("deleted", id));
        }));
    }
}
