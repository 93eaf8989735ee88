package io.openlive.server.internal;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;

import java.util.ArrayDeque;

/**
 * Holds the WebSocket frames a client sent right behind its upgrade request, until the endpoint is ready for them. RFC
 * 6455 4.1 lets a client send frames without waiting for the 101, and a request and its first frame often come in one
 * TCP segment. Netty's handshaker, when it puts the frame decoder in the HTTP decoder's place, passes the bytes the HTTP
 * decoder still held to the new decoder, which decodes them at once, inside Vert.x's {@code toWebSocket()}: they reach
 * Vert.x's connection handler before it has a WebSocket to give them to, and are dropped (a ping went unanswered, a
 * {@code /rt} call was never answered).
 *
 * <p>Installed in front of Vert.x's handler before {@code toWebSocket()}, released once the endpoint has its handlers;
 * release passes the held frames on in the order they came. Anything but a frame passes through. At most
 * {@link #MAX_HELD_BYTES} of payload is held; past that the connection closes, as nothing a client may send before its
 * upgrade completes is that large. On the channel's event loop.
 * Usage: {@code EarlyFrames early = EarlyFrames.hold(channel); request.toWebSocket().onComplete(ar -> { …; early.release(); })}
 */
public final class EarlyFrames extends ChannelInboundHandlerAdapter {
    /** Payload bytes held at most: the largest WebSocket message the server accepts (256 KiB). */
    public static final int MAX_HELD_BYTES = 256 * 1024;
    private static final String NAME = "openlive-early-frames";

    private final Channel channel;
    private final ArrayDeque<WebSocketFrame> held = new ArrayDeque<>(2);
    private int heldBytes;
    private boolean overflowed;

    private EarlyFrames(Channel channel) {
        this.channel = channel;
    }

    /** Starts holding frames on an HTTP connection about to be upgraded; in front of Vert.x's handler. */
    public static EarlyFrames hold(Channel channel) {
        EarlyFrames early = new EarlyFrames(channel);
        channel.pipeline().addBefore("handler", NAME, early);
        return early;
    }

    /** Passes the held frames on, in order, to whatever handles the socket now, and stops holding. From any thread. */
    public void release() {
        if (!channel.eventLoop().inEventLoop()) {
            channel.eventLoop().execute(this::release);
            return;
        }
        if (channel.pipeline().context(this) != null) {
            channel.pipeline().remove(this); // handlerRemoved passes them on
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof WebSocketFrame frame)) {
            ctx.fireChannelRead(msg);
            return;
        }
        heldBytes += frame.content().readableBytes();
        if (overflowed || heldBytes > MAX_HELD_BYTES) {
            frame.release();
            if (!overflowed) {
                overflowed = true;
                discard();
                ctx.close();
            }
            return;
        }
        held.add(frame);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (held.isEmpty()) {
            return;
        }
        WebSocketFrame f;
        while ((f = held.poll()) != null) {
            ctx.fireChannelRead(f);
        }
        ctx.fireChannelReadComplete();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        discard();
        ctx.fireChannelInactive();
    }

    private void discard() {
        WebSocketFrame f;
        while ((f = held.poll()) != null) {
            f.release();
        }
    }
}
