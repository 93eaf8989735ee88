package io.openlive.server.rtmp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.openlive.engine.stream.Frame;
import io.openlive.server.internal.ChannelFrameSink;

import java.util.function.Consumer;

/**
 * An RTMP player. It sends the frame's chunks for its message stream id, shared by every player on that id (stream 1
 * for every client's first createStream, up to {@link Frame#MAX_SHARED_RTMP_STREAM_ID} for later ones); a player on a
 * higher id gets a copy of the shared chunks with its id written in.
 */
final class RtmpPlaySink extends ChannelFrameSink {
    private final int streamId;

    RtmpPlaySink(ChannelHandlerContext ctx, int streamId, long requestedAtNanos, boolean noDelay, Consumer<String> closer) {
        super(ctx, requestedAtNanos, noDelay, closer);
        this.streamId = streamId;
    }

    @Override
    public int write(Frame frame) {
        ByteBuf shared = frame.rtmpChunks(streamId);
        ByteBuf bytes = shared != null ? shared.retainedDuplicate() : frame.rtmpChunksCopy(ctx.alloc(), streamId);
        int size = bytes.readableBytes();
        egress.write(bytes, egress.voidPromise());
        return size;
    }

    @Override
    protected ByteBuf bytesOf(Frame frame) {
        return frame.rtmpChunks(streamId);
    }

    @Override
    public String protocol() {
        return "rtmp";
    }
}
