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

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * One message of a live stream on the room's timeline, encoded once for every egress protocol and shared by all viewers:
 * an FLV tag (HTTP-FLV, WebSocket-FLV) and RTMP chunks for message stream 1 at {@link #RTMP_CHUNK_SIZE} (RTMP play),
 * both made by the publisher's thread before the frame enters the ring; the HTTP chunk, the WebSocket frame and RTMP
 * chunks for other message stream ids are made by the first viewer that needs them, once, from any thread.
 * Sinks write retained duplicates of the encodings. The frame itself is counted: the ring holds one reference,
 * and so does a stream for its current metadata and sequence headers, which outlive their place in the ring; a reader
 * holds one while it writes the frame outside the stream's lock.
 *
 * <p>{@link #heldBytes()} is the capacity of every encoding made so far; while the frame is in a ring, encodings made
 * later are added to that ring's count, so the ring's byte budget covers every copy it keeps alive.
 */
public final class Frame extends AbstractReferenceCounted {
    /** Chunk size announced to RTMP players; the shared chunks are cut to it. */
    public static final int RTMP_CHUNK_SIZE = 4096;
    /** Message stream id given to the first createStream of every RTMP connection. */
    public static final int RTMP_STREAM_ID = 1;
    /**
     * Message stream ids up to this one get chunks shared by every player on that id (a client's second or third
     * createStream); a player on a higher id gets a copy of its own.
     */
    public static final int MAX_SHARED_RTMP_STREAM_ID = 8;
    /**
     * Where the message stream id sits in the shared chunks: after the 1-byte basic header (our chunk stream ids are all
     * below 64) and the type-0 header's timestamp, length and type id (RTMP 5.3.1.1, 5.3.1.2.1). Only the first chunk
     * carries it, so chunks for another id are the shared ones with these four bytes changed.
     */
    private static final int RTMP_STREAM_ID_OFFSET = 1 + 3 + 3 + 1;

    public enum Kind { VIDEO_CONFIG, AUDIO_CONFIG, METADATA, KEYFRAME, VIDEO, AUDIO }

    private long sequence;
    private final int type;
    private final int timestamp;
    private final Kind kind;
    private final ByteBuf flvTag;
    private final ByteBuf rtmpChunks;
    private final ByteBufAllocator alloc;
    private final long arrivedNanos = System.nanoTime();
    /** Framings made on first use by a viewer of that protocol; written under this frame's monitor, read without it. */
    private volatile ByteBuf httpChunk;
    private volatile ByteBuf webSocketFrame;
    /** RTMP chunks for message stream ids 2 to {@link #MAX_SHARED_RTMP_STREAM_ID}, made on first use (index = id). */
    private volatile AtomicReferenceArray<ByteBuf> otherStreamChunks;
    /** Capacity of every encoding made so far; under this frame's monitor. */
    private long heldBytes;
    /** The ring's byte count while the frame is in a ring, else null; under this frame's monitor. */
    private AtomicLong ringCount;

    private Frame(long sequence, int type, int timestamp, Kind kind, ByteBuf flvTag, ByteBuf rtmpChunks, ByteBufAllocator alloc) {
        this.sequence = sequence;
        this.type = type;
        this.timestamp = timestamp;
        this.kind = kind;
        this.flvTag = flvTag;
        this.rtmpChunks = rtmpChunks;
        this.alloc = alloc;
        this.heldBytes = (long) flvTag.capacity() + rtmpChunks.capacity();
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

    /** Its place in the ring, given as it enters it (under the stream's lock, before any reader can see it). */
    void enterRing(long sequence, AtomicLong count) {
        this.sequence = sequence;
        synchronized (this) {
            ringCount = count;
            count.addAndGet(heldBytes);
        }
    }

    /** It left the ring: its bytes leave the ring's count, and encodings made from now on are not counted there. */
    void leaveRing() {
        synchronized (this) {
            if (ringCount != null) {
                ringCount.addAndGet(-heldBytes);
                ringCount = null;
            }
        }
    }

    /** Bytes of every encoding made so far (their capacities): what this frame keeps alive. */
    public synchronized long heldBytes() {
        return heldBytes;
    }

    /** The buffers this frame holds now (every encoding made so far), for measuring what it keeps alive. */
    synchronized List<ByteBuf> encodings() {
        List<ByteBuf> all = new ArrayList<>(List.of(flvTag, rtmpChunks));
        for (ByteBuf b : new ByteBuf[]{httpChunk, webSocketFrame}) {
            if (b != null) {
                all.add(b);
            }
        }
        var others = otherStreamChunks;
        for (int i = 0; others != null && i < others.length(); i++) {
            if (others.get(i) != null) {
                all.add(others.get(i));
            }
        }
        return all;
    }

    /** Records an encoding just made; under this frame's monitor. */
    private void held(ByteBuf made) {
        heldBytes += made.capacity();
        if (ringCount != null) {
            ringCount.addAndGet(made.capacity());
        }
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
     * The RTMP chunks of this message on message stream {@code streamId}: the shared ones for stream 1, chunks shared by
     * every player on that id up to {@link #MAX_SHARED_RTMP_STREAM_ID}; null above it (the caller makes its own with
     * {@link #rtmpChunksCopy}). Shared, read-only.
     */
    public ByteBuf rtmpChunks(int streamId) {
        if (streamId == RTMP_STREAM_ID) {
            return rtmpChunks;
        }
        if (streamId < 2 || streamId > MAX_SHARED_RTMP_STREAM_ID) {
            return null;
        }
        var made = otherStreamChunks;
        ByteBuf chunks = made == null ? null : made.get(streamId);
        if (chunks != null) {
            return chunks;
        }
        synchronized (this) {
            if (otherStreamChunks == null) {
                otherStreamChunks = new AtomicReferenceArray<>(MAX_SHARED_RTMP_STREAM_ID + 1);
            }
            chunks = otherStreamChunks.get(streamId);
            if (chunks == null) {
                chunks = rtmpChunksCopy(alloc, streamId);
                held(chunks);
                otherStreamChunks.set(streamId, chunks);
            }
            return chunks;
        }
    }

    /** A new buffer with the shared chunks for message stream {@code streamId} (the caller owns it): a copy, not re-chunked. */
    public ByteBuf rtmpChunksCopy(ByteBufAllocator to, int streamId) {
        int size = rtmpChunks.readableBytes();
        ByteBuf copy = to.directBuffer(size);
        copy.writeBytes(rtmpChunks, rtmpChunks.readerIndex(), size);
        copy.setIntLE(RTMP_STREAM_ID_OFFSET, streamId); // RTMP 5.3.1.2.1: message stream id, little-endian
        return copy;
    }

    /**
     * The FLV tag as one HTTP/1.1 chunk (RFC 9112 7.1: size in hex, CRLF, data, CRLF), for HTTP-FLV viewers whose
     * response is chunked. Made by the first viewer that asks, from any thread.
     */
    public ByteBuf httpChunk() {
        ByteBuf made = httpChunk;
        if (made != null) {
            return made;
        }
        synchronized (this) {
            if (httpChunk == null) {
                int size = flvTag.readableBytes();
                String hex = Integer.toHexString(size);
                ByteBuf b = alloc.directBuffer(hex.length() + 4 + size);
                b.writeCharSequence(hex, java.nio.charset.StandardCharsets.US_ASCII);
                b.writeShort(0x0D0A);
                b.writeBytes(flvTag, flvTag.readerIndex(), size);
                b.writeShort(0x0D0A);
                held(b);
                httpChunk = b;
            }
            return httpChunk;
        }
    }

    /**
     * The FLV tag as one unmasked WebSocket binary frame with FIN set (RFC 6455 5.2), for WS-FLV viewers. Made by the
     * first viewer that asks, from any thread.
     */
    public ByteBuf webSocketFrame() {
        ByteBuf made = webSocketFrame;
        if (made != null) {
            return made;
        }
        synchronized (this) {
            if (webSocketFrame == null) {
                int size = flvTag.readableBytes();
                ByteBuf b = alloc.directBuffer(WebSocketFrameHeader.MAX_SIZE + size);
                WebSocketFrameHeader.write(b, WebSocketFrameHeader.BINARY, size);
                b.writeBytes(flvTag, flvTag.readerIndex(), size);
                held(b);
                webSocketFrame = b;
            }
            return webSocketFrame;
        }
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
        var others = otherStreamChunks;
        for (int i = 0; others != null && i < others.length(); i++) {
            ByteBuf b = others.get(i);
            if (b != null) {
                b.release();
            }
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
