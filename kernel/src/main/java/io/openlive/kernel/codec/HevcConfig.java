package io.openlive.kernel.codec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An HEVCDecoderConfigurationRecord (ISO/IEC 14496-15 8.3.3.1), the body of an H.265 sequence header (Enhanced RTMP
 * PacketTypeSequenceStart with FourCC {@code hvc1}): kept whole for the fMP4 {@code hvcC} box, with the general
 * profile, tier and level for the codecs parameter, its VPS, SPS and PPS for Annex B streams (MPEG-TS), and the picture
 * size from the first SPS. Every length is checked against the record, so a malformed one is a
 * {@link CodecConfigException} and allocates no more than its own size. Usage: {@code HevcConfig c = HevcConfig.parse(record);}
 *
 * @param profileSpace       general_profile_space (0 to 3)
 * @param tier               general_tier_flag: 0 Main tier, 1 High tier
 * @param profileIdc         general_profile_idc (1 Main, 2 Main 10, 3 Main Still Picture, 4 range extensions…)
 * @param compatibilityFlags general_profile_compatibility_flags, flag 0 in the most significant bit
 * @param constraintFlags    general_constraint_indicator_flags, 48 bits from general_progressive_source_flag on
 * @param levelIdc           general_level_idc: 30 times the level number
 */
public record HevcConfig(byte[] record, int nalLengthSize, int profileSpace, int tier, int profileIdc,
                         int compatibilityFlags, long constraintFlags, int levelIdc,
                         List<byte[]> vps, List<byte[]> sps, List<byte[]> pps, int width, int height)
        implements VideoConfig {
    /** H.265 Table 7-1 nal_unit_type of the parameter sets. */
    static final int NAL_VPS = 32;
    static final int NAL_PPS = 34;
    /** configurationVersion(8) … numOfArrays(8): the fixed part before the NAL unit arrays (8.3.3.1.2). */
    private static final int HEADER = 23;

    /** Parses the record; throws {@link CodecConfigException} when it is malformed or has no SPS. */
    public static HevcConfig parse(byte[] record) {
        if (record.length < HEADER || record[0] != 1) {
            throw new CodecConfigException("not an HEVCDecoderConfigurationRecord version 1");
        }
        int profileSpace = (record[1] >> 6) & 0x03;
        int tier = (record[1] >> 5) & 0x01;
        int profileIdc = record[1] & 0x1F;
        int compatibility = (int) u(record, 2, 4);
        long constraints = u(record, 6, 6);
        int levelIdc = record[12] & 0xFF;
        // bytes 13-20: min_spatial_segmentation_idc, parallelismType, chromaFormat, bit depths, avgFrameRate;
        // byte 21: constantFrameRate(2) numTemporalLayers(3) temporalIdNested(1) lengthSizeMinusOne(2)
        int lengthSize = (record[21] & 0x03) + 1;
        if (lengthSize == 3) {
            throw new CodecConfigException("NAL length size 3 is not allowed");
        }
        int arrays = record[22] & 0xFF;
        List<byte[]> vps = new ArrayList<>();
        List<byte[]> sps = new ArrayList<>();
        List<byte[]> pps = new ArrayList<>();
        int pos = HEADER;
        for (int a = 0; a < arrays; a++) {
            if (pos + 3 > record.length) {
                throw new CodecConfigException("record ends inside the header of NAL unit array " + a);
            }
            int type = record[pos] & 0x3F; // array_completeness(1), reserved(1), NAL_unit_type(6)
            int count = (int) u(record, pos + 1, 2);
            pos += 3;
            for (int i = 0; i < count; i++) {
                byte[] nal = readNal(record, pos);
                pos += 2 + nal.length;
                switch (type) {
                    case NAL_VPS -> vps.add(nal);
                    case HevcSps.NAL_SPS -> sps.add(nal);
                    case NAL_PPS -> pps.add(nal);
                    default -> {
                        // SEI arrays: kept in the record, of no use to the muxers
                    }
                }
            }
        }
        if (sps.isEmpty()) {
            throw new CodecConfigException("record has no SPS");
        }
        HevcSps first = HevcSps.parse(sps.get(0));
        return new HevcConfig(record.clone(), lengthSize, profileSpace, tier, profileIdc, compatibility, constraints,
                levelIdc, List.copyOf(vps), List.copyOf(sps), List.copyOf(pps), first.width(), first.height());
    }

    private static byte[] readNal(byte[] record, int pos) {
        if (pos + 2 > record.length) {
            throw new CodecConfigException("record ends inside a NAL unit length");
        }
        int length = (int) u(record, pos, 2);
        if (length == 0 || pos + 2 + length > record.length) {
            throw new CodecConfigException("NAL unit of " + length + " bytes does not fit the record");
        }
        return Arrays.copyOfRange(record, pos + 2, pos + 2 + length);
    }

    private static long u(byte[] b, int at, int bytes) {
        long v = 0;
        for (int i = 0; i < bytes; i++) {
            v = (v << 8) | (b[at + i] & 0xFF);
        }
        return v;
    }

    @Override
    public VideoCodec codec() {
        return VideoCodec.H265;
    }

    /** Every VPS, then every SPS, then every PPS. */
    @Override
    public List<byte[]> parameterSets() {
        List<byte[]> all = new ArrayList<>(vps);
        all.addAll(sps);
        all.addAll(pps);
        return all;
    }

    /**
     * The RFC 6381 codecs parameter as ISO/IEC 14496-15 E.3 builds it, for example {@code hvc1.1.6.L93.B0}: the profile
     * space as no letter, A, B or C and the profile idc; the compatibility flags in reverse bit order, in hex; L (Main
     * tier) or H (High tier) and the level idc; then each of the six constraint bytes in hex, trailing zero bytes left
     * out.
     */
    @Override
    public String codecString() {
        StringBuilder s = new StringBuilder("hvc1.");
        if (profileSpace > 0) {
            s.append((char) ('A' + profileSpace - 1));
        }
        s.append(profileIdc).append('.').append(Integer.toHexString(Integer.reverse(compatibilityFlags)).toUpperCase());
        s.append('.').append(tier == 0 ? 'L' : 'H').append(levelIdc);
        int bytes = 6;
        while (bytes > 0 && ((constraintFlags >> (8 * (6 - bytes))) & 0xFF) == 0) {
            bytes--;
        }
        for (int i = 0; i < bytes; i++) {
            s.append('.').append(Integer.toHexString((int) (constraintFlags >> (8 * (5 - i))) & 0xFF).toUpperCase());
        }
        return s.toString();
    }
}
