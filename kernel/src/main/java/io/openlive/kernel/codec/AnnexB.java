package io.openlive.kernel.codec;

import java.io.ByteArrayOutputStream;

/**
 * Rewrites an H.264 or H.265 access unit from length-prefixed NAL units (ISO/IEC 14496-15) to the byte stream format
 * (H.264 Annex B, H.265 Annex B) that MPEG-TS carries: an access unit delimiter first (ISO/IEC 13818-1 2.14 and 2.17
 * require one per access unit), the parameter sets before every key frame so any segment decodes alone, then each NAL
 * unit after a start code. A NAL length that runs past the sample ends the access unit there. Usage:
 * {@code byte[] es = AnnexB.of(sample, config);}
 */
public final class AnnexB {
    private static final byte[] START_CODE = {0, 0, 0, 1};
    /** H.264 nal_unit_type 9 access unit delimiter, primary_pic_type 7 (any slice type), rbsp_stop_one_bit. */
    private static final byte[] AVC_AUD = {0, 0, 0, 1, 0x09, (byte) 0xF0};
    /**
     * H.265 nal_unit_type 35 access unit delimiter (layer 0, nuh_temporal_id_plus1 1), pic_type 2 (I, P and B slices),
     * rbsp_stop_one_bit (H.265 7.3.2.5).
     */
    private static final byte[] HEVC_AUD = {0, 0, 0, 1, 0x46, 0x01, 0x50};
    private static final int AVC_SPS = 7;
    private static final int AVC_PPS = 8;
    private static final int AVC_AUD_TYPE = 9;
    private static final int HEVC_AUD_TYPE = 35;

    private AnnexB() {
    }

    public static byte[] of(Sample sample, VideoConfig config) {
        boolean hevc = config.codec() == VideoCodec.H265;
        byte[] data = sample.data();
        ByteArrayOutputStream out = new ByteArrayOutputStream(data.length + 64);
        out.writeBytes(hevc ? HEVC_AUD : AVC_AUD);
        int size = config.nalLengthSize();
        if (sample.keyframe() && !containsParameterSets(data, size, hevc)) {
            for (byte[] set : config.parameterSets()) {
                out.writeBytes(START_CODE);
                out.writeBytes(set);
            }
        }
        int pos = 0;
        while (pos + size <= data.length) {
            long length = length(data, pos, size);
            pos += size;
            if (length > data.length - pos) {
                break;
            }
            if (length > 0 && type(data[pos], hevc) != (hevc ? HEVC_AUD_TYPE : AVC_AUD_TYPE)) {
                out.writeBytes(START_CODE);
                out.write(data, pos, (int) length);
            }
            pos += (int) length;
        }
        return out.toByteArray();
    }

    /** nal_unit_type from the first header byte: H.264 7.3.1, H.265 7.3.1.2. */
    private static int type(byte first, boolean hevc) {
        return hevc ? (first >> 1) & 0x3F : first & 0x1F;
    }

    private static boolean containsParameterSets(byte[] data, int size, boolean hevc) {
        int pos = 0;
        while (pos + size < data.length) {
            long length = length(data, pos, size);
            pos += size;
            int type = type(data[pos], hevc);
            if (hevc ? type >= HevcConfig.NAL_VPS && type <= HevcConfig.NAL_PPS : type == AVC_SPS || type == AVC_PPS) {
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
