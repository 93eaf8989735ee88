package io.openlive.kernel.codec;

/**
 * The picture size from an H.264 sequence parameter set (H.264 7.3.2.1.1), which a player needs for the MP4 sample
 * entry and track header. Reads up to the cropping window and ignores the VUI. Usage:
 * {@code AvcSps sps = AvcSps.parse(spsNal);}
 */
public record AvcSps(int profile, int level, int width, int height) {

    /** Parses one SPS NAL unit, header byte included; throws {@link CodecConfigException} when it is not one. */
    public static AvcSps parse(byte[] nal) {
        if (nal.length < 4 || (nal[0] & 0x1F) != 7) {
            throw new CodecConfigException("not a sequence parameter set");
        }
        byte[] rbsp = unescape(nal);
        BitReader r = new BitReader(rbsp, 1, rbsp.length - 1);
        int profile = r.bits(8);
        r.skip(8); // constraint_set flags, reserved_zero_2bits
        int level = r.bits(8);
        r.ue(); // seq_parameter_set_id
        int chromaFormat = 1;
        boolean separateColourPlanes = false;
        if (hasChromaInfo(profile)) {
            chromaFormat = r.ue();
            if (chromaFormat > 3) {
                throw new CodecConfigException("chroma_format_idc " + chromaFormat);
            }
            if (chromaFormat == 3) {
                separateColourPlanes = r.bit() == 1;
            }
            r.ue(); // bit_depth_luma_minus8
            r.ue(); // bit_depth_chroma_minus8
            r.bit(); // qpprime_y_zero_transform_bypass_flag
            if (r.bit() == 1) { // seq_scaling_matrix_present_flag
                for (int i = 0; i < (chromaFormat != 3 ? 8 : 12); i++) {
                    if (r.bit() == 1) {
                        skipScalingList(r, i < 6 ? 16 : 64);
                    }
                }
            }
        }
        r.ue(); // log2_max_frame_num_minus4
        int pocType = r.ue();
        if (pocType == 0) {
            r.ue(); // log2_max_pic_order_cnt_lsb_minus4
        } else if (pocType == 1) {
            r.bit(); // delta_pic_order_always_zero_flag
            r.se(); // offset_for_non_ref_pic
            r.se(); // offset_for_top_to_bottom_field
            int cycle = r.ue();
            if (cycle > 255) {
                throw new CodecConfigException("num_ref_frames_in_pic_order_cnt_cycle " + cycle);
            }
            for (int i = 0; i < cycle; i++) {
                r.se();
            }
        }
        r.ue(); // max_num_ref_frames
        r.bit(); // gaps_in_frame_num_value_allowed_flag
        long widthMbs = Integer.toUnsignedLong(r.ue()) + 1;
        long heightMapUnits = Integer.toUnsignedLong(r.ue()) + 1;
        int frameMbsOnly = r.bit();
        if (frameMbsOnly == 0) {
            r.bit(); // mb_adaptive_frame_field_flag
        }
        r.bit(); // direct_8x8_inference_flag
        long cropLeft = 0, cropRight = 0, cropTop = 0, cropBottom = 0;
        if (r.bit() == 1) { // frame_cropping_flag
            cropLeft = Integer.toUnsignedLong(r.ue());
            cropRight = Integer.toUnsignedLong(r.ue());
            cropTop = Integer.toUnsignedLong(r.ue());
            cropBottom = Integer.toUnsignedLong(r.ue());
        }
        // H.264 7.4.2.1.1, Table 6-1: crop units from the chroma subsampling
        int chroma = separateColourPlanes ? 0 : chromaFormat;
        long cropUnitX = chroma == 0 || chroma == 3 ? 1 : 2;
        long cropUnitY = (chroma == 1 ? 2 : 1) * (2L - frameMbsOnly);
        long width = widthMbs * 16 - cropUnitX * (cropLeft + cropRight);
        long height = (2L - frameMbsOnly) * heightMapUnits * 16 - cropUnitY * (cropTop + cropBottom);
        if (width <= 0 || height <= 0 || width > 16384 || height > 16384) {
            throw new CodecConfigException("picture size " + width + "x" + height);
        }
        return new AvcSps(profile, level, (int) width, (int) height);
    }

    private static boolean hasChromaInfo(int profile) {
        return switch (profile) {
            case 100, 110, 122, 244, 44, 83, 86, 118, 128, 138, 139, 134, 135 -> true;
            default -> false;
        };
    }

    /** H.264 7.3.2.1.1.1 scaling_list(): only read to be skipped. */
    private static void skipScalingList(BitReader r, int size) {
        int last = 8;
        int next = 8;
        for (int j = 0; j < size; j++) {
            if (next != 0) {
                next = (last + r.se() + 256) % 256;
            }
            last = next == 0 ? last : next;
        }
    }

    /** Removes emulation prevention bytes (H.264 7.4.1: 0x000003 stands for 0x0000). */
    static byte[] unescape(byte[] nal) {
        byte[] out = new byte[nal.length];
        int n = 0;
        int zeros = 0;
        for (byte b : nal) {
            if (zeros >= 2 && b == 3) {
                zeros = 0;
                continue;
            }
            zeros = b == 0 ? zeros + 1 : 0;
            out[n++] = b;
        }
        return java.util.Arrays.copyOf(out, n);
    }
}
