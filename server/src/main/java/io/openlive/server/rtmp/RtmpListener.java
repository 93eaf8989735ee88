package io.openlive.server.rtmp;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.timeout.IdleStateHandler;
import io.openlive.engine.room.RoomStore;
import io.openlive.engine.stream.StreamHub;
import io.openlive.protocol.rtmp.RtmpBufferBudget;
import io.openlive.protocol.rtmp.RtmpChunkDecoder;
import io.openlive.protocol.rtmp.RtmpChunkEncoder;
import io.openlive.protocol.rtmp.RtmpDecoderConfig;
import io.openlive.protocol.rtmp.RtmpServerHandshake;
import io.openlive.server.internal.NettyAccess;
import io.openlive.server.internal.SpreadListeners;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;

/**
 * The RTMP port: a Vert.x TCP server whose connections are handed to a Netty pipeline of handshake, chunk decoder and
 * encoder, and {@link RtmpConnection}. Vert.x's own socket handler never sees a byte.
 */
public final class RtmpListener {
    /** A connection silent this long before publishing or playing, or while publishing, is closed. */
    public static final int IDLE_SECONDS = 30;

    private final Vertx vertx;
    private final StreamHub hub;
    private final RoomStore rooms;
    private final boolean viewerNoDelay;
    private volatile NetServer server;
    private volatile SpreadListeners.Spread spread;
    private final RtmpAdmission.Door door;
    private final RtmpBufferBudget budget = new RtmpBufferBudget(RtmpBufferBudget.DEFAULT_BYTES);

    public RtmpListener(Vertx vertx, StreamHub hub, RoomStore rooms, boolean viewerNoDelay, RtmpLimits limits) {
        this.vertx = vertx;
        this.hub = hub;
        this.rooms = rooms;
        this.viewerNoDelay = viewerNoDelay;
        this.door = new RtmpAdmission.Door(limits);
    }

    /** Listens on {@code port} (0: any) from {@code loops} event loops, so publishers and players spread over them. */
    public Future<Integer> listen(String host, int port, int loops) {
        java.util.List<NetServer> made = new java.util.concurrent.CopyOnWriteArrayList<>();
        return SpreadListeners.listen(vertx, loops, p -> listenOne(made, host, p), free -> made.remove(0).close(), port).map(s -> {
            server = made.get(0); // the one made here; the others close with the spread's verticles
            spread = s;
            return s.port();
        });
    }

    private Future<Integer> listenOne(java.util.List<NetServer> made, String host, int port) {
        NetServer one = vertx.createNetServer(new NetServerOptions().setHost(host).setPort(port).setTcpNoDelay(true));
        made.add(one);
        one.connectHandler(socket -> {
            ChannelHandlerContext vertxCtx = NettyAccess.of(socket);
            ChannelPipeline p = vertxCtx.pipeline();
            vertxCtx.channel().config().setWriteBufferWaterMark(new WriteBufferWaterMark(128 * 1024, 256 * 1024));
            String name = vertxCtx.name();
            p.addBefore(name, "rtmp-admission", new RtmpAdmission(door));
            p.addBefore(name, "rtmp-idle", new IdleStateHandler(IDLE_SECONDS, 0, 0));
            RtmpChunkDecoder decoder = new RtmpChunkDecoder(RtmpDecoderConfig.beforePublish()); // full limits once publishing
            decoder.budget(budget);
            p.addBefore(name, "rtmp-handshake", new RtmpServerHandshake(decoder));
            p.addBefore(name, "rtmp-encoder", new RtmpChunkEncoder());
            p.addBefore(name, "rtmp-connection", new RtmpConnection(vertx, hub, rooms, viewerNoDelay));
        });
        return one.listen().map(NetServer::actualPort);
    }

    public Future<Void> close() {
        Future<Void> first = server == null ? Future.succeededFuture() : server.close();
        SpreadListeners.Spread s = spread;
        return s == null ? first : first.compose(v -> s.close());
    }
}
