package io.openlive.server.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.openlive.engine.room.RoomStore;
import io.openlive.engine.stream.Frame;
import io.openlive.engine.stream.StreamHub;
import io.openlive.engine.stream.StreamReader;
import io.openlive.kernel.flv.FlvWriter;
import io.openlive.server.internal.EarlyFrames;
import io.openlive.server.internal.LogText;
import io.openlive.server.internal.NettyAccess;
import io.openlive.server.internal.WritabilitySignal;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Play over HTTP: {@code GET /live/{roomId}.flv} as chunked HTTP-FLV, or the same URL upgraded to a WebSocket for
 * WS-FLV (one FLV tag per binary message, the FLV header first). CORS is open so players on any origin can read the
 * stream. An unknown room is a 404 with a JSON error (a WebSocket's close code 4404); a room not yet live holds the
 * connection until its publisher comes or the wait times out.
 */
public final class LiveRoutes {
    private static final Logger log = LoggerFactory.getLogger(LiveRoutes.class);
    private static final WriteBufferWaterMark VIEWER_WATER_MARK = new WriteBufferWaterMark(128 * 1024, 256 * 1024);

    private final Vertx vertx;
    private final StreamHub hub;
    private final RoomStore rooms;
    private final boolean viewerNoDelay;

    public LiveRoutes(Vertx vertx, StreamHub hub, RoomStore rooms, boolean viewerNoDelay) {
        this.vertx = vertx;
        this.hub = hub;
        this.rooms = rooms;
        this.viewerNoDelay = viewerNoDelay;
    }

    public void mount(Router router) {
        router.route("/live/*").handler(ctx -> {
            ctx.response().putHeader("Access-Control-Allow-Origin", "*");
            ctx.next();
        });
        router.options("/live/*").handler(ctx -> ctx.response()
                .putHeader("Access-Control-Allow-Methods", "GET, OPTIONS")
                .putHeader("Access-Control-Allow-Headers", "*")
                .putHeader("Access-Control-Max-Age", "86400")
                .setStatusCode(204).end());
        router.get("/live/:file").handler(this::play);
    }

    private void play(RoutingContext ctx) {
        String file = ctx.pathParam("file");
        if (!file.endsWith(".flv")) {
            ApiError.send(ctx.response(), 404, "NOT_FOUND", "no such stream format: " + file);
            return;
        }
        String roomId = file.substring(0, file.length() - 4);
        HttpServerRequest request = ctx.request();
        long requestedAt = System.nanoTime();
        if ("websocket".equalsIgnoreCase(request.getHeader("Upgrade"))) {
            upgrade(request, roomId, requestedAt);
            return;
        }
        if (hub.stream(roomId).isPresent()) {
            playHttp(request, roomId, requestedAt); // a live room exists: a join storm needs no store round trip
            return;
        }
        request.pause();
        vertx.executeBlocking(() -> rooms.find(roomId), false).onComplete(ar -> {
            request.resume();
            if (ar.failed()) {
                ApiError.send(ctx.response(), 503, "STORE_UNAVAILABLE", ar.cause().getMessage());
                return;
            }
            if (ar.result().isEmpty()) {
                ApiError.send(ctx.response(), 404, "ROOM_NOT_FOUND", "no room " + roomId);
                return;
            }
            playHttp(request, roomId, requestedAt);
        });
    }

    /**
     * WS-FLV upgrades at once and looks the room up after, closing with 4404 (as {@code /rt} does) when there is none.
     * Why not look up first: a client may send frames right behind its request (RFC 6455 4.1); while the upgrade waited
     * for the store, Vert.x's HTTP decoder would read those bytes as the start of a next request, and the socket broke.
     * A browser's WebSocket cannot read a 404's body anyway; a close code and reason it can.
     */
    private void upgrade(HttpServerRequest request, String roomId, long requestedAt) {
        io.netty.channel.Channel channel = NettyAccess.of(request).channel();
        EarlyFrames early = EarlyFrames.hold(channel); // frames decoded during the handshake, before Vert.x has a WebSocket
        request.toWebSocket().onComplete(upgraded -> {
            if (upgraded.failed()) {
                early.release();
                log.info("[ws-flv {} room={}] upgrade failed: {}", peer(request), LogText.of(roomId), upgraded.cause().getMessage());
                return;
            }
            ServerWebSocket ws = upgraded.result();
            ws.handler(buffer -> { }); // viewers have nothing to say; frames are read and dropped (pings answered)
            early.release();
            if (hub.stream(roomId).isPresent()) {
                playWebSocket(ws, channel, roomId, requestedAt); // a live room exists: a join storm needs no store round trip
                return;
            }
            vertx.executeBlocking(() -> rooms.find(roomId), false).onComplete(ar -> {
                String who = "[ws-flv " + ws.remoteAddress() + " room=" + LogText.of(roomId) + "]"; // not checked yet
                if (ar.failed()) {
                    log.warn("{} closed: store unavailable: {}", who, ar.cause().getMessage());
                    ws.close((short) 1011, "STORE_UNAVAILABLE");
                } else if (ar.result().isEmpty()) {
                    log.info("{} closed: no such room", who);
                    ws.close((short) 4404, "ROOM_NOT_FOUND");
                } else if (!ws.isClosed()) {
                    playWebSocket(ws, channel, roomId, requestedAt);
                }
            });
        });
    }

    private void playHttp(HttpServerRequest request, String roomId, long requestedAt) {
        HttpServerResponse response = request.response();
        response.setChunked(true)
                .putHeader("Content-Type", "video/x-flv")
                .putHeader("Cache-Control", "no-cache, no-store");
        response.writeHead();
        ChannelHandlerContext channel = NettyAccess.of(request);
        channel.channel().config().setWriteBufferWaterMark(VIEWER_WATER_MARK);
        String who = "[http-flv " + peer(request) + " room=" + roomId + "]";
        FlvSink sink = new FlvSink(channel, "http-flv", requestedAt, Frame::httpChunk, viewerNoDelay, reason -> {
            log.info("{} closed: {}", who, reason);
            response.end().onComplete(v -> request.connection().close());
        });
        sink.headerBeforeFirstFrame(() -> tracks(roomId),
                t -> new DefaultHttpContent(FlvWriter.header(channel.alloc(), t[0], t[1])));
        start(roomId, sink, channel, who, readerHolder -> response.closeHandler(v -> readerHolder.detach()));
    }

    private void playWebSocket(ServerWebSocket ws, io.netty.channel.Channel netty, String roomId, long requestedAt) {
        // After the upgrade the pipeline ends in Vert.x's WebSocket handler; writing from there passes the frame encoder.
        ChannelHandlerContext channel = netty.pipeline().lastContext();
        channel.channel().config().setWriteBufferWaterMark(VIEWER_WATER_MARK);
        String who = "[ws-flv " + ws.remoteAddress() + " room=" + roomId + "]";
        FlvSink sink = new FlvSink(channel, "ws-flv", requestedAt, Frame::webSocketFrame, viewerNoDelay, reason -> {
            log.info("{} closed: {}", who, reason);
            ws.close((short) 1000, reason.length() > 100 ? reason.substring(0, 100) : reason);
        });
        sink.headerBeforeFirstFrame(() -> tracks(roomId),
                t -> new BinaryWebSocketFrame(FlvWriter.header(channel.alloc(), t[0], t[1])));
        start(roomId, sink, channel, who, readerHolder -> ws.closeHandler(v -> readerHolder.detach()));
    }

    /** {audio, video} to announce: the tracks the room's stream has, or both while it knows of neither yet. */
    private boolean[] tracks(String roomId) {
        boolean audio = hub.stream(roomId).map(io.openlive.engine.stream.LiveStream::hasAudio).orElse(false);
        boolean video = hub.stream(roomId).map(io.openlive.engine.stream.LiveStream::hasVideo).orElse(false);
        return audio || video ? new boolean[]{audio, video} : new boolean[]{true, true};
    }

    private void start(String roomId, FlvSink sink, ChannelHandlerContext channel, String who,
                       java.util.function.Consumer<StreamReader> onConnectionClose) {
        sink.flush();
        StreamReader reader = hub.play(roomId, sink);
        channel.pipeline().addBefore(channel.name(), "openlive-writability", new WritabilitySignal(reader::signal));
        onConnectionClose.accept(reader);
        log.debug("{} playing", who);
    }

    private static String peer(HttpServerRequest request) {
        return request.remoteAddress() == null ? "?" : request.remoteAddress().toString();
    }
}
