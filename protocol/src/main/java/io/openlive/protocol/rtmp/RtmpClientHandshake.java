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

    public RtmpClientHandshake(ByteToMessageDecoder next) {
        this.next = next;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        ctx.writeAndFlush(Handshake.clientHello(ctx.alloc()));
        super.channelActive(ctx);
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
