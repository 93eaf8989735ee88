package io.openlive.server.rtmp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import io.openlive.engine.room.RoomStore;
import io.openlive.engine.stream.Frame;
import io.openlive.engine.stream.PublishRefusedException;
import io.openlive.engine.stream.Publisher;
import io.openlive.engine.stream.StreamHub;
import io.openlive.engine.stream.StreamReader;
import io.openlive.kernel.amf0.Amf0Writer;
import io.openlive.kernel.flv.FlvTagType;
import io.openlive.protocol.rtmp.RtmpChunkDecoder;
import io.openlive.protocol.rtmp.RtmpCommands;
import io.openlive.protocol.rtmp.RtmpMessage;
import io.openlive.protocol.rtmp.RtmpServerHandshake;
import io.openlive.server.internal.WritabilitySignal;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One RTMP connection after the handshake: answers NetConnection and NetStream commands and becomes either a publisher
 * (stream key checked against the room store) or a player of a room (by public room id). Application name must be
 * {@code live}: {@code rtmp://HOST:1935/live/{streamKey}} to publish, {@code rtmp://HOST:1935/live/{roomId}} to play.
 *
 * <p>Every way a connection ends is one log line naming the peer, the room and the reason.
 */
final class RtmpConnection extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(RtmpConnection.class);
    static final String APP = "live";
    /** Window Acknowledgement Size and peer bandwidth we announce, as common servers do. */
    private static final int WINDOW = 2_500_000;
    /** The handler that wakes this connection's reader when the socket drains; one per play, removed when it stops. */
    private static final String WRITABILITY = "rtmp-writability";
    /** C0, C1 and C2 (RTMP 5.2): bytes the peer sent before the first chunk. */
    private static final long HANDSHAKE_BYTES = 1 + 2L * io.openlive.protocol.rtmp.Handshake.PACKET_SIZE;

    private enum Role { NONE, PUBLISHING, PLAYING }

    private final Vertx vertx;
    private final StreamHub hub;
    private final RoomStore rooms;
    private final boolean viewerNoDelay;
    private ChannelHandlerContext ctx;
    private String peer = "?";
    private String roomId;
    private Role role = Role.NONE;
    private boolean connected;
    private int nextStreamId = 1;
    private boolean pending;
    private Publisher publisher;
    private StreamReader reader;
    private long peerWindow;
    private long lastAck;
    private boolean closing;
    private String closeReason;
    /** The connection's chunk decoder, found in the pipeline on the first acknowledgement check. */
    private RtmpChunkDecoder decoder;

    RtmpConnection(Vertx vertx, StreamHub hub, RoomStore rooms, boolean viewerNoDelay) {
        this.vertx = vertx;
        this.hub = hub;
        this.rooms = rooms;
        this.viewerNoDelay = viewerNoDelay;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        if (ctx.channel().remoteAddress() instanceof InetSocketAddress a) {
            peer = a.getAddress().getHostAddress() + ":" + a.getPort();
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        switch (evt) {
            case RtmpServerHandshake.Failed f -> close(f.reason());
            case RtmpServerHandshake.Completed c -> log.debug("{} handshake done ({})", tag(), c.digest() ? "digest" : "plain");
            case IdleStateEvent e -> {
                if (role != Role.PLAYING) {
                    close("no data for " + RtmpListener.IDLE_SECONDS + " s");
                }
            }
            default -> ctx.fireUserEventTriggered(evt);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof RtmpMessage m)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        try {
            if (!closing) {
                handle(m);
            }
        } finally {
            if (m instanceof RtmpMessage.Media media) {
                media.release();
            }
        }
        acknowledgeIfDue();
    }

    private void handle(RtmpMessage m) {
        switch (m) {
            case RtmpMessage.Media media -> {
                if (publisher != null) {
                    publisher.write(media.type(), media.timestamp(), media.payload());
                }
            }
            case RtmpMessage.Data data -> onData(data);
            case RtmpMessage.Command command -> onCommand(command);
            case RtmpMessage.WindowAckSize w -> peerWindow = w.size();
            case RtmpMessage.UserControl u when u.event() == RtmpMessage.UserControl.PING_REQUEST ->
                    ctx.writeAndFlush(new RtmpMessage.UserControl(RtmpMessage.UserControl.PING_RESPONSE, u.value(), 0));
            case RtmpMessage.Malformed bad -> close(bad.reason());
            default -> {
                // Set Chunk Size and Abort act inside the decoder; acknowledgements, peer bandwidth and unknown types need nothing
            }
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (publisher != null) {
            publisher.flush(); // viewers hear of everything this read brought in one go
        }
        ctx.fireChannelReadComplete();
    }

    /** 5.4.3: tell a peer that asked for acknowledgements how much we have received. */
    private void acknowledgeIfDue() {
        if (peerWindow <= 0 || closing) {
            return;
        }
        if (decoder == null) {
            decoder = ctx.pipeline().get(RtmpChunkDecoder.class); // once, not a pipeline walk per message
        }
        // 5.4.3: the sequence number counts every byte received, the handshake's C0, C1 and C2 included
        long received = decoder == null ? 0 : HANDSHAKE_BYTES + decoder.bytesReceived();
        if (decoder != null && received - lastAck >= peerWindow) {
            lastAck = received;
            ctx.writeAndFlush(new RtmpMessage.Acknowledgement(lastAck & 0xFFFFFFFFL));
        }
    }

    /**
     * The metadata players get, without ByteArray members (an AMF 3 publisher's thumbnails and the like): AMF0 has no
     * binary type, and players' AMF0 readers (ffmpeg's FLV demuxer among them) stop at an avmplus marker and lose every
     * member after it.
     */
    private static Map<?, ?> withoutBinary(Map<?, ?> meta) {
        Map<Object, Object> kept = new java.util.LinkedHashMap<>();
        meta.forEach((k, v) -> {
            if (!(v instanceof byte[])) {
                kept.put(k, v);
            }
        });
        return kept;
    }

    private void onData(RtmpMessage.Data data) {
        if (publisher == null) {
            return;
        }
        List<Object> values = data.values();
        int at = !values.isEmpty() && "@setDataFrame".equals(values.get(0)) ? 1 : 0;
        if (values.size() > at + 1 && "onMetaData".equals(values.get(at)) && values.get(at + 1) instanceof Map<?, ?> meta) {
            ByteBuf body = ctx.alloc().buffer();
            try {
                Amf0Writer.write(body, "onMetaData");
                Amf0Writer.writeEcmaArray(body, withoutBinary(meta));
                publisher.write(FlvTagType.SCRIPT, data.timestamp(), body);
                publisher.flush();
            } finally {
                body.release();
            }
        }
    }

    private void onCommand(RtmpMessage.Command c) {
        switch (c.name()) {
            case "connect" -> onConnect(c);
            case "releaseStream", "FCPublish" -> {
                if (c.name().equals("FCPublish")) {
                    ctx.write(RtmpCommands.onFcPublish(RtmpCommands.NETSTREAM_PUBLISH_START, RtmpCommands.firstStringArgument(c)));
                }
                if (c.transactionId() > 0) {
                    ctx.write(RtmpCommands.result(c.transactionId(), null));
                }
                ctx.flush();
            }
            case "createStream" -> {
                if (requireConnected(c)) {
                    ctx.writeAndFlush(RtmpCommands.result(c.transactionId(), (double) nextStreamId++));
                }
            }
            case "publish" -> {
                if (requireConnected(c)) {
                    onPublish(c);
                }
            }
            case "play" -> {
                if (requireConnected(c)) {
                    onPlay(c);
                }
            }
            case "deleteStream", "closeStream", "FCUnpublish" -> stopStream();
            case "getStreamLength" -> ctx.writeAndFlush(RtmpCommands.result(c.transactionId(), 0.0));
            default -> {
                if (c.transactionId() > 0) {
                    ctx.writeAndFlush(RtmpCommands.result(c.transactionId(), null));
                }
            }
        }
    }

    private void onConnect(RtmpMessage.Command c) {
        Object app = c.commandObject().get("app");
        String name = app instanceof String s ? stripQuery(s).replaceAll("/+$", "") : "";
        if (!APP.equals(name)) {
            ctx.writeAndFlush(RtmpCommands.connectRejected(c.transactionId(), "unknown application '" + name + "', use '" + APP + "'"));
            close("connect to unknown application '" + io.openlive.server.internal.LogText.of(name) + "'");
            return;
        }
        connected = true;
        double encoding = c.commandObject().get("objectEncoding") instanceof Double d ? d : 0;
        ctx.write(new RtmpMessage.WindowAckSize(WINDOW));
        ctx.write(new RtmpMessage.SetPeerBandwidth(WINDOW, 2));
        ctx.write(new RtmpMessage.SetChunkSize(Frame.RTMP_CHUNK_SIZE));
        ctx.writeAndFlush(RtmpCommands.connectResult(c.transactionId(), encoding));
    }

    private boolean requireConnected(RtmpMessage.Command c) {
        if (!connected) {
            close(c.name() + " before connect");
        }
        return connected;
    }

    private void onPublish(RtmpMessage.Command c) {
        String key = stripQuery(RtmpCommands.firstStringArgument(c));
        int streamId = c.streamId();
        if (role != Role.NONE || pending) {
            close("publish on a connection that is already " + role.name().toLowerCase());
            return;
        }
        pending = true;
        lookup(() -> rooms.findByStreamKey(key), room -> {
            pending = false;
            if (room.isEmpty()) {
                refusePublish(streamId, RtmpCommands.NETSTREAM_PUBLISH_BAD_NAME, "invalid stream key", "publish refused: invalid stream key");
                return;
            }
            roomId = room.get().id();
            try {
                publisher = hub.publish(roomId, peer);
            } catch (PublishRefusedException e) {
                refusePublish(streamId, RtmpCommands.NETSTREAM_PUBLISH_BAD_NAME, e.getMessage(), "publish refused: " + e.getMessage());
                return;
            }
            role = Role.PUBLISHING;
            RtmpAdmission.admitted(ctx, true);
            ctx.write(new RtmpMessage.UserControl(RtmpMessage.UserControl.STREAM_BEGIN, streamId, 0));
            ctx.writeAndFlush(RtmpCommands.onStatus(streamId, "status", RtmpCommands.NETSTREAM_PUBLISH_START, "Publishing " + roomId + "."));
            log.info("{} publishing", tag());
        });
    }

    private void refusePublish(int streamId, String code, String description, String reason) {
        ctx.writeAndFlush(RtmpCommands.onStatus(streamId, "error", code, description));
        close(reason);
    }

    private void onPlay(RtmpMessage.Command c) {
        String id = stripQuery(RtmpCommands.firstStringArgument(c));
        long requestedAt = System.nanoTime();
        int streamId = c.streamId() == 0 ? Frame.RTMP_STREAM_ID : c.streamId();
        if (role != Role.NONE || pending) {
            close("play on a connection that is already " + role.name().toLowerCase());
            return;
        }
        if (hub.stream(id).isPresent()) {
            startPlaying(id, streamId, requestedAt); // a live room exists: a join storm needs no store round trip
            return;
        }
        pending = true;
        lookup(() -> rooms.find(id), room -> {
            pending = false;
            if (room.isEmpty()) {
                ctx.writeAndFlush(RtmpCommands.onStatus(streamId, "error", RtmpCommands.NETSTREAM_PLAY_STREAM_NOT_FOUND, "No room " + id + "."));
                close("play refused: no room '" + io.openlive.server.internal.LogText.of(id) + "'");
                return;
            }
            startPlaying(id, streamId, requestedAt);
        });
    }

    private void startPlaying(String id, int streamId, long requestedAt) {
        roomId = id;
        role = Role.PLAYING;
        RtmpAdmission.admitted(ctx, false);
        ctx.write(new RtmpMessage.UserControl(RtmpMessage.UserControl.STREAM_IS_RECORDED, streamId, 0));
        ctx.write(new RtmpMessage.UserControl(RtmpMessage.UserControl.STREAM_BEGIN, streamId, 0));
        ctx.write(RtmpCommands.onStatus(streamId, "status", RtmpCommands.NETSTREAM_PLAY_RESET, "Playing and resetting " + id + "."));
        ctx.write(RtmpCommands.onStatus(streamId, "status", RtmpCommands.NETSTREAM_PLAY_START, "Started playing " + id + "."));
        ctx.writeAndFlush(RtmpCommands.onStatus(streamId, "status", RtmpCommands.NETSTREAM_DATA_START, "Data start."));
        RtmpPlaySink sink = new RtmpPlaySink(ctx, streamId, requestedAt, viewerNoDelay, reason -> {
            ctx.writeAndFlush(RtmpCommands.onStatus(streamId, "status", RtmpCommands.NETSTREAM_PLAY_UNPUBLISH_NOTIFY, reason));
            close(reason);
        });
        reader = hub.play(roomId, sink);
        ctx.pipeline().addBefore(ctx.name(), WRITABILITY, new WritabilitySignal(reader::signal));
        log.info("{} playing", tag());
    }

    /** Runs a store lookup on a worker, then continues on this connection's event loop (reads paused meanwhile). */
    private <T> void lookup(java.util.concurrent.Callable<Optional<T>> query, java.util.function.Consumer<Optional<T>> then) {
        ctx.channel().config().setAutoRead(false);
        vertx.executeBlocking(query, false).onComplete(ar -> ctx.executor().execute(() -> {
            ctx.channel().config().setAutoRead(true);
            if (closing || !ctx.channel().isActive()) {
                return;
            }
            if (ar.failed()) {
                close("store unavailable: " + ar.cause().getMessage());
                return;
            }
            then.accept(ar.result());
        }));
    }

    private void stopStream() {
        if (publisher != null) {
            publisher.close();
            publisher = null;
            log.info("{} unpublished", tag());
        }
        if (reader != null) {
            reader.detach();
            reader = null;
            if (ctx.pipeline().get(WRITABILITY) != null) {
                ctx.pipeline().remove(WRITABILITY); // a later play on this connection adds its own
            }
        }
        role = Role.NONE;
    }

    private void close(String reason) {
        if (closing) {
            return;
        }
        closing = true;
        closeReason = reason;
        ctx.writeAndFlush(io.netty.buffer.Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        boolean wasActive = role != Role.NONE;
        stopStream();
        if (closeReason != null) {
            log.info("{} closed: {}", tag(), closeReason);
        } else if (wasActive) {
            log.info("{} closed by peer", tag());
        } else {
            log.debug("{} closed by peer", tag());
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Throwable root = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
        if (root instanceof java.io.IOException) {
            closeReason = closeReason == null ? "connection reset: " + root.getMessage() : closeReason;
            ctx.close();
            return;
        }
        log.warn("{} closed: internal error {}", tag(), root.toString(), root);
        close("internal error");
    }

    private String tag() {
        return "[rtmp " + peer + (roomId == null ? "" : " room=" + roomId) + "]";
    }

    private static String stripQuery(String s) {
        int q = s.indexOf('?');
        return q < 0 ? s : s.substring(0, q);
    }
}
