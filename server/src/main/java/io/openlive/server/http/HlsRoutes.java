package io.openlive.server.http;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.openlive.engine.hls.HlsConfig;
import io.openlive.engine.hls.HlsPart;
import io.openlive.engine.hls.HlsRooms;
import io.openlive.engine.hls.HlsSegment;
import io.openlive.engine.hls.HlsWindow;
import io.openlive.engine.hls.RenderedPlaylists;
import io.openlive.engine.hls.Segmenter;
import io.openlive.engine.hls.SharedBytes;
import io.openlive.protocol.hls.BlockingRequest;
import io.openlive.server.internal.NettyAccess;
import io.netty.buffer.ByteBuf;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * HLS over HTTP from memory. {@code GET /live/{roomId}.m3u8} is the LL-HLS playlist over fMP4 (blocking reload with
 * {@code _HLS_msn}/{@code _HLS_part}, delta updates with {@code _HLS_skip}); {@code ?format=ts} gives the classic playlist
 * over MPEG-TS. Media lives under {@code /live/{roomId}/{generation}/}: {@code init{v}.mp4}, {@code s{msn}.m4s},
 * {@code s{msn}.{part}.m4s} and {@code s{msn}.ts}; names are never reused, so they are cached for a year. A playlist of
 * a room that is not live is a 404 found without touching the store. CORS is open for browser players.
 *
 * <p>Every body is shared memory: a playlist is rendered once per window and kind ({@link RenderedPlaylists}), and each
 * playlist and media object is sent as a view of its one direct copy ({@link SharedBytes}), never copied per request.
 */
public final class HlsRoutes {
    static final String PLAYLIST_TYPE = "application/vnd.apple.mpegurl";
    private static final Pattern ROOM = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Pattern INIT = Pattern.compile("init(\\d{1,9})\\.mp4");
    private static final Pattern SEGMENT = Pattern.compile("s(\\d{1,18})\\.(m4s|ts)");
    private static final Pattern PART = Pattern.compile("s(\\d{1,18})\\.(\\d{1,9})\\.m4s");
    private static final String IMMUTABLE = "public, max-age=31536000, immutable";
    /** 404s and other answers that change soon are cached briefly, as RFC 8216bis 6.2.5 suggests for live content. */
    private static final String SHORT = "public, max-age=1";

    private final Vertx vertx;
    private final HlsRooms rooms;
    private final HlsConfig config;
    private final Counter playlists;
    private final Counter media;

    public HlsRoutes(Vertx vertx, HlsRooms rooms, MeterRegistry registry) {
        this.vertx = vertx;
        this.rooms = rooms;
        this.config = rooms.config();
        this.playlists = Counter.builder("openlive_hls_requests").tag("kind", "playlist")
                .description("HLS requests that reached this origin").register(registry);
        this.media = Counter.builder("openlive_hls_requests").tag("kind", "media")
                .description("HLS requests that reached this origin").register(registry);
        Gauge.builder("openlive_hls_rooms", rooms, HlsRooms::size).description("Rooms being cut into HLS on this node")
                .register(registry);
    }

    public void mount(Router router) {
        router.getWithRegex("/live/(?<room>[^/]+)\\.m3u8").handler(this::playlist);
        router.getWithRegex("/live/(?<room>[^/]+)/(?<gen>[^/]+)/(?<file>[^/]+)").handler(this::media);
    }

    private void playlist(RoutingContext ctx) {
        playlists.increment();
        HttpServerResponse response = cors(ctx);
        String roomId = ctx.pathParam("room");
        String format = ctx.request().getParam("format");
        if (format != null && !format.equals("ts") && !format.equals("fmp4")) {
            error(response, 400, "BAD_REQUEST", "format must be fmp4 or ts");
            return;
        }
        boolean ts = "ts".equals(format);
        BlockingRequest directives;
        try {
            Map<String, String> query = new HashMap<>();
            for (String name : new String[]{"_HLS_msn", "_HLS_part", "_HLS_skip"}) {
                String v = ctx.request().getParam(name);
                if (v != null) {
                    query.put(name, v);
                }
            }
            directives = ts ? BlockingRequest.NONE : BlockingRequest.parse(query);
        } catch (IllegalArgumentException e) {
            error(response, 400, "BAD_REQUEST", e.getMessage());
            return;
        }
        Segmenter segmenter = ROOM.matcher(roomId).matches() ? rooms.open(roomId) : null;
        if (segmenter == null) {
            error(response, 404, "ROOM_NOT_LIVE", "room " + (roomId.length() > 64 ? "?" : roomId) + " is not live");
            return;
        }
        HlsWindow w = segmenter.window();
        long msn = directives.msn();
        long part = directives.part();
        if (directives.blocks()) {
            String tooFar = tooFar(w, msn, part);
            if (tooFar != null) {
                error(response, 400, "BAD_REQUEST", tooFar);
                return;
            }
        } else if (w == null || (w.segments().isEmpty() && !w.ended())) {
            msn = 0; // a segmenter just started: answer once its first segment is there
            part = -1;
        } else {
            send(ctx, segmenter, w, ts, directives);
            return;
        }
        CompletableFuture<HlsWindow> wait = segmenter.await(msn, part);
        if (wait == null) {
            error(response, 503, "TOO_MANY_WAITERS", "too many blocking requests for this room");
            return;
        }
        Context context = vertx.getOrCreateContext();
        long timer = vertx.setTimer(config.blockTimeout().toMillis(), t -> wait.cancel(false));
        ctx.request().connection().closeHandler(v -> wait.cancel(false));
        wait.whenComplete((window, e) -> context.runOnContext(v -> {
            vertx.cancelTimer(timer);
            if (window == null) {
                error(response, 503, "NOT_YET_AVAILABLE", "the playlist did not reach the asked part within "
                        + config.blockTimeout().toMillis() + " ms");
            } else {
                send(ctx, segmenter, window, ts, directives);
            }
        }));
    }

    /**
     * RFC 8216bis 6.2.5.2: an _HLS_msn more than two past the last segment, or an _HLS_part more than the Advance Part Limit
     * past the last part, is a bad request.
     */
    private String tooFar(HlsWindow w, long msn, long part) {
        long next = w == null ? 0 : w.nextMsn();
        int pending = w == null ? 0 : w.pending().size();
        if (msn > next + 2) {
            return "_HLS_msn " + msn + " is more than two segments past the newest (" + next + ")";
        }
        double partSeconds = config.partTarget().toMillis() / 1000.0;
        long limit = partSeconds < 1 ? (long) Math.ceil(3 / partSeconds) : 3; // the Advance Part Limit
        if (part >= 0 && ((msn == next && part - pending > limit) || (msn > next && part > limit))) {
            return "_HLS_part " + part + " of segment " + msn + " is more than " + limit + " parts past the newest";
        }
        return null;
    }

    private void send(RoutingContext ctx, Segmenter segmenter, HlsWindow w, boolean ts, BlockingRequest directives) {
        HttpServerResponse response = ctx.response();
        if (response.closed() || response.ended()) {
            return;
        }
        String etag = "\"" + w.generation() + "-" + w.nextMsn() + "-" + w.pending().size() + (w.ended() ? "-e" : "")
                + (ts ? "-ts" : directives.skip() ? "-d" : "") + "\"";
        String cache = directives.blocks() ? "public, max-age=" + 6 * w.targetDuration()
                : w.ended() ? "public, max-age=" + w.targetDuration() : SHORT;
        response.putHeader("Cache-Control", cache).putHeader("ETag", etag);
        if (etag.equals(ctx.request().getHeader("If-None-Match"))) {
            response.setStatusCode(304).end();
            return;
        }
        RenderedPlaylists.Kind kind = ts ? RenderedPlaylists.Kind.TS
                : directives.skip() ? RenderedPlaylists.Kind.FMP4_DELTA : RenderedPlaylists.Kind.FMP4;
        SharedBytes text = segmenter.playlists().get(w, kind);
        response.putHeader("Content-Type", PLAYLIST_TYPE);
        ByteBuf view = text.view();
        if (view == null) {
            response.end(Buffer.buffer(text.bytes())); // a window pushed out of the rendered ones meanwhile: still true
        } else {
            response.end(NettyAccess.buffer(view)).onComplete(done -> view.release());
        }
    }

    private void media(RoutingContext ctx) {
        media.increment();
        HttpServerResponse response = cors(ctx);
        String roomId = ctx.pathParam("room");
        String file = ctx.pathParam("file");
        Segmenter segmenter = rooms.find(roomId).orElse(null);
        HlsWindow w = segmenter == null ? null : segmenter.window();
        if (w == null || !w.generation().equals(ctx.pathParam("gen"))) {
            error(response, 404, "NOT_FOUND", "no such HLS stream");
            return;
        }
        segmenter.touch();
        Matcher m;
        if ((m = INIT.matcher(file)).matches()) {
            sendMedia(ctx, w.initMedia().get(Integer.parseInt(m.group(1))), "video/mp4");
        } else if ((m = PART.matcher(file)).matches()) {
            part(ctx, segmenter, w, Long.parseLong(m.group(1)), Long.parseLong(m.group(2)));
        } else if ((m = SEGMENT.matcher(file)).matches()) {
            HlsSegment s = w.segment(Long.parseLong(m.group(1)));
            if (s == null || m.group(2).equals("m4s")) {
                sendMedia(ctx, s == null ? null : s.fmp4Media(), "video/mp4");
            } else if (s.tsMediaIfMuxed() != null) {
                sendMedia(ctx, s.tsMediaIfMuxed(), "video/mp2t"); // muxed already: no worker thread needed
            } else {
                vertx.executeBlocking(s::tsMedia, false).onComplete(ar -> sendMedia(ctx, ar.result(), "video/mp2t"));
            }
        } else {
            error(response, 404, "NOT_FOUND", "no such HLS file");
        }
    }

    /** A part that exists, or the one the preload hint names, sent once it exists (RFC 8216bis 6.2.6). */
    private void part(RoutingContext ctx, Segmenter segmenter, HlsWindow w, long msn, long index) {
        HlsPart p = w.part(msn, index);
        if (p != null) {
            sendMedia(ctx, p.media(), "video/mp4");
            return;
        }
        boolean hinted = !w.ended() && msn == w.nextMsn() && index == w.hintIndex();
        CompletableFuture<HlsWindow> wait = hinted ? segmenter.await(msn, index) : null;
        if (wait == null) {
            error(ctx.response(), 404, "NOT_FOUND", "no such part");
            return;
        }
        Context context = vertx.getOrCreateContext();
        long timer = vertx.setTimer(config.blockTimeout().toMillis(), t -> wait.cancel(false));
        ctx.request().connection().closeHandler(v -> wait.cancel(false));
        wait.whenComplete((window, e) -> context.runOnContext(v -> {
            vertx.cancelTimer(timer);
            HlsPart ready = window == null ? null : window.part(msn, index);
            sendMedia(ctx, ready == null ? null : ready.media(), "video/mp4");
        }));
    }

    private void sendMedia(RoutingContext ctx, SharedBytes bytes, String type) {
        HttpServerResponse response = ctx.response();
        if (response.closed() || response.ended()) {
            return;
        }
        // the view holds the direct copy until this response is written, even if the segment leaves the window meanwhile
        ByteBuf view = bytes == null ? null : bytes.view();
        if (view == null) {
            error(response, 404, "NOT_FOUND", "no such HLS file (not yet, or no longer, in the window)");
            return;
        }
        String etag = "\"" + ctx.pathParam("gen") + "/" + ctx.pathParam("file") + "\"";
        response.putHeader("Cache-Control", IMMUTABLE).putHeader("ETag", etag);
        if (etag.equals(ctx.request().getHeader("If-None-Match"))) {
            view.release();
            response.setStatusCode(304).end();
            return;
        }
        response.putHeader("Content-Type", type).end(NettyAccess.buffer(view)).onComplete(done -> view.release());
    }

    private static HttpServerResponse cors(RoutingContext ctx) {
        return ctx.response().putHeader("Access-Control-Allow-Origin", "*")
                .putHeader("Access-Control-Expose-Headers", "ETag, Age");
    }

    private static void error(HttpServerResponse response, int status, String code, String message) {
        if (response.closed() || response.ended()) {
            return;
        }
        response.putHeader("Cache-Control", status == 404 ? SHORT : "no-store");
        ApiError.send(response, status, code, message);
    }
}
