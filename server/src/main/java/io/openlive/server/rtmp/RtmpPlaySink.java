package io.openlive.server.rtmp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.openlive.engine.stream.Frame;
import io.openlive.protocol.rtmp.RtmpChunkEncoder;
import io.openlive.protocol.rtmp.RtmpChunkWriter;
import io.openlive.server.internal.ChannelFrameSink;

import java.util.function.Consumer;

/**
 * An RTMP player. On message stream 1 (every client's first createStream) it sends the frame's shared chunks; a player
 * on another stream id gets chunks made for it.
 */
final class RtmpPlaySink extends ChannelFrameSink {
    private final int streamId;

    RtmpPlaySink(ChannelHandlerContext ctx, int streamId, long requestedAtNanos, boolean noDelay, Consumer<String> closer) {
        super(ctx, requestedAtNanos, noDelay, closer);
        this.streamId = streamId;
    }

    @Override
    public int write(Frame frame) {
        if (streamId == Frame.RTMP_STREAM_ID) {
            return super.write(frame);
        }
        ByteBuf body = frame.body();
        int csid = frame.type() == 9 ? RtmpChunkEncoder.CSID_VIDEO : frame.type() == 8 ? RtmpChunkEncoder.CSID_AUDIO : RtmpChunkEncoder.CSID_DATA;
        ByteBuf chunks = ctx.alloc().buffer(RtmpChunkWriter.encodedSize(csid, body.readableBytes(), frame.timestamp(), Frame.RTMP_CHUNK_SIZE));
        RtmpChunkWriter.write(chunks, csid, frame.type(), streamId, frame.timestamp(), body, Frame.RTMP_CHUNK_SIZE);
        int size = chunks.readableBytes();
        egress.write(chunks, egress.voidPromise());
        return size;
    }

    @Override
    protected ByteBuf bytesOf(Frame frame) {
        return frame.rtmpChunks();
    }

    @Override
    public String protocol() {
        return "rtmp";
    }
}
