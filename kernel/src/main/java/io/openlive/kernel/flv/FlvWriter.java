package io.openlive.kernel.flv;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * Writes the FLV file header and FLV tags (FLV specification v10.1, annex E.2–E.4). Each tag is written with its trailing
 * PreviousTagSize, so a stream is {@code header(...)} followed by any number of {@code tag(...)} and needs no trailer.
 * Usage: {@code ByteBuf tag = FlvWriter.tag(alloc, FlvTagType.VIDEO, ts, body);}
 */
public final class FlvWriter {
    /** Tag header (11 bytes) plus PreviousTagSize (4 bytes). */
    public static final int TAG_OVERHEAD = 15;
    /** File header (9 bytes) plus PreviousTagSize0 (4 bytes). */
    public static final int HEADER_SIZE = 13;

    private FlvWriter() {
    }

    /** The 13 bytes that open an FLV stream: signature, version 1, the audio/video flags, header size, PreviousTagSize0. */
    public static ByteBuf header(ByteBufAllocator alloc, boolean audio, boolean video) {
        ByteBuf out = alloc.buffer(HEADER_SIZE);
        out.writeByte('F').writeByte('L').writeByte('V').writeByte(1);
        out.writeByte((audio ? 0x04 : 0) | (video ? 0x01 : 0));
        out.writeInt(9);
        out.writeInt(0);
        return out;
    }

    /** A complete tag: header, a copy of {@code body}'s readable bytes, PreviousTagSize. {@code body} is not released. */
    public static ByteBuf tag(ByteBufAllocator alloc, int type, int timestamp, ByteBuf body) {
        int size = body.readableBytes();
        ByteBuf out = alloc.buffer(TAG_OVERHEAD + size);
        writeTagHeader(out, type, timestamp, size);
        out.writeBytes(body, body.readerIndex(), size);
        out.writeInt(11 + size);
        return out;
    }

    /** The 11-byte tag header (E.4.1): type, DataSize, Timestamp (low 24 bits), TimestampExtended (high 8 bits), StreamID 0. */
    public static void writeTagHeader(ByteBuf out, int type, int timestamp, int dataSize) {
        out.writeByte(type & 0x1F);
        out.writeMedium(dataSize);
        out.writeMedium(timestamp & 0xFFFFFF);
        out.writeByte(timestamp >>> 24);
        out.writeMedium(0);
    }
}
