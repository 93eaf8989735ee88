package io.openlive.server.realtime;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import io.openlive.server.internal.NettyAccess;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The server end of one {@code /rt} WebSocket once it is upgraded: a plain Netty handler in the place of Vert.x's
 * WebSocket objects, behind Netty's frame decoder and encoder. Why: Vert.x keeps per socket two message queues (each a
 * 1,024-slot chunk), the upgrade request with its headers and a dozen connection objects, about 19 KiB of live heap per
 * idle viewer; a room of 10,000 viewers held 190 MB, and the collector copying it at every join storm paused the node for
 * hundreds of milliseconds. This keeps what the protocol needs: data frames joined into messages ({@link ClientMessages}),
 * pings answered, the close handshake (RFC 6455 5.5.1, 7.1), and the socket's end reported once.
 *
 * <p>Frames that arrive before the viewer has joined wait here (bounded), and reading is paused until then. All of it runs
 * on the socket's event loop; {@link #close} may be called from anywhere.
 */
final class RealtimeSocket extends ChannelInboundHandlerAdapter {
    /** What a joined viewer's socket reports. */
    interface Listener extends ClientMessages.Sink {
        /** The socket is gone: the client closed it, reset it, or a close made here completed. Called once. */
        void closed();
    }

    private final Channel channel;
    private final long closeGraceMillis;
    private ChannelHandlerContext ctx;
    private ClientMessages messages;
    private Listener listener;
    /** Frames before the join (a client may send its first call right after the upgrade); null once joined. */
    private List<WebSocketFrame> early = new ArrayList<>(2);
    private int earlyBytes;
    private boolean closeSent;
    private boolean gone;

    /** Puts the socket in the place of Vert.x's handler on {@code channel}; on the channel's event loop. */
    static RealtimeSocket takeOver(Channel channel, long closeGraceMillis) {
        if (!channel.eventLoop().inEventLoop()) {
            throw new IllegalStateException("a WebSocket is taken over on its own event loop, where no frame can come in between");
        }
        RealtimeSocket socket = new RealtimeSocket(channel, closeGraceMillis);
        channel.config().setAutoRead(false); // until the viewer has joined
        NettyAccess.replaceWebSocketHandler(channel, "openlive-rt", socket);
        return socket;
    }

    private RealtimeSocket(Channel channel, long closeGraceMillis) {
        this.channel = channel;
        this.closeGraceMillis = closeGraceMillis;
    }

    Channel channel() {
        return channel;
    }

    /** The context writes go out from (through Netty's frame encoder for control frames). */
    ChannelHandlerContext context() {
        return ctx;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    /** On the socket's loop: the viewer has joined; frames that came first go to {@code listener}, then reading resumes. */
    void joined(Listener listener) {
        if (gone) {
            listener.closed();
            return;
        }
        this.listener = listener;
        this.messages = new ClientMessages(listener);
        List<WebSocketFrame> waiting = early;
        early = null;
        for (WebSocketFrame f : waiting) {
            try {
                if (!closeSent) {
                    messages.frame(f);
                }
            } finally {
                f.release();
            }
        }
        channel.config().setAutoRead(true);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof WebSocketFrame frame)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        try {
            if (frame instanceof PingWebSocketFrame) {
                if (!closeSent) {
                    ctx.writeAndFlush(new PongWebSocketFrame(frame.content().retain()));
                }
            } else if (frame instanceof CloseWebSocketFrame c) {
                answerClose(c);
            } else if (frame instanceof PongWebSocketFrame || closeSent) {
                // a pong answers nothing we asked; data after our close frame is not read (RFC 6455 1.4)
            } else if (early != null) {
                keepEarly(frame);
            } else {
                messages.frame(frame);
            }
        } finally {
            frame.release();
        }
    }

    private void keepEarly(WebSocketFrame frame) {
        earlyBytes += frame.content().readableBytes();
        if (earlyBytes > ClientMessages.MAX_MESSAGE_BYTES) {
            release(early);
            early = new ArrayList<>(0);
            close((short) 1009, "message too big");
            return;
        }
        early.add(frame.retain());
    }

    /** The client's close: echo its code (RFC 6455 5.5.1) unless ours went first, then end the TCP connection. */
    private void answerClose(CloseWebSocketFrame c) {
        if (closeSent) {
            channel.close();
            return;
        }
        closeSent = true;
        int code = c.statusCode();
        CloseWebSocketFrame answer = code > 0 ? new CloseWebSocketFrame(code, null) : new CloseWebSocketFrame();
        ctx.writeAndFlush(answer).addListener(ChannelFutureListener.CLOSE);
    }

    /**
     * Sends a close frame with {@code code} and {@code reason} (cut to the 123 bytes a control frame has room for), then
     * waits {@code closeGraceMillis} for the client's answer before ending the connection: a client that does not read
     * never answers. From any thread.
     */
    void close(short code, String reason) {
        if (!channel.eventLoop().inEventLoop()) {
            channel.eventLoop().execute(() -> close(code, reason));
            return;
        }
        if (closeSent || !channel.isActive() || ctx == null) {
            return;
        }
        closeSent = true;
        ctx.writeAndFlush(new CloseWebSocketFrame(code, fit(reason)));
        channel.config().setAutoRead(true); // to read the client's answer
        channel.eventLoop().schedule(() -> channel.close(), closeGraceMillis, TimeUnit.MILLISECONDS);
    }

    /** Sends one text message, then closes with {@code code}: a refused join's error envelope and its close code. */
    void refuse(String json, short code, String reason) {
        if (!channel.eventLoop().inEventLoop()) {
            channel.eventLoop().execute(() -> refuse(json, code, reason));
            return;
        }
        if (closeSent || !channel.isActive() || ctx == null) {
            return;
        }
        ctx.write(new TextWebSocketFrame(json));
        close(code, reason);
    }

    private static String fit(String reason) {
        byte[] utf8 = reason.getBytes(StandardCharsets.UTF_8);
        if (utf8.length <= 123) {
            return reason;
        }
        String cut = reason.substring(0, Math.min(reason.length(), 123));
        while (cut.getBytes(StandardCharsets.UTF_8).length > 123) {
            cut = cut.substring(0, cut.length() - 1);
        }
        return cut;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (NettyAccess.isServerShutdown(evt)) {
            close((short) 1001, RealtimeConnection.SHUTDOWN); // the room has usually said so already
        }
        ReferenceCountUtil.release(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // a protocol violation (the decoder has already answered it with a close frame), or a reset: the socket ends
        channel.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (gone) {
            return;
        }
        gone = true;
        if (early != null) {
            release(early);
            early = new ArrayList<>(0);
        }
        if (listener != null) {
            listener.closed();
        }
    }

    /** True once the socket has ended (or was never usable): nothing to join. */
    boolean isGone() {
        return gone || !channel.isActive();
    }

    private static void release(List<WebSocketFrame> frames) {
        frames.forEach(WebSocketFrame::release);
        frames.clear();
    }
}
