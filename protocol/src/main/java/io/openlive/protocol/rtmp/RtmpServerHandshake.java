package io.openlive.protocol.rtmp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;

import java.util.List;

/**
 * Server side of the handshake (5.2.5): waits for C0+C1, answers S0+S1+S2 in one write, waits for C2, then replaces
 * itself by the chunk decoder; bytes that arrived after C2 are passed on, not lost. A C0 other than version 3 fires
 * {@link Failed} and discards the rest. Fires {@link Completed} on success.
 */
public final class RtmpServerHandshake extends ByteToMessageDecoder {
    /** Fired once the handshake is done and chunks can flow. */
    public record Completed(boolean digest) {
    }

    /** Fired when C0 names a version other than 3 (5.2.2). */
    public record Failed(String reason) {
    }

    private enum State { C0C1, C2, DONE }

    private final ByteToMessageDecoder next;
    private State state = State.C0C1;
    private boolean digest;

    public RtmpServerHandshake(ByteToMessageDecoder next) {
        this.next = next;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        switch (state) {
            case C0C1:
                if (in.readableBytes() < 1 + Handshake.PACKET_SIZE) {
                    if (in.isReadable() && in.getUnsignedByte(in.readerIndex()) != Handshake.VERSION) {
                        reject(ctx, in, in.getUnsignedByte(in.readerIndex()));
                    }
                    return;
                }
                if (in.getUnsignedByte(in.readerIndex()) != Handshake.VERSION) {
                    reject(ctx, in, in.getUnsignedByte(in.readerIndex()));
                    return;
                }
                ByteBuf response = Handshake.serverResponse(ctx.alloc(), in);
                digest = response.getInt(1 + 4) != 0;
                in.skipBytes(1 + Handshake.PACKET_SIZE);
                ctx.writeAndFlush(response);
                state = State.C2;
                // fall through
            case C2:
                if (in.readableBytes() < Handshake.PACKET_SIZE) {
                    return;
                }
                in.skipBytes(Handshake.PACKET_SIZE); // C2 content is not checked: many clients send garbage
                state = State.DONE;
                ctx.pipeline().replace(this, "rtmp-decoder", next);
                ctx.fireUserEventTriggered(new Completed(digest));
                return;
            case DONE:
                in.skipBytes(in.readableBytes());
        }
    }

    private void reject(ChannelHandlerContext ctx, ByteBuf in, int version) {
        state = State.DONE;
        in.skipBytes(in.readableBytes());
        ctx.fireUserEventTriggered(new Failed("handshake version " + version + ", expected 3"));
    }
}
