package io.openlive.engine.stream;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.AbstractReferenceCounted;
import io.openlive.kernel.codec.AudioTag;
import io.openlive.kernel.codec.VideoTag;
import io.openlive.kernel.flv.FlvTagType;
import io.openlive.kernel.flv.FlvWriter;
import io.openlive.protocol.rtmp.RtmpChunkEncoder;
import io.openlive.protocol.rtmp.RtmpChunkWriter;
import io.openlive.protocol.websocket.WebSocketFrameHeader;

/**
 * One message of a live stream on the room's timeline, encoded once for every egress protocol and shared by all viewers:
 * an FLV tag (HTTP-FLV, WebSocket-FLV) and RTMP chunks for message stream 1 at {@link #RTMP_CHUNK_SIZE} (RTMP play).
 * Sinks write retained duplicates of the encodings. The frame itself is counted: the ring holds one reference,
 * and so does a stream for its current metadata and sequence headers, which outlive their place in the ring.
 */
public final class Frame extends AbstractReferenceCounted {
    /** Chunk size announced to RTMP players; the shared chunks are cut to it. */
    public static final int RTMP_CHUNK_SIZE = 4096;
    /** Message stream id given to the first createStream of every RTMP connection. */
    public static final int RTMP_STREAM_ID = 1;

    public enum Kind { VIDEO_CONFIG, AUDIO_CONFIG, METADATA, KEYFRAME, VIDEO, AUDIO }

    private final long sequence;
    private final int type;
    private final int timestamp;
    private final Kind kind;
    private final ByteBuf flvTag;
    private final ByteBuf rtmpChunks;
    private final ByteBufAllocator alloc;
    private final long arrivedNanos = System.nanoTime();
    /** Framings made on first use by a viewer of that protocol; guarded by the stream's lock, under which sinks write. */
    private ByteBuf httpChunk;
    private ByteBuf webSocketFrame;

    private Frame(long sequence, int type, int timestamp, Kind kind, ByteBuf flvTag, ByteBuf rtmpChunks, ByteBufAllocator alloc) {
        this.sequence = sequence;
        this.type = type;
        this.timestamp = timestamp;
        this.kind = kind;
        this.flvTag = flvTag;
        this.rtmpChunks = rtmpChunks;
        this.alloc = alloc;
    }

    /** Builds a frame from an FLV/RTMP message body; {@code body} is copied, not retained. */
    public static Frame of(ByteBufAllocator alloc, long sequence, int type, int timestamp, ByteBuf body) {
        Kind kind = classify(type, body);
        ByteBuf flv = FlvWriter.tag(alloc, type, timestamp, body);
        int csid = type == FlvTagType.VIDEO ? RtmpChunkEncoder.CSID_VIDEO
                : type == FlvTagType.AUDIO ? RtmpChunkEncoder.CSID_AUDIO : RtmpChunkEncoder.CSID_DATA;
        ByteBuf rtmp = alloc.directBuffer(RtmpChunkWriter.encodedSize(csid, body.readableBytes(), timestamp, RTMP_CHUNK_SIZE));
        RtmpChunkWriter.write(rtmp, csid, type, RTMP_STREAM_ID, timestamp, body, RTMP_CHUNK_SIZE);
        return new Frame(sequence, type, timestamp, kind, flv, rtmp, alloc);
    }

    static Kind classify(int type, ByteBuf body) {
        return switch (type) {
            case FlvTagType.VIDEO -> VideoTag.isSequenceHeader(body) ? Kind.VIDEO_CONFIG
                    : VideoTag.isKeyframe(body) ? Kind.KEYFRAME : Kind.VIDEO;
            case FlvTagType.AUDIO -> AudioTag.isSequenceHeader(body) ? Kind.AUDIO_CONFIG : Kind.AUDIO;
            default -> Kind.METADATA;
        };
    }

    public long sequence() {
        return sequence;
    }

    /** FLV tag type / RTMP message type: 8 audio, 9 video, 18 data. */
    public int type() {
        return type;
    }

    /** Milliseconds on the room's timeline, increasing across publisher reconnects. */
    public int timestamp() {
        return timestamp;
    }

    public Kind kind() {
        return kind;
    }

    public boolean isConfig() {
        return kind == Kind.VIDEO_CONFIG || kind == Kind.AUDIO_CONFIG || kind == Kind.METADATA;
    }

    /** The complete FLV tag with PreviousTagSize; shared, read-only. */
    public ByteBuf flvTag() {
        return flvTag;
    }

    /** The message body (the FLV tag without its header and trailer); shared, read-only. */
    public ByteBuf body() {
        return flvTag.slice(11, flvTag.readableBytes() - FlvWriter.TAG_OVERHEAD);
    }

    /** The RTMP chunks of this message on stream {@link #RTMP_STREAM_ID}; shared, read-only. */
    public ByteBuf rtmpChunks() {
        return rtmpChunks;
    }

    /**
     * The FLV tag as one HTTP/1.1 chunk (RFC 9112 7.1: size in hex, CRLF, data, CRLF), for HTTP-FLV viewers whose
     * response is chunked. Call only from a {@link FrameSink#write}, which runs under the stream's lock.
     */
    public ByteBuf httpChunk() {
        if (httpChunk == null) {
            int size = flvTag.readableBytes();
            String hex = Integer.toHexString(size);
            ByteBuf b = alloc.directBuffer(hex.length() + 4 + size);
            b.writeCharSequence(hex, java.nio.charset.StandardCharsets.US_ASCII);
            b.writeShort(0x0D0A);
            b.writeBytes(flvTag, flvTag.readerIndex(), size);
            b.writeShort(0x0D0A);
            httpChunk = b;
        }
        return httpChunk;
    }

    /**
     * The FLV tag as one unmasked WebSocket binary frame with FIN set (RFC 6455 5.2), for WS-FLV viewers. Call only from
     * a {@link FrameSink#write}, which runs under the stream's lock.
     */
    public ByteBuf webSocketFrame() {
        if (webSocketFrame == null) {
            int size = flvTag.readableBytes();
            ByteBuf b = alloc.directBuffer(WebSocketFrameHeader.MAX_SIZE + size);
            WebSocketFrameHeader.write(b, WebSocketFrameHeader.BINARY, size);
            b.writeBytes(flvTag, flvTag.readerIndex(), size);
            webSocketFrame = b;
        }
        return webSocketFrame;
    }

    public int size() {
        return flvTag.readableBytes();
    }

    /** When the publisher's message became this frame ({@link System#nanoTime()}): the start of its server-side delay. */
    public long arrivedNanos() {
        return arrivedNanos;
    }

    @Override
    protected void deallocate() {
        flvTag.release();
        rtmpChunks.release();
        if (httpChunk != null) {
            httpChunk.release();
        }
        if (webSocketFrame != null) {
            webSocketFrame.release();
        }
    }

    @Override
    public Frame touch(Object hint) {
        return this;
    }

    @Override
    public String toString() {
        return kind + "#" + sequence + "@" + timestamp + "ms/" + size() + "B";
    }
}
