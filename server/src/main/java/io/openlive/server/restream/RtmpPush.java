package io.openlive.server.restream;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import io.openlive.engine.stream.Frame;
import io.openlive.engine.stream.FrameSink;
import io.openlive.engine.stream.StreamHub;
import io.openlive.engine.stream.StreamReader;
import io.openlive.protocol.rtmp.RtmpChunkEncoder;
import io.openlive.protocol.rtmp.RtmpChunkWriter;
import io.openlive.protocol.rtmp.RtmpMessage;
import io.openlive.protocol.rtmp.RtmpServerHandshake;
import io.openlive.server.internal.WritabilitySignal;

import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;

/**
 * One publishing connection to an outside RTMP ingest, as a client (RTMP 1.0 spec section 7.2.1.1 connect, 7.2.1.3
 * createStream, 7.2.2.6 publish, with the releaseStream/FCPublish calls encoders such as OBS send and ingests expect).
 * Once the destination answers {@code NetStream.Publish.Start} it plays the room from the hub like any viewer, so the
 * reader's bounded backlog and drop-to-key-frame protect the room from a slow destination. When the show ends it sends
 * FCUnpublish and deleteStream (section 7.2.2.3) before closing, so the destination sees an unpublish, not a crash.
 * Every method runs on the channel's event loop. Usage: added to a connected channel's pipeline by {@link Restreams}.
 */
final class RtmpPush extends ChannelInboundHandlerAdapter implements FrameSink {
    /** What the destination link hears from its connection; called on the connection's event loop. */
    interface Events {
        void published(RtmpPush push);

        /** The connection failed or the destination dropped it: back off and retry if still wanted. */
        void failed(RtmpPush push, String reason);

        /** The show ended and the destination was told so. */
        void ended(RtmpPush push);

        void sent(int bytes);
    }

    static final String STREAM_ENDED = "stream ended";
    private static final int TX_CONNECT = 1;
    private static final int TX_CREATE_STREAM = 4;

    private final StreamHub hub;
    private final String roomId;
    private final Destination.Target target;
    private final String key;
    private final Events events;
    private ChannelHandlerContext ctx;
    private int streamId;
    private StreamReader reader;
    private boolean done;
    private final long startedNanos = System.nanoTime();

    RtmpPush(StreamHub hub, Destination destination, Events events) {
        this.hub = hub;
        this.roomId = destination.roomId();
        this.target = destination.target();
        this.key = destination.key();
        this.events = events;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof RtmpServerHandshake.Completed) {
            ctx.write(new RtmpMessage.SetChunkSize(Frame.RTMP_CHUNK_SIZE));
            ctx.writeAndFlush(new RtmpMessage.Command(0, "connect", TX_CONNECT, Map.of("app", target.app(),
                    "type", "nonprivate", "flashVer", "FMLE/3.0 (compatible; openlive)", "tcUrl", target.tcUrl()), List.of()));
        } else {
            ctx.fireUserEventTriggered(evt);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof RtmpMessage.Command c) {
                command(c);
            } else if (msg instanceof RtmpMessage.Malformed m) {
                fail("malformed message from destination: " + m.reason());
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void command(RtmpMessage.Command c) {
        switch (c.name()) {
            case "_result" -> {
                if (c.transactionId() == TX_CONNECT) {
                    ctx.write(command(0, "releaseStream", 2, key));
                    ctx.write(command(0, "FCPublish", 3, key));
                    ctx.writeAndFlush(new RtmpMessage.Command(0, "createStream", TX_CREATE_STREAM, Map.of(), List.of()));
                } else if (c.transactionId() == TX_CREATE_STREAM) {
                    Object id = c.arguments().isEmpty() ? null : c.arguments().get(0);
                    if (!(id instanceof Number n)) {
                        fail("createStream answered without a stream id");
                        return;
                    }
                    streamId = n.intValue();
                    ctx.writeAndFlush(new RtmpMessage.Command(streamId, "publish", 5, Map.of(), List.of(key, "live")));
                }
            }
            case "_error" -> {
                if (c.transactionId() == TX_CONNECT || c.transactionId() == TX_CREATE_STREAM || c.transactionId() == 5) {
                    fail("destination refused " + (c.transactionId() == TX_CONNECT ? "connect" : "the stream") + ": " + code(c));
                }
            }
            case "onStatus" -> {
                String code = code(c);
                if (code.equals("NetStream.Publish.Start")) {
                    startPlaying();
                } else if (code.startsWith("NetStream.Publish.") || code.endsWith(".Failed") || code.endsWith(".Rejected")) {
                    fail("destination refused the stream: " + code);
                }
            }
            default -> {
            }
        }
    }

    private void startPlaying() {
        if (reader != null || done) {
            return;
        }
        events.published(this);
        reader = hub.play(roomId, this);
        ctx.pipeline().addBefore(ctx.name(), "restream-writability", new WritabilitySignal(reader::signal));
        reader.signal();
    }

    private static String code(RtmpMessage.Command c) {
        for (Object a : c.arguments()) {
            if (a instanceof Map<?, ?> m && m.get("code") != null) {
                return String.valueOf(m.get("code"));
            }
        }
        return "no code";
    }

    private static RtmpMessage.Command command(int streamId, String name, int tx, String arg) {
        return new RtmpMessage.Command(streamId, name, tx, Map.of(), List.of(arg));
    }

    // --- FrameSink: the room's frames, re-chunked for the stream id the destination gave (section 5.3.1) ---

    @Override
    public Executor executor() {
        return ctx.executor();
    }

    @Override
    public boolean inExecutor() {
        return ctx.executor().inEventLoop();
    }

    @Override
    public boolean isWritable() {
        return ctx.channel().isWritable();
    }

    @Override
    public int write(Frame frame) {
        ByteBuf body = frame.body();
        int csid = frame.type() == 9 ? RtmpChunkEncoder.CSID_VIDEO : frame.type() == 8 ? RtmpChunkEncoder.CSID_AUDIO : RtmpChunkEncoder.CSID_DATA;
        ByteBuf chunks = ctx.alloc().buffer(RtmpChunkWriter.encodedSize(csid, body.readableBytes(), frame.timestamp(), Frame.RTMP_CHUNK_SIZE));
        RtmpChunkWriter.write(chunks, csid, frame.type(), streamId, frame.timestamp(), body, Frame.RTMP_CHUNK_SIZE);
        int size = chunks.readableBytes();
        ctx.write(chunks, ctx.voidPromise()); // through the TLS handler when there is one
        events.sent(size);
        return size;
    }

    @Override
    public void flush() {
        ctx.flush();
    }

    /** The reader ends us: at the end of the show unpublish cleanly; when too slow, drop the connection and retry. */
    @Override
    public void close(String reason) {
        if (done) {
            return;
        }
        if (STREAM_ENDED.equals(reason)) {
            unpublish();
            events.ended(this);
        } else {
            fail(reason);
        }
    }

    /** Tells the destination the stream is over (FCUnpublish, deleteStream), then closes once that is written. */
    void unpublish() {
        if (done) {
            return;
        }
        done = true;
        detachReader();
        if (streamId != 0) {
            ctx.write(command(0, "FCUnpublish", 6, key));
            ctx.write(new RtmpMessage.Command(0, "deleteStream", 7, Map.of(), List.of((double) streamId)));
        }
        ctx.writeAndFlush(ctx.alloc().buffer(0)).addListener(ChannelFutureListener.CLOSE);
    }

    /** Closes without ceremony and reports why (the caller decides on a retry). */
    void fail(String reason) {
        if (done) {
            return;
        }
        done = true;
        detachReader();
        ctx.close();
        events.failed(this, reason);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        fail("destination closed the connection");
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        fail(cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage()));
    }

    private void detachReader() {
        if (reader != null) {
            reader.detach();
        }
    }

    @Override
    public long requestedAtNanos() {
        return startedNanos;
    }

    @Override
    public String protocol() {
        return "restream";
    }
}
