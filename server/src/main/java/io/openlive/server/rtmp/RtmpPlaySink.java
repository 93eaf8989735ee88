package io.openlive.server.rtmp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.openlive.engine.stream.Frame;
import io.openlive.engine.stream.FrameSink;
import io.openlive.protocol.rtmp.RtmpChunkWriter;

import java.util.concurrent.Executor;

/**
 * An RTMP player. On message stream 1 (every client's first createStream) it writes the frame's shared chunks; a player
 * on another stream id gets chunks made for it.
 */
final class RtmpPlaySink implements FrameSink {
    private final ChannelHandlerContext ctx;
    private final int streamId;
    private final java.util.function.Consumer<String> closer;

    RtmpPlaySink(ChannelHandlerContext ctx, int streamId, java.util.function.Consumer<String> closer) {
        this.ctx = ctx;
        this.streamId = streamId;
        this.closer = closer;
    }

    @Override
    public Executor executor() {
        return ctx.executor();
    }

    @Override
    public boolean isWritable() {
        return ctx.channel().isWritable();
    }

    @Override
    public int write(Frame frame) {
        ByteBuf chunks;
        if (streamId == Frame.RTMP_STREAM_ID) {
            chunks = frame.rtmpChunks().retainedDuplicate();
        } else {
            ByteBuf body = frame.body();
            chunks = ctx.alloc().buffer(body.readableBytes() + 64);
            RtmpChunkWriter.write(chunks, frame.type() == 9 ? 6 : frame.type() == 8 ? 4 : 5, frame.type(), streamId,
                    frame.timestamp(), body, Frame.RTMP_CHUNK_SIZE);
        }
        int size = chunks.readableBytes();
        ctx.write(chunks, ctx.voidPromise());
        return size;
    }

    @Override
    public void flush() {
        ctx.flush();
    }

    @Override
    public void close(String reason) {
        closer.accept(reason);
    }

    @Override
    public String protocol() {
        return "rtmp";
    }
}
