package io.openlive.bench;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.util.ReferenceCountUtil;

import java.nio.charset.StandardCharsets;

/**
 * One chat load connection. Every connection counts frames and bytes; a probe connection also reads each comment's
 * send time ({@code "text":"t<nanoTime>"}) to measure end-to-end latency and counts the comments it got.
 */
final class ChatClient extends ChannelInboundHandlerAdapter {
    private static final byte[] MARK = "\"text\":\"t".getBytes(StandardCharsets.US_ASCII);

    final ChatBench.Totals totals;
    final boolean probe;
    volatile ChannelHandlerContext ctx;
    volatile boolean ready;
    volatile boolean closedByUs;
    private final String subscribe;

    /** Listeners that neither probe nor send stop decoding frames once subscribed: the load tool must not be the limit. */
    boolean rawAfterHandshake;

    ChatClient(ChatBench.Totals totals, boolean probe, String subscribe) {
        this.totals = totals;
        this.probe = probe;
        this.subscribe = subscribe;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
            this.ctx = ctx;
            if (subscribe != null) {
                ctx.writeAndFlush(new TextWebSocketFrame(subscribe));
            }
            ready = true;
            totals.connected.increment();
            if (rawAfterHandshake && ctx.pipeline().get("ws-decoder") != null) {
                ctx.pipeline().replace("ws-decoder", "raw-counter", new RawFrameCounter(totals, this));
            }
        } else if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT) {
            totals.failed.increment();
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof TextWebSocketFrame frame) {
                ByteBuf b = frame.content();
                totals.frames.increment();
                totals.bytes.add(b.readableBytes());
                if (probe) {
                    scan(b, System.nanoTime());
                }
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    /** Finds every {@code "text":"t<nanos>} in the frame: one comment each. */
    private void scan(ByteBuf b, long now) {
        int end = b.writerIndex();
        int i = b.readerIndex();
        outer:
        while (i <= end - MARK.length) {
            for (int k = 0; k < MARK.length; k++) {
                if (b.getByte(i + k) != MARK[k]) {
                    i++;
                    continue outer;
                }
            }
            i += MARK.length;
            long sent = 0;
            while (i < end && b.getByte(i) >= '0' && b.getByte(i) <= '9') {
                sent = sent * 10 + (b.getByte(i) - '0');
                i++;
            }
            totals.probeComments.increment();
            if (totals.measuring) {
                totals.latency.record(now - sent);
            }
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (!closedByUs) {
            totals.dropped.increment();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        totals.failed.increment();
        ctx.close();
    }
}
