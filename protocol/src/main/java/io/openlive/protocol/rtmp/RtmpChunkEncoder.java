package io.openlive.protocol.rtmp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;
import io.openlive.kernel.amf0.Amf0Writer;

/**
 * Writes {@link RtmpMessage}s as chunks. Pre-chunked {@link ByteBuf}s (frames shared by many players) pass through
 * untouched. Sending {@link RtmpMessage.SetChunkSize} changes the size used for every later message, as the peer expects.
 */
public final class RtmpChunkEncoder extends MessageToByteEncoder<RtmpMessage> {
    /** Chunk stream ids: protocol control on 2 (5.4), commands on 3, audio, data and video on their own. */
    public static final int CSID_CONTROL = 2;
    public static final int CSID_COMMAND = 3;
    public static final int CSID_AUDIO = 4;
    public static final int CSID_DATA = 5;
    public static final int CSID_VIDEO = 6;

    private int chunkSize = RtmpChunkWriter.DEFAULT_CHUNK_SIZE;

    public RtmpChunkEncoder() {
        super(RtmpMessage.class);
    }

    public int chunkSize() {
        return chunkSize;
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, RtmpMessage msg, ByteBuf out) {
        ByteBuf body = ctx.alloc().buffer();
        try {
            int type = body(msg, body);
            int csid = chunkStreamOf(msg);
            int streamId = streamIdOf(msg);
            int timestamp = msg instanceof RtmpMessage.Media m ? m.timestamp() : msg instanceof RtmpMessage.Data d ? d.timestamp() : 0;
            RtmpChunkWriter.write(out, csid, type, streamId, timestamp, body, chunkSize);
            if (msg instanceof RtmpMessage.SetChunkSize s) {
                chunkSize = s.size();
            }
        } finally {
            body.release();
        }
    }

    /** Encodes a message standing alone, for callers outside a pipeline (tests, pre-chunked frames). */
    public static ByteBuf encode(ByteBufAllocator alloc, RtmpMessage msg, int chunkSize) {
        ByteBuf body = alloc.buffer();
        try {
            int type = body(msg, body);
            int timestamp = msg instanceof RtmpMessage.Media m ? m.timestamp() : msg instanceof RtmpMessage.Data d ? d.timestamp() : 0;
            ByteBuf out = alloc.buffer(RtmpChunkWriter.encodedSize(chunkStreamOf(msg), body.readableBytes(), timestamp, chunkSize));
            RtmpChunkWriter.write(out, chunkStreamOf(msg), type, streamIdOf(msg), timestamp, body, chunkSize);
            return out;
        } finally {
            body.release();
        }
    }

    private static int body(RtmpMessage msg, ByteBuf body) {
        return switch (msg) {
            case RtmpMessage.SetChunkSize s -> {
                body.writeInt(s.size());
                yield RtmpMessage.SET_CHUNK_SIZE;
            }
            case RtmpMessage.Abort a -> {
                body.writeInt(a.chunkStreamId());
                yield RtmpMessage.ABORT;
            }
            case RtmpMessage.Acknowledgement a -> {
                body.writeInt((int) a.sequence());
                yield RtmpMessage.ACKNOWLEDGEMENT;
            }
            case RtmpMessage.WindowAckSize w -> {
                body.writeInt((int) w.size());
                yield RtmpMessage.WINDOW_ACK_SIZE;
            }
            case RtmpMessage.SetPeerBandwidth b -> {
                body.writeInt((int) b.size()).writeByte(b.limitType());
                yield RtmpMessage.SET_PEER_BANDWIDTH;
            }
            case RtmpMessage.UserControl u -> {
                body.writeShort(u.event()).writeInt((int) u.value());
                if (u.event() == RtmpMessage.UserControl.SET_BUFFER_LENGTH) {
                    body.writeInt((int) u.value2());
                }
                yield RtmpMessage.USER_CONTROL;
            }
            case RtmpMessage.Media m -> {
                body.writeBytes(m.payload(), m.payload().readerIndex(), m.payload().readableBytes());
                yield m.type();
            }
            case RtmpMessage.Data d -> {
                for (Object value : d.values()) {
                    if (value instanceof java.util.Map<?, ?> map) { // metadata is conventionally an ECMA array
                        Amf0Writer.writeEcmaArray(body, map);
                    } else {
                        Amf0Writer.writeValue(body, value);
                    }
                }
                yield RtmpMessage.DATA_AMF0;
            }
            case RtmpMessage.Command c -> {
                Amf0Writer.write(body, c.name(), c.transactionId(), c.commandObject().isEmpty() ? null : c.commandObject());
                for (Object argument : c.arguments()) {
                    Amf0Writer.writeValue(body, argument);
                }
                yield RtmpMessage.COMMAND_AMF0;
            }
            case RtmpMessage.Unknown u -> throw new IllegalArgumentException("cannot encode unknown message type " + u.type());
            case RtmpMessage.Malformed m -> throw new IllegalArgumentException("cannot encode a failure: " + m.reason());
        };
    }

    private static int chunkStreamOf(RtmpMessage msg) {
        return switch (msg) {
            case RtmpMessage.AudioData a -> CSID_AUDIO;
            case RtmpMessage.VideoData v -> CSID_VIDEO;
            case RtmpMessage.Data d -> CSID_DATA;
            case RtmpMessage.Command c -> CSID_COMMAND;
            default -> CSID_CONTROL;
        };
    }

    private static int streamIdOf(RtmpMessage msg) {
        return switch (msg) {
            case RtmpMessage.Media m -> m.streamId();
            case RtmpMessage.Data d -> d.streamId();
            case RtmpMessage.Command c -> c.streamId();
            default -> 0;
        };
    }
}
