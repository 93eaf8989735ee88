package io.openlive.protocol.rtmp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;

import java.util.List;

/**
 * Client side of the plain handshake, for the bench tools and tests: sends C0+C1 when active, answers S1 with C2, then
 * replaces itself by the chunk decoder and fires {@link RtmpServerHandshake.Completed}.
 */
public final class RtmpClientHandshake extends ByteToMessageDecoder {
    private final ByteToMessageDecoder next;
    private boolean done;
    private boolean helloSent;

    public RtmpClientHandshake(ByteToMessageDecoder next) {
        this.next = next;
    }

    /**
     * Added to a channel that is already connected (a Vert.x client socket): say hello now. Netty may still fire
     * channelActive afterwards (connect listeners run before it), hence the flag: C0+C1 must go exactly once.
     */
    @Override
    public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
        super.handlerAdded(ctx);
        if (ctx.channel().isActive()) {
            hello(ctx);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        hello(ctx);
        super.channelActive(ctx);
    }

    private void hello(ChannelHandlerContext ctx) {
        if (!helloSent) {
            helloSent = true;
            ctx.writeAndFlush(Handshake.clientHello(ctx.alloc()));
        }
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (done) {
            in.skipBytes(in.readableBytes());
            return;
        }
        if (in.readableBytes() < 1 + 2 * Handshake.PACKET_SIZE) {
            return;
        }
        ctx.writeAndFlush(Handshake.clientAck(ctx.alloc(), in));
        in.skipBytes(1 + 2 * Handshake.PACKET_SIZE);
        done = true;
        ctx.pipeline().replace(this, "rtmp-decoder", next);
        ctx.fireUserEventTriggered(new RtmpServerHandshake.Completed(false));
    }
}
