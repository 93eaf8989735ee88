package io.openlive.kernel.codec;

/**
 * The picture size from an H.265 sequence parameter set (H.265 7.3.2.2.1), which a player needs for the MP4 sample entry
 * and track header: reads the profile_tier_level (sub-layers included) up to the conformance window and stops there.
 * Usage: {@code HevcSps sps = HevcSps.parse(spsNal);}
 *
 * @param chromaFormat chroma_format_idc: 0 monochrome, 1 4:2:0, 2 4:2:2, 3 4:4:4
 * @param width        pic_width_in_luma_samples less the conformance window
 * @param height       pic_height_in_luma_samples less the conformance window
 */
public record HevcSps(int chromaFormat, int width, int height) {
    /** nal_unit_type of a sequence parameter set (H.265 Table 7-1). */
    static final int NAL_SPS = 33;
    /**
     * A dimension above this is no H.265 level's (A.4.1: at most Sqrt(MaxLumaPs * 8), 16888 for level 6.2), and the
     * MP4 sample entry holds 16 bits.
     */
    static final int MAX_DIMENSION = 16888;
    /** sps_max_sub_layers_minus1 is at most 6 (H.265 7.4.3.2.1). */
    private static final int MAX_SUB_LAYERS_MINUS1 = 6;

    /** Parses one SPS NAL unit, its two header bytes included; throws {@link CodecConfigException} when it is not one. */
    public static HevcSps parse(byte[] nal) {
        // H.265 7.3.1.2 nal_unit_header: forbidden_zero_bit, nal_unit_type(6), nuh_layer_id(6), nuh_temporal_id_plus1(3)
        if (nal.length < 4 || ((nal[0] >> 1) & 0x3F) != NAL_SPS) {
            throw new CodecConfigException("not a sequence parameter set");
        }
        int layer = ((nal[0] & 0x01) << 5) | ((nal[1] & 0xFF) >> 3);
        if (layer != 0) {
            // 7.3.2.2.1: an SPS of another layer may be laid out otherwise (MultiLayerExtSpsFlag); the base layer's is needed
            throw new CodecConfigException("SPS of layer " + layer + ", not of the base layer");
        }
        byte[] rbsp = AvcSps.unescape(nal); // H.265 7.4.2: the same emulation prevention as H.264
        BitReader r = new BitReader(rbsp, 2, rbsp.length - 2);
        r.skip(4); // sps_video_parameter_set_id
        int maxSubLayersMinus1 = r.bits(3);
        if (maxSubLayersMinus1 > MAX_SUB_LAYERS_MINUS1) {
            throw new CodecConfigException("sps_max_sub_layers_minus1 " + maxSubLayersMinus1);
        }
        r.skip(1); // sps_temporal_id_nesting_flag
        skipProfileTierLevel(r, maxSubLayersMinus1);
        r.ue(); // sps_seq_parameter_set_id
        long chromaFormatIdc = Integer.toUnsignedLong(r.ue());
        if (chromaFormatIdc > 3) {
            throw new CodecConfigException("chroma_format_idc " + chromaFormatIdc);
        }
        int chromaFormat = (int) chromaFormatIdc;
        boolean separateColourPlanes = chromaFormat == 3 && r.bit() == 1;
        long width = Integer.toUnsignedLong(r.ue()); // pic_width_in_luma_samples
        long height = Integer.toUnsignedLong(r.ue()); // pic_height_in_luma_samples
        long left = 0, right = 0, top = 0, bottom = 0;
        if (r.bit() == 1) { // conformance_window_flag
            left = Integer.toUnsignedLong(r.ue());
            right = Integer.toUnsignedLong(r.ue());
            top = Integer.toUnsignedLong(r.ue());
            bottom = Integer.toUnsignedLong(r.ue());
        }
        // H.265 7.4.3.2.1 and Table 6-1: the window counts in chroma samples, SubWidthC x SubHeightC luma samples each;
        // with separate colour planes ChromaArrayType is 0 and both are 1
        int chroma = separateColourPlanes ? 0 : chromaFormat;
        long subWidth = chroma == 1 || chroma == 2 ? 2 : 1;
        long subHeight = chroma == 1 ? 2 : 1;
        long croppedWidth = width - subWidth * (left + right);
        long croppedHeight = height - subHeight * (top + bottom);
        if (croppedWidth <= 0 || croppedHeight <= 0 || width > MAX_DIMENSION || height > MAX_DIMENSION) {
            throw new CodecConfigException("picture size " + croppedWidth + "x" + croppedHeight);
        }
        return new HevcSps(chromaFormat, (int) croppedWidth, (int) croppedHeight);
    }

    /** H.265 7.3.3 profile_tier_level(1, maxNumSubLayersMinus1): read only to be skipped. */
    private static void skipProfileTierLevel(BitReader r, int maxNumSubLayersMinus1) {
        // general_profile_space(2), tier(1), profile_idc(5), compatibility flags(32), progressive, interlaced,
        // non_packed, frame_only (4), 43 bits of constraints, 1 bit (inbld or reserved), general_level_idc(8)
        r.skip(2 + 1 + 5 + 32 + 4 + 43 + 1 + 8);
        boolean[] profilePresent = new boolean[maxNumSubLayersMinus1];
        boolean[] levelPresent = new boolean[maxNumSubLayersMinus1];
        for (int i = 0; i < maxNumSubLayersMinus1; i++) {
            profilePresent[i] = r.bit() == 1;
            levelPresent[i] = r.bit() == 1;
        }
        if (maxNumSubLayersMinus1 > 0) {
            r.skip(2 * (8 - maxNumSubLayersMinus1)); // reserved_zero_2bits up to eight entries
        }
        for (int i = 0; i < maxNumSubLayersMinus1; i++) {
            if (profilePresent[i]) {
                r.skip(2 + 1 + 5 + 32 + 4 + 43 + 1); // the sub-layer's profile, as the general one
            }
            if (levelPresent[i]) {
                r.skip(8); // sub_layer_level_idc
            }
        }
    }
}
