package io.openlive.server.http;

import io.openlive.engine.platform.Platform;
import io.openlive.engine.platform.PlatformException;
import io.openlive.engine.platform.Principal;
import io.openlive.engine.record.Recordings;
import io.openlive.engine.record.Replay;
import io.openlive.server.api.ApiRoutes;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.nio.file.Path;

/**
 * {@code GET /recordings/{roomId}/{recordingId}.mp4}: the recording's file, for the room's owner, admins and reviewers
 * ({@code Authorization: Bearer KEY} as for the REST API). A finished recording is a faststart MP4; one the server was
 * killed during is its fragmented MP4 until the next start finalises it. Range requests work (players seek). A finished
 * recording is also replayed as VOD HLS at {@code /recordings/{roomId}/{recordingId}.m3u8}, without a key, like the
 * live stream it was; its id is unguessable.
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
        router.get("/recordings/:roomId/:id/:file").handler(this::replayMedia);
    }

    /**
     * The replay of a finished recording as VOD HLS, open like the live stream it was: the playlist at
     * {@code /recordings/{roomId}/{id}.m3u8}, its media under {@code /recordings/{roomId}/{id}/}.
     */
    private void replayPlaylist(RoutingContext ctx, String roomId, String id) {
        vertx.executeBlocking(() -> replay(roomId, id), false).onComplete(ar -> {
            if (ar.failed() || ar.result() == null) {
                ApiError.send(ctx.response().putHeader("Cache-Control", "public, max-age=1"), 404, "NOT_FOUND", "no such finished recording");
                return;
            }
            ctx.response().putHeader("Content-Type", HlsRoutes.PLAYLIST_TYPE).putHeader("Access-Control-Allow-Origin", "*")
                    .putHeader("Cache-Control", "public, max-age=60")
                    .end(io.openlive.protocol.hls.PlaylistWriter.write(ar.result().playlist(id + "/"), false));
        });
    }

    private void replayMedia(RoutingContext ctx) {
        String roomId = ctx.pathParam("roomId");
        String id = ctx.pathParam("id");
        String file = ctx.pathParam("file");
        java.util.regex.Matcher m = SEGMENT.matcher(file);
        vertx.executeBlocking(() -> {
            Replay r = replay(roomId, id);
            if (r == null) {
                return null;
            }
            if (file.equals("init.mp4")) {
                return r.init();
            }
            return m.matches() ? r.segment(Integer.parseInt(m.group(1))) : null;
        }, false).onComplete(ar -> {
            ctx.response().putHeader("Access-Control-Allow-Origin", "*");
            if (ar.failed() || ar.result() == null) {
                ApiError.send(ctx.response().putHeader("Cache-Control", "public, max-age=1"), 404, "NOT_FOUND", "no such replay file");
                return;
            }
            ctx.response().putHeader("Content-Type", "video/mp4").putHeader("Cache-Control", "public, max-age=86400")
                    .end(io.vertx.core.buffer.Buffer.buffer(ar.result()));
        });
    }

    private static final java.util.regex.Pattern SEGMENT = java.util.regex.Pattern.compile("s(\\d{1,9})\\.m4s");
    /** Sample tables of recently replayed recordings; a few, as each is a few megabytes for a long show. */
    private final java.util.Map<Path, Replay> replays = new java.util.concurrent.ConcurrentHashMap<>();

    private Replay replay(String roomId, String id) throws java.io.IOException {
        Path f = recordings.file(roomId, id).filter(p -> p.toString().endsWith(".mp4")).orElse(null);
        if (f == null) {
            return null;
        }
        Replay r = replays.get(f);
        if (r == null) {
            if (replays.size() >= 8) {
                replays.clear();
            }
            r = Replay.open(f);
            replays.put(f, r);
        }
        return r;
    }

    private void download(RoutingContext ctx) {
        String roomId = ctx.pathParam("roomId");
        String file = ctx.pathParam("file");
        if (file.endsWith(".m3u8")) {
            replayPlaylist(ctx, roomId, file.substring(0, file.length() - 5));
            return;
        }
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
