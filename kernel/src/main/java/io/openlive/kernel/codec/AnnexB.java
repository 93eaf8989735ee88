package io.openlive.kernel.codec;

import java.io.ByteArrayOutputStream;

/**
 * Rewrites an AVC access unit from length-prefixed NAL units (ISO/IEC 14496-15) to the byte stream format of H.264
 * Annex B that MPEG-TS carries: an access unit delimiter first (ISO/IEC 13818-1 2.14 requires one per access unit), the
 * SPS and PPS before every key frame so any segment decodes alone, then each NAL unit after a start code. A NAL length
 * that runs past the sample ends the access unit there. Usage: {@code byte[] es = AnnexB.of(sample, config);}
 */
public final class AnnexB {
    private static final byte[] START_CODE = {0, 0, 0, 1};
    /** nal_unit_type 9 access unit delimiter, primary_pic_type 7 (any slice type), rbsp_stop_one_bit. */
    private static final byte[] AUD = {0, 0, 0, 1, 0x09, (byte) 0xF0};
    private static final int NAL_SPS = 7;
    private static final int NAL_PPS = 8;
    private static final int NAL_AUD = 9;

    private AnnexB() {
    }

    public static byte[] of(Sample sample, AvcConfig config) {
        byte[] data = sample.data();
        ByteArrayOutputStream out = new ByteArrayOutputStream(data.length + 64);
        out.writeBytes(AUD);
        if (sample.keyframe() && !containsParameterSets(data, config.nalLengthSize())) {
            for (byte[] sps : config.sps()) {
                out.writeBytes(START_CODE);
                out.writeBytes(sps);
            }
            for (byte[] pps : config.pps()) {
                out.writeBytes(START_CODE);
                out.writeBytes(pps);
            }
        }
        int size = config.nalLengthSize();
        int pos = 0;
        while (pos + size <= data.length) {
            long length = length(data, pos, size);
            pos += size;
            if (length > data.length - pos) {
                break;
            }
            if (length > 0 && (data[pos] & 0x1F) != NAL_AUD) {
                out.writeBytes(START_CODE);
                out.write(data, pos, (int) length);
            }
            pos += (int) length;
        }
        return out.toByteArray();
    }

    private static boolean containsParameterSets(byte[] data, int size) {
        int pos = 0;
        while (pos + size < data.length) {
            long length = length(data, pos, size);
            pos += size;
            int type = data[pos] & 0x1F;
            if (type == NAL_SPS || type == NAL_PPS) {
                return true;
            }
            if (length > data.length - pos) {
                return false;
            }
            pos += (int) length;
        }
        return false;
    }

    private static long length(byte[] data, int pos, int size) {
        long v = 0;
        for (int i = 0; i < size; i++) {
            v = (v << 8) | (data[pos + i] & 0xFF);
        }
        return v;
    }
}
