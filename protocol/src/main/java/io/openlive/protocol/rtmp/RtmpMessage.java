package io.openlive.protocol.rtmp;

import io.netty.buffer.ByteBuf;
import io.netty.util.ReferenceCounted;

import java.util.List;
import java.util.Map;

/**
 * Messages of the RTMP message stream (RTMP specification 1.0, sections 5.4 and 7), as produced by {@link RtmpChunkDecoder}
 * and consumed by {@link RtmpChunkEncoder}. Media payloads are reference-counted and owned by whoever holds the message.
 */
public sealed interface RtmpMessage {
    int SET_CHUNK_SIZE = 1;
    int ABORT = 2;
    int ACKNOWLEDGEMENT = 3;
    int USER_CONTROL = 4;
    int WINDOW_ACK_SIZE = 5;
    int SET_PEER_BANDWIDTH = 6;
    int AUDIO = 8;
    int VIDEO = 9;
    int DATA_AMF3 = 15;
    int COMMAND_AMF3 = 17;
    int DATA_AMF0 = 18;
    int COMMAND_AMF0 = 20;
    int AGGREGATE = 22;

    /** 5.4.1 Set Chunk Size. */
    record SetChunkSize(int size) implements RtmpMessage {
    }

    /** 5.4.2 Abort Message: discard the partly received message on a chunk stream. */
    record Abort(int chunkStreamId) implements RtmpMessage {
    }

    /** 5.4.3 Acknowledgement: bytes received so far. */
    record Acknowledgement(long sequence) implements RtmpMessage {
    }

    /** 5.4.4 Window Acknowledgement Size. */
    record WindowAckSize(long size) implements RtmpMessage {
    }

    /** 5.4.5 Set Peer Bandwidth; limit type 0 hard, 1 soft, 2 dynamic. */
    record SetPeerBandwidth(long size, int limitType) implements RtmpMessage {
    }

    /** 7.1.7 User Control Message; {@code value2} is used by Set Buffer Length only. */
    record UserControl(int event, long value, long value2) implements RtmpMessage {
        public static final int STREAM_BEGIN = 0;
        public static final int STREAM_EOF = 1;
        public static final int STREAM_DRY = 2;
        public static final int SET_BUFFER_LENGTH = 3;
        public static final int STREAM_IS_RECORDED = 4;
        public static final int PING_REQUEST = 6;
        public static final int PING_RESPONSE = 7;
    }

    /** Audio (type 8) or video (type 9) data, carried as it came. */
    sealed interface Media extends RtmpMessage, ReferenceCounted permits AudioData, VideoData {
        int type();

        int timestamp();

        int streamId();

        ByteBuf payload();

        @Override
        default int refCnt() {
            return payload().refCnt();
        }

        @Override
        default ReferenceCounted retain() {
            payload().retain();
            return this;
        }

        @Override
        default ReferenceCounted retain(int increment) {
            payload().retain(increment);
            return this;
        }

        @Override
        default ReferenceCounted touch() {
            return this;
        }

        @Override
        default ReferenceCounted touch(Object hint) {
            return this;
        }

        @Override
        default boolean release() {
            return payload().release();
        }

        @Override
        default boolean release(int decrement) {
            return payload().release(decrement);
        }
    }

    record AudioData(int timestamp, int streamId, ByteBuf payload) implements Media {
        @Override
        public int type() {
            return AUDIO;
        }
    }

    record VideoData(int timestamp, int streamId, ByteBuf payload) implements Media {
        @Override
        public int type() {
            return VIDEO;
        }
    }

    /**
     * Data message (type 18 AMF0, or 15 with its format byte removed and its AMF 3 values on the same value model), e.g.
     * {@code @setDataFrame onMetaData {...}}.
     */
    record Data(int timestamp, int streamId, List<Object> values) implements RtmpMessage {
    }

    /**
     * Command (type 20 AMF0, or 17 with its format byte removed and its AMF 3 values on the same value model): name,
     * transaction id, command object, arguments.
     */
    record Command(int streamId, String name, double transactionId, Map<String, Object> commandObject, List<Object> arguments)
            implements RtmpMessage {
    }

    /** A message type this server does not act on; its payload was discarded. */
    record Unknown(int type, int streamId, int length) implements RtmpMessage {
    }

    /** Input that broke the protocol; the decoder discards everything after it and the connection should close. */
    record Malformed(String reason) implements RtmpMessage {
    }
}
