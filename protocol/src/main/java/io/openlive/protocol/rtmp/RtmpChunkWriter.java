package io.openlive.protocol.rtmp;

import io.netty.buffer.ByteBuf;

/**
 * Splits one message into chunks (RTMP specification 1.0, 5.3): a type-0 header on the first chunk, type-3 headers on the
 * rest, so each message stands alone and needs no per-connection header state. That is what lets a frame be chunked once
 * and the same bytes be written to every player.
 */
public final class RtmpChunkWriter {
    public static final int DEFAULT_CHUNK_SIZE = 128;
    private static final int MAX_TIMESTAMP_FIELD = 0xFFFFFF;

    private RtmpChunkWriter() {
    }

    /** Bytes {@link #write} will produce for a message of {@code length} bytes. */
    public static int encodedSize(int chunkStreamId, int length, int timestamp, int chunkSize) {
        int chunks = Math.max(1, (length + chunkSize - 1) / chunkSize);
        int basic = basicHeaderSize(chunkStreamId);
        int extended = Integer.compareUnsigned(timestamp, MAX_TIMESTAMP_FIELD) >= 0 ? 4 : 0;
        return basic + 11 + extended + (chunks - 1) * (basic + extended) + length;
    }

    public static void write(ByteBuf out, int chunkStreamId, int type, int streamId, int timestamp, ByteBuf payload,
                             int chunkSize) {
        int length = payload.readableBytes();
        boolean extended = Integer.compareUnsigned(timestamp, MAX_TIMESTAMP_FIELD) >= 0;
        writeBasicHeader(out, 0, chunkStreamId);
        out.writeMedium(extended ? MAX_TIMESTAMP_FIELD : timestamp);
        out.writeMedium(length);
        out.writeByte(type);
        out.writeIntLE(streamId); // 5.3.1.2.1: message stream id is little-endian
        if (extended) {
            out.writeInt(timestamp); // 5.3.1.3 Extended Timestamp
        }
        int from = payload.readerIndex();
        int written = 0;
        while (true) {
            int n = Math.min(chunkSize, length - written);
            out.writeBytes(payload, from + written, n);
            written += n;
            if (written >= length) {
                return;
            }
            writeBasicHeader(out, 3, chunkStreamId);
            if (extended) {
                out.writeInt(timestamp); // repeated on type-3 chunks, as librtmp, ffmpeg and OBS expect
            }
        }
    }

    /** 5.3.1.1 Chunk Basic Header: 1, 2 or 3 bytes by chunk stream id range. */
    static void writeBasicHeader(ByteBuf out, int fmt, int chunkStreamId) {
        if (chunkStreamId < 64) {
            out.writeByte((fmt << 6) | chunkStreamId);
        } else if (chunkStreamId < 320) {
            out.writeByte(fmt << 6);
            out.writeByte(chunkStreamId - 64);
        } else {
            out.writeByte((fmt << 6) | 1);
            out.writeShortLE(chunkStreamId - 64);
        }
    }

    static int basicHeaderSize(int chunkStreamId) {
        return chunkStreamId < 64 ? 1 : chunkStreamId < 320 ? 2 : 3;
    }
}
