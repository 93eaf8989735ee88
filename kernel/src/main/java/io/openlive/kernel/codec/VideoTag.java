package io.openlive.kernel.codec;

import io.netty.buffer.ByteBuf;

/**
 * Reads the VIDEODATA header that starts every RTMP video message and FLV video tag body, in both forms:
 * legacy (FLV E.4.3.1: FrameType, CodecID, AVCPacketType) and Enhanced RTMP (IsExHeader bit, VideoPacketType, FourCC).
 * Only the header is looked at; the coded data is carried as it came. Usage: {@code if (VideoTag.isSequenceHeader(body)) …}
 */
public final class VideoTag {
    /** FrameType 1: key frame (a random access point). */
    public static final int FRAME_KEY = 1;
    /** FrameType 5: video info / command frame, carries no picture. */
    public static final int FRAME_COMMAND = 5;

    private static final int LEGACY_AVC = 7;
    private static final int LEGACY_HEVC = 12; // widespread pre-E-RTMP convention for H.265 in FLV
    private static final int EX_SEQUENCE_START = 0;
    private static final int EX_SEQUENCE_END = 2;
    private static final int EX_METADATA = 4;

    private VideoTag() {
    }

    public static boolean isExHeader(ByteBuf body) {
        return body.isReadable() && (body.getByte(body.readerIndex()) & 0x80) != 0;
    }

    public static int frameType(ByteBuf body) {
        if (!body.isReadable()) {
            return 0;
        }
        int b = body.getUnsignedByte(body.readerIndex());
        return (b & 0x80) != 0 ? (b >> 4) & 0x07 : b >> 4;
    }

    public static VideoCodec codec(ByteBuf body) {
        int i = body.readerIndex();
        if (!body.isReadable()) {
            return VideoCodec.OTHER;
        }
        int b = body.getUnsignedByte(i);
        if ((b & 0x80) != 0) {
            return body.readableBytes() >= 5 ? VideoCodec.ofFourCc(body.getInt(i + 1)) : VideoCodec.OTHER;
        }
        return switch (b & 0x0F) {
            case LEGACY_AVC -> VideoCodec.H264;
            case LEGACY_HEVC -> VideoCodec.H265;
            default -> VideoCodec.OTHER;
        };
    }

    /** The decoder configuration record (AVC/HEVC sequence header, E-RTMP SequenceStart) that a decoder needs first. */
    public static boolean isSequenceHeader(ByteBuf body) {
        if (body.readableBytes() < 2) {
            return false;
        }
        int b = body.getUnsignedByte(body.readerIndex());
        if ((b & 0x80) != 0) {
            return (b & 0x0F) == EX_SEQUENCE_START;
        }
        int codec = b & 0x0F;
        return (codec == LEGACY_AVC || codec == LEGACY_HEVC) && body.getByte(body.readerIndex() + 1) == 0;
    }

    /** A key frame carrying coded picture data: where a new viewer can start decoding. */
    public static boolean isKeyframe(ByteBuf body) {
        return frameType(body) == FRAME_KEY && isCodedFrame(body);
    }

    /** Coded picture data, as opposed to configuration, end of sequence, metadata or command frames. */
    public static boolean isCodedFrame(ByteBuf body) {
        if (body.readableBytes() < 2) {
            return false;
        }
        int b = body.getUnsignedByte(body.readerIndex());
        if ((b & 0x80) != 0) {
            int packetType = b & 0x0F;
            return packetType != EX_SEQUENCE_START && packetType != EX_SEQUENCE_END && packetType != EX_METADATA
                    && ((b >> 4) & 0x07) != FRAME_COMMAND;
        }
        int codec = b & 0x0F;
        if (codec == LEGACY_AVC || codec == LEGACY_HEVC) {
            return body.getByte(body.readerIndex() + 1) == 1;
        }
        return (b >> 4) != FRAME_COMMAND;
    }
}
