package io.openlive.engine.hls;

import io.netty.buffer.ByteBuf;
import io.openlive.kernel.codec.AudioTag;
import io.openlive.kernel.codec.VideoCodec;
import io.openlive.kernel.codec.VideoTag;

/**
 * Reads the coded data out of FLV/RTMP message bodies for the muxers: H.264 (legacy CodecID 7, FLV E.4.3.1, or Enhanced
 * RTMP {@code avc1}), H.265 (Enhanced RTMP {@code hvc1}, or the legacy CodecID 12 convention, laid out as CodecID 7) and
 * AAC (SoundFormat 10, FLV E.4.2.1). Other codecs are not carried into HLS. Methods return null for a body that is not
 * what they read.
 */
final class FrameSamples {
    private static final int EX_SEQUENCE_START = 0;
    private static final int EX_CODED_FRAMES = 1;
    private static final int EX_CODED_FRAMES_X = 3;

    private FrameSamples() {
    }

    /** The decoder configuration record (avcC or hvcC) of an H.264 or H.265 sequence header. */
    static byte[] videoRecord(ByteBuf body) {
        if (!isCarried(VideoTag.codec(body)) || !VideoTag.isSequenceHeader(body)) {
            return null;
        }
        return bytes(body, 5); // legacy: header, packet type, composition time; E-RTMP: header, FourCC
    }

    /** Whether HLS carries this video codec. */
    static boolean isCarried(VideoCodec codec) {
        return codec == VideoCodec.H264 || codec == VideoCodec.H265;
    }

    /**
     * Composition offset in milliseconds and the NAL units of an H.264 or H.265 coded frame, or null. E-RTMP
     * PacketTypeCodedFrames has an SI24 composition time offset, CodedFramesX none (it is 0).
     */
    static CodedFrame videoFrame(ByteBuf body) {
        if (!isCarried(VideoTag.codec(body)) || !VideoTag.isCodedFrame(body)) {
            return null;
        }
        int i = body.readerIndex();
        if (VideoTag.isExHeader(body)) {
            int packetType = body.getByte(i) & 0x0F;
            if (packetType == EX_CODED_FRAMES && body.readableBytes() >= 8) {
                return new CodedFrame(body.getMedium(i + 5), bytes(body, 8));
            }
            if (packetType == EX_CODED_FRAMES_X) {
                return new CodedFrame(0, bytes(body, 5));
            }
            return null;
        }
        if (body.readableBytes() < 5) {
            return null;
        }
        return new CodedFrame(body.getMedium(i + 2), bytes(body, 5)); // SI24 CompositionTime (E.4.3.1)
    }

    /** The AudioSpecificConfig of an AAC sequence header. */
    static byte[] aacConfig(ByteBuf body) {
        return AudioTag.soundFormat(body) == AudioTag.FORMAT_AAC && AudioTag.isSequenceHeader(body) ? bytes(body, 2) : null;
    }

    /** A raw AAC frame (AACPacketType 1). */
    static byte[] aacFrame(ByteBuf body) {
        if (AudioTag.soundFormat(body) != AudioTag.FORMAT_AAC || body.readableBytes() < 3
                || body.getByte(body.readerIndex() + 1) != 1) {
            return null;
        }
        return bytes(body, 2);
    }

    private static byte[] bytes(ByteBuf body, int skip) {
        if (body.readableBytes() < skip) {
            return null;
        }
        byte[] b = new byte[body.readableBytes() - skip];
        body.getBytes(body.readerIndex() + skip, b);
        return b;
    }

    record CodedFrame(int compositionMs, byte[] data) {
    }
}
