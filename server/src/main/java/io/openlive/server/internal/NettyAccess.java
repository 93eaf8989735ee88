package io.openlive.server.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpContentCompressor;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketExtensionEncoder;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.EventExecutor;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.impl.ConnectionBase;

import java.util.Map;
import java.util.function.Supplier;

/**
 * The one place that reaches under Vert.x to Netty. Egress writes reference-counted duplicates of shared frame buffers
 * straight to the channel, which the public {@code write(Buffer)} cannot do without a copy (it wraps a caller's buffer as
 * unreleasable, leaving its lifetime to the caller); the engine's timers and recorders run on Vert.x's own event loops.
 *
 * <p>Raw egress bypasses every handler between the writer and the socket, so it must never bypass one that changes the
 * bytes. {@link #egress} therefore writes from a marker handler of its own rather than from whatever happens to be the
 * pipeline's first context: a TLS handler that is already there stays in front of the marker (bytes are encrypted), one
 * added later in front of everything ({@code addFirst}, as TLS is) sits in front of it too, and a compression handler,
 * which would expect to see every body byte, makes raw egress refuse with an exception rather than corrupt the stream.
 *
 * <p>{@link #buffer} lets a response send shared memory through the public API without a copy.
 */
public final class NettyAccess {
    static final String EGRESS = "openlive-raw-egress";

    private NettyAccess() {
    }

    public static ChannelHandlerContext of(NetSocket socket) {
        return ((NetSocketInternal) socket).channelHandlerContext();
    }

    public static ChannelHandlerContext of(HttpServerRequest request) {
        return ((ConnectionBase) request.connection()).channelHandlerContext();
    }

    /** The Netty channel under an HTTP connection. */
    public static io.netty.channel.Channel channel(io.vertx.core.http.HttpConnection connection) {
        return ((ConnectionBase) connection).channel();
    }

    /**
     * Puts {@code handler} in the place of Vert.x's own handler on an upgraded WebSocket's channel, so that Vert.x's
     * WebSocket, connection and request objects are no longer reachable from it. Vert.x 5.0's
     * {@code ServerWebSocketHandshaker.acceptHandshake} installs that handler under the name {@code "handler"}, behind
     * Netty's WebSocket frame decoder and encoder. On the channel's event loop.
     *
     * @throws IllegalStateException when the pipeline is not the one this was written against
     */
    public static void replaceWebSocketHandler(io.netty.channel.Channel channel, String name, ChannelHandler handler) {
        ChannelPipeline pipeline = channel.pipeline();
        ChannelHandler vertx = pipeline.get("handler");
        if (!(vertx instanceof io.vertx.core.net.impl.VertxHandler<?>)
                || pipeline.get(io.netty.handler.codec.http.websocketx.WebSocketFrameDecoder.class) == null) {
            throw new IllegalStateException("no Vert.x WebSocket handler to take over on " + channel + ": " + pipeline.names());
        }
        pipeline.replace("handler", name, handler);
    }

    /** Whether a user event is Vert.x's notice that the server is shutting down (sent to every channel it accepted). */
    public static boolean isServerShutdown(Object event) {
        return event instanceof io.vertx.core.net.impl.ShutdownEvent;
    }

    /**
     * {@code byteBuf} as a Vert.x buffer, not copied: {@code response.end(buffer)} hands that very memory to the channel.
     * {@code Buffer.buffer(byte[])} copies into a heap buffer, which the epoll transport then copies again into a direct
     * one. Vert.x 5.0 {@code Http1xServerResponse.end(Buffer)} takes {@code BufferImpl.getByteBuf()}, which is
     * {@code slice()} wrapped {@code Unpooled.unreleasableBuffer} (any buffer but Vert.x's own heap ones), into a
     * {@code VertxFullHttpResponse}; Netty's {@code HttpObjectEncoder} passes a body larger than its header buffer's
     * spare room on as {@code content.retain()}, and {@code AbstractEpollStreamChannel.filterOutboundMessage} copies only
     * what {@code UnixChannelUtil.isBufferCopyNeededForWrite} says, which a direct buffer never needs.
     *
     * <p>Vert.x never releases {@code byteBuf} (it sends an unreleasable slice): the caller keeps its lifetime, so it
     * should be memory that outlives the write on its own, such as an unreleasable view of a shared direct buffer.
     */
    public static Buffer buffer(ByteBuf byteBuf) {
        return BufferInternal.buffer(byteBuf);
    }

    /** Picks the next of Vert.x's event loops, round robin, for work that must stay on one loop. */
    public static Supplier<EventExecutor> eventLoops(Vertx vertx) {
        return () -> ((VertxInternal) vertx).nettyEventLoopGroup().next();
    }

    /**
     * The context to write already-framed bytes from, on {@code ctx}'s channel: below every codec, above TLS.
     * Called on the channel's event loop; the same context for every call on one channel.
     *
     * @throws IllegalStateException when a handler that rewrites bytes (compression) is in the pipeline
     */
    public static ChannelHandlerContext egress(ChannelHandlerContext ctx) {
        ChannelPipeline pipeline = ctx.pipeline();
        ChannelHandlerContext existing = pipeline.context(EGRESS);
        if (existing != null) {
            return existing;
        }
        String lastTransport = null;
        for (Map.Entry<String, ChannelHandler> e : pipeline) {
            ChannelHandler h = e.getValue();
            if (h instanceof HttpContentCompressor || h instanceof WebSocketExtensionEncoder) {
                throw new IllegalStateException("raw egress would bypass " + h.getClass().getSimpleName()
                        + " on " + ctx.channel() + ": turn compression off for media and realtime connections");
            }
            if (h instanceof SslHandler) {
                lastTransport = e.getKey();
            }
        }
        if (lastTransport == null) {
            pipeline.addFirst(EGRESS, Marker.INSTANCE);
        } else {
            pipeline.addAfter(lastTransport, EGRESS, Marker.INSTANCE);
        }
        return pipeline.context(EGRESS);
    }

    /** Passes everything through; it only gives raw writes a fixed place in the pipeline. */
    @ChannelHandler.Sharable
    private static final class Marker extends ChannelOutboundHandlerAdapter {
        static final Marker INSTANCE = new Marker();
    }
}
