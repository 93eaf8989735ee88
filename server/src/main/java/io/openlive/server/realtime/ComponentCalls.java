package io.openlive.server.realtime;

import io.openlive.engine.platform.MethodPermissions;
import io.openlive.engine.platform.PlatformRooms;
import io.openlive.protocol.realtime.Envelope;
import io.openlive.protocol.realtime.ErrorCode;

/**
 * Checks a call against the identity of the component it is made for (CONTAINER contract: component identity on the
 * WebSocket). A call with {@code "component":"<versionId>"} is allowed only when that version is part of the instance
 * bound to this room for the connection's host app, and its manifest grants the permission the method needs
 * ({@link MethodPermissions}); {@code topic.emit} needs a component whose manifest declares the topic under
 * {@code emits}. A call without {@code component} is the host page's own and keeps the viewer's rules, except
 * {@code topic.emit}, which only components make.
 *
 * <p>Runs on the room's event loop. Usage: {@code ComponentCalls.check(room.appTopics.get(c.appId), call)}.
 */
final class ComponentCalls {
    private ComponentCalls() {
    }

    static void check(RoomAccess.Topics app, Envelope.Call call) {
        if (call.component() == null) {
            if (call.method().equals("topic.emit")) {
                throw new RealtimeMethods.Refusal(ErrorCode.FORBIDDEN, "topic.emit is sent by a component: give its version as \"component\"");
            }
            return;
        }
        PlatformRooms.LivePart part = app == null ? null : app.parts().get(call.component());
        if (part == null) {
            throw new RealtimeMethods.Refusal(ErrorCode.FORBIDDEN, "component " + call.component() + " is not live for this app in this room");
        }
        MethodPermissions.required(call.method()).ifPresent(permission -> {
            if (!part.permissions().contains(permission)) {
                throw new RealtimeMethods.Refusal(ErrorCode.FORBIDDEN, part.component() + " may not call " + call.method()
                        + ": its manifest does not grant " + permission);
            }
        });
        if (call.method().equals("topic.emit")) {
            String topic = call.params().path("topic").asText("");
            if (!part.emits().contains(topic)) {
                throw new RealtimeMethods.Refusal(ErrorCode.FORBIDDEN, part.component() + " does not declare '" + topic + "' under emits");
            }
        }
    }
}
