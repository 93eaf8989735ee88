package io.openlive.kernel.codec;

import io.netty.buffer.ByteBuf;

/**
 * Reads the AUDIODATA header (FLV E.4.2.1): SoundFormat in the high nibble; for AAC (10) an AACPacketType byte follows,
 * 0 being the AudioSpecificConfig. Enhanced RTMP audio (SoundFormat 9, ExHeader) marks its SequenceStart with packet type 0.
 */
public final class AudioTag {
    public static final int FORMAT_AAC = 10;
    public static final int FORMAT_EX_HEADER = 9;
    public static final int FORMAT_MP3 = 2;

    private AudioTag() {
    }

    public static int soundFormat(ByteBuf body) {
        return body.isReadable() ? body.getUnsignedByte(body.readerIndex()) >> 4 : -1;
    }

    public static boolean isSequenceHeader(ByteBuf body) {
        if (body.readableBytes() < 2) {
            return false;
        }
        int b = body.getUnsignedByte(body.readerIndex());
        return switch (b >> 4) {
            case FORMAT_AAC -> body.getByte(body.readerIndex() + 1) == 0;
            case FORMAT_EX_HEADER -> (b & 0x0F) == 0;
            default -> false;
        };
    }

    public static String codecName(ByteBuf body) {
        return switch (soundFormat(body)) {
            case FORMAT_AAC -> "aac";
            case FORMAT_MP3 -> "mp3";
            case FORMAT_EX_HEADER -> "enhanced";
            case -1 -> "none";
            default -> "format-" + soundFormat(body);
        };
    }
}
