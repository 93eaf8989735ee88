package io.openlive.bench;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.util.ReferenceCountUtil;

/** A load viewer over WebSocket-FLV: after the upgrade, binary messages are concatenated and parsed as FLV. */
final class WsFlvViewer extends ChannelInboundHandlerAdapter {
    private final RunContext run;
    private final ViewerProbe probe;
    private FlvFeed feed;

    WsFlvViewer(RunContext run, ViewerProbe probe) {
        this.run = run;
        this.probe = probe;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        feed = new FlvFeed(ctx.alloc());
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT) {
            probe.fail("websocket handshake timed out");
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof BinaryWebSocketFrame frame) {
                feed.feed(frame.content(), run, probe);
            }
        } catch (RuntimeException e) {
            probe.fail(e.getMessage());
            ctx.close();
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        probe.fail("connection closed by server");
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (feed != null) {
            feed.release();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        probe.fail(cause.toString());
        ctx.close();
    }
}
