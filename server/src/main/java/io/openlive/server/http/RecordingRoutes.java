package io.openlive.server.http;

import io.openlive.engine.platform.Platform;
import io.openlive.engine.platform.PlatformException;
import io.openlive.engine.platform.Principal;
import io.openlive.engine.record.Recordings;
import io.openlive.server.api.ApiRoutes;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.nio.file.Path;

/**
 * {@code GET /recordings/{roomId}/{recordingId}.mp4}: the recording's file, for the room's owner, admins and reviewers
 * ({@code Authorization: Bearer KEY} as for the REST API). A finished recording is a faststart MP4; one the server was
 * killed during is its fragmented MP4 until the next start finalises it. Range requests work (players seek).
 */
public final class RecordingRoutes {
    private final Vertx vertx;
    private final Platform platform;
    private final Recordings recordings;

    public RecordingRoutes(Vertx vertx, Platform platform, Recordings recordings) {
        this.vertx = vertx;
        this.platform = platform;
        this.recordings = recordings;
    }

    public void mount(Router router) {
        router.get("/recordings/:roomId/:file").handler(this::download);
    }

    private void download(RoutingContext ctx) {
        String roomId = ctx.pathParam("roomId");
        String file = ctx.pathParam("file");
        String key = apiKey(ctx);
        vertx.executeBlocking(() -> {
            Principal p = platform.keys().authenticate(key);
            platform.recordingAccess().authorize(p, roomId, false);
            String id = file.endsWith(".mp4") ? file.substring(0, file.length() - 4) : "";
            return recordings.file(roomId, id).orElseThrow(() -> PlatformException.notFound("RECORDING", id));
        }, false).onComplete(ar -> {
            if (ar.succeeded()) {
                Path f = ar.result();
                ctx.response().putHeader("Content-Type", "video/mp4").putHeader("Cache-Control", "private, no-cache")
                        .sendFile(f.toString());
            } else if (ar.cause() instanceof PlatformException e) {
                ApiError.send(ctx.response(), ApiRoutes.status(e.kind()), e.code(), e.getMessage());
            } else {
                ApiError.send(ctx.response(), 500, "INTERNAL", "internal error; the server log has the cause");
            }
        });
    }

    private static String apiKey(RoutingContext ctx) {
        String auth = ctx.request().getHeader("Authorization");
        if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return auth.substring(7).trim();
        }
        return ctx.request().getHeader("X-Api-Key");
    }
}
