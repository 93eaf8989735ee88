package io.openlive.server.realtime;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.channel.Channel;
import io.openlive.protocol.realtime.Envelopes;
import io.openlive.protocol.realtime.ErrorCode;
import io.openlive.server.http.ApiError;
import io.openlive.server.internal.EarlyFrames;
import io.openlive.server.internal.LogText;
import io.openlive.server.internal.NettyAccess;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;


import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code ws://HOST/rt?room={roomId}&app={hostAppId}&token={viewerToken}&since={seq}}: upgrades, checks the room's
 * delivery to the app and the viewer's token, and joins the room's channel. A refused join gets an error envelope and
 * a close code (4401 token, 4403 banned or not allowed, 4404 room or delivery unknown).
 */
public final class RealtimeRoutes {
    private static final Logger log = LoggerFactory.getLogger(RealtimeRoutes.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicLong IDS = new AtomicLong();
    /** How long a closed connection's client has to answer the close handshake before the socket is closed. */
    static final long CLOSE_GRACE_MILLIS = 2000;

    private final Vertx vertx;
    private final RealtimeHub hub;
    private final ViewerTokens tokens;
    private final RealtimeMethods methods;
    private io.openlive.server.http.AddressRate anonymousRate = new io.openlive.server.http.AddressRate(0);
    private io.openlive.server.http.AddressRefusals anonymousRefusals;

    public RealtimeRoutes(Vertx vertx, RealtimeHub hub) {
        this.vertx = vertx;
        this.hub = hub;
        this.tokens = new ViewerTokens(vertx);
        this.methods = new RealtimeMethods(hub.config(), new CommerceMethods(hub), new FollowMethods(hub), new RecordingMethods(hub));
    }

    /**
     * Anonymous upgrades one address may make per second (burst twice that; 0 = no limit): 2,000 of them completed in
     * 0.3 s. More are answered 429 before the upgrade, counted in /metrics and logged once per address per interval.
     */
    public RealtimeRoutes limitAnonymous(int perSecond, io.micrometer.core.instrument.MeterRegistry registry) {
        this.anonymousRate = new io.openlive.server.http.AddressRate(perSecond);
        this.anonymousRefusals = new io.openlive.server.http.AddressRefusals(registry, "rt_anonymous_rate",
                "over " + perSecond + " anonymous /rt upgrades a second");
        return this;
    }

    public void mount(Router router) {
        router.get("/rt").handler(this::upgrade);
    }

    private void upgrade(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        String roomId = request.getParam("room");
        String appId = request.getParam("app");
        String token = request.getParam("token");
        String origin = request.getHeader("Origin");
        long since;
        try {
            since = request.getParam("since") == null ? 0 : Long.parseLong(request.getParam("since"));
        } catch (NumberFormatException e) {
            since = -1;
        }
        if (!"websocket".equalsIgnoreCase(request.getHeader("Upgrade"))) {
            ApiError.send(ctx.response(), 400, "WEBSOCKET_REQUIRED", "/rt is a WebSocket endpoint");
            return;
        }
        if (roomId == null || appId == null || roomId.length() > 64 || appId.length() > 64 || since < 0) {
            ApiError.send(ctx.response(), 400, "BAD_REQUEST", "/rt needs room and app, and since must be a sequence number");
            return;
        }
        String address = request.remoteAddress() == null ? "?" : request.remoteAddress().hostAddress();
        if ((token == null || token.isEmpty()) && !anonymousRate.take(address)) {
            anonymousRefusals.refuse(address, "[rt]");
            ctx.response().putHeader("Retry-After", "1");
            ApiError.send(ctx.response(), 429, "RATE_LIMITED", "too many anonymous /rt connections from this address; retry in a second");
            return;
        }
        Channel netty = NettyAccess.of(request).channel();
        String who = "[rt " + request.remoteAddress() + " room=" + LogText.of(roomId) + " app=" + LogText.of(appId) + "]";
        // since=0 asks for everything the room kept (the client saw nothing yet); no since at all asks for nothing
        long from = request.getParam("since") == null ? RoomChannel.NO_RECOVERY : since;
        // frames sent behind the request (a client need not wait for the 101) are decoded during the handshake itself
        EarlyFrames early = EarlyFrames.hold(netty);
        request.toWebSocket().onSuccess(ws -> {
            // From here on the socket is Netty's and ours: nothing of Vert.x's WebSocket or the upgrade request is kept.
            // Taken over at once, on the socket's loop where the upgrade completes, so no later frame reaches Vert.x's
            // handler; those decoded during the handshake are held by early.
            RealtimeSocket socket = RealtimeSocket.takeOver(netty, CLOSE_GRACE_MILLIS);
            early.release(); // to the socket, which keeps them until the viewer has joined
            String connectionId = Long.toString(IDS.incrementAndGet(), 36);
            hub.access(roomId, appId)
                    .compose(access -> access.allowsOrigin(origin) ? Future.succeededFuture(access)
                            : Future.failedFuture(new ViewerTokens.Refused(ErrorCode.ORIGIN_NOT_ALLOWED, "pages of " + origin + " may not embed host app " + appId)))
                    .compose(access -> viewer(token, appId, access, connectionId).map(v -> new Object[]{access, v}))
                    .onSuccess(r -> join(socket, roomId, appId, (RoomAccess) r[0], (Viewer) r[1], from, connectionId, who))
                    .onFailure(e -> refuse(socket, who, e));
        }).onFailure(e -> {
            early.release();
            log.info("{} upgrade failed: {}", who, e.getMessage());
        });
    }

    private Future<Viewer> viewer(String token, String appId, RoomAccess access, String connectionId) {
        if (token == null || token.isEmpty()) {
            return access.moderation().anonymousAllowed() ? Future.succeededFuture(Viewer.anonymous(connectionId))
                    : Future.failedFuture(new ViewerTokens.Refused(ErrorCode.TOKEN_MISSING, "this room needs a viewer token from the host app"));
        }
        return tokens.verify(token, appId, access.secret(), System.currentTimeMillis()).compose(v -> access.moderation().isBanned(appId, v.id())
                ? Future.failedFuture(new ViewerTokens.Refused(ErrorCode.BANNED, "you are banned from this room"))
                : Future.succeededFuture(v));
    }

    private void join(RealtimeSocket socket, String roomId, String appId, RoomAccess access, Viewer viewer, long since,
                      String connectionId, String who) {
        Context context = vertx.getOrCreateContext();
        RoomChannel room = hub.channel(roomId, context, access);
        // Welcome only once the node listens to the room on the bus: a viewer told it is in must not miss what comes next.
        room.subscribed.whenComplete((listening, failed) -> room.context.runOnContext(v -> {
            if (failed != null) {
                refuse(socket, who, failed);
                return;
            }
            if (room.closed) { // lost a race with the last viewer leaving: join the new channel
                join(socket, roomId, appId, access, viewer, since, connectionId, who);
                return;
            }
            if (socket.isGone()) {
                // the client reset while its join was looked up: nothing to join, and no channel left behind for it
                log.debug("{} gone before joining", who);
                room.closeIfEmpty();
                return;
            }
            room.appTopics.putIfAbsent(appId, access.topics());
            RealtimeConnection[] self = new RealtimeConnection[1];
            RealtimeConnection c = new RealtimeConnection(connectionId, viewer, appId, socket.context(), room.context, reason -> {
                log.info("{} closed: {}", who, reason);
                room.leave(self[0]);
                socket.close((short) (reason.equals(RealtimeConnection.SHUTDOWN) ? 1001 : 1008), reason);
            }, hub.config(), System.nanoTime());
            self[0] = c;
            c.signedWith = viewer.anonymous() ? null : access.secret();
            room.join(c, since);
            ObjectNode welcome = JSON.createObjectNode().put("type", "welcome").put("room", roomId).put("app", appId);
            welcome.putObject("viewer").put("id", viewer.id()).put("name", viewer.name()).put("anonymous", viewer.anonymous());
            c.send(Envelopes.msg("system", 0, welcome));
            RealtimeSocket.Listener listener = new RealtimeSocket.Listener() {
                @Override
                public void text(byte[] utf8) { // client frames reach the decoder as the bytes they came in
                    room.context.runOnContext(x -> methods.handle(room, c, utf8));
                }

                @Override
                public void binary() {
                    room.context.runOnContext(x -> {
                        c.send(Envelopes.error(0, "bad_envelope", "binary frames are not part of this protocol"));
                        c.close("binary frame");
                    });
                }

                @Override
                public void tooBig() {
                    room.context.runOnContext(x -> oversize(socket, room, c, who));
                }

                @Override
                public void closed() {
                    room.context.runOnContext(y -> {
                        c.closed = true;
                        room.leave(c);
                    });
                }
            };
            socket.channel().eventLoop().execute(() -> socket.joined(listener));
            log.debug("{} joined as {}", who, viewer.id());
        }));
    }

    /**
     * A message past the size limit is a flood, not a frame to drop: the viewer leaves and the socket closes with 1009
     * (RFC 6455 7.4.1, "message too big"), so a client cannot keep the node reassembling large messages for nothing.
     */
    private void oversize(RealtimeSocket socket, RoomChannel room, RealtimeConnection c, String who) {
        if (c.closed) {
            return;
        }
        log.info("{} closed: flooding: a message over the size limit", who);
        c.closed = true;
        room.leave(c);
        socket.close((short) 1009, "message too big");
    }

    private static void refuse(RealtimeSocket socket, String who, Throwable e) {
        String code = e instanceof ViewerTokens.Refused r ? r.code : ErrorCode.INTERNAL;
        short close = switch (code) {
            case ErrorCode.TOKEN_MISSING, ErrorCode.TOKEN_INVALID, ErrorCode.TOKEN_EXPIRED, ErrorCode.TOKEN_WRONG_APP -> 4401;
            case ErrorCode.BANNED, ErrorCode.ORIGIN_NOT_ALLOWED -> 4403;
            case ErrorCode.ROOM_NOT_FOUND, ErrorCode.ROOM_NOT_DELIVERED -> 4404;
            default -> 1011;
        };
        if (close == 1011) {
            log.warn("{} join failed: {}", who, e.toString());
        } else {
            log.info("{} refused: {} ({})", who, code, e.getMessage());
        }
        socket.refuse(Envelopes.error(0, code, e.getMessage()), close, code);
    }

}
