package io.openlive.server.rtmp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.openlive.engine.stream.Frame;
import io.openlive.engine.stream.FrameSink;
import io.openlive.protocol.rtmp.RtmpChunkEncoder;
import io.openlive.protocol.rtmp.RtmpChunkWriter;

import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * An RTMP player. On message stream 1 (every client's first createStream) it writes the frame's shared chunks; a player
 * on another stream id gets chunks made for it. Frames are written from the pipeline's first context, straight to the
 * socket: they are complete chunks already, and walking the codec handlers for each frame of each viewer was the largest
 * cost of fan-out in profiles.
 */
final class RtmpPlaySink implements FrameSink {
    private final ChannelHandlerContext ctx;
    private final ChannelHandlerContext egress;
    private final int streamId;
    private final Consumer<String> closer;
    private final long requestedAtNanos;

    RtmpPlaySink(ChannelHandlerContext ctx, int streamId, long requestedAtNanos, Consumer<String> closer) {
        this.requestedAtNanos = requestedAtNanos;
        this.ctx = ctx;
        this.egress = ctx.pipeline().firstContext();
        this.streamId = streamId;
        this.closer = closer;
    }

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
        ByteBuf chunks;
        if (streamId == Frame.RTMP_STREAM_ID) {
            chunks = frame.rtmpChunks().retain().duplicate();
        } else {
            ByteBuf body = frame.body();
            int csid = frame.type() == 9 ? RtmpChunkEncoder.CSID_VIDEO : frame.type() == 8 ? RtmpChunkEncoder.CSID_AUDIO : RtmpChunkEncoder.CSID_DATA;
            chunks = ctx.alloc().buffer(RtmpChunkWriter.encodedSize(csid, body.readableBytes(), frame.timestamp(), Frame.RTMP_CHUNK_SIZE));
            RtmpChunkWriter.write(chunks, csid, frame.type(), streamId, frame.timestamp(), body, Frame.RTMP_CHUNK_SIZE);
        }
        int size = chunks.readableBytes();
        egress.write(chunks, egress.voidPromise());
        return size;
    }

    @Override
    public void flush() {
        egress.flush();
    }

    @Override
    public void close(String reason) {
        closer.accept(reason);
    }

    @Override
    public long requestedAtNanos() {
        return requestedAtNanos;
    }

    @Override
    public String protocol() {
        return "rtmp";
    }
}
