package io.openlive.kernel.codec;

import java.util.ArrayList;
import java.util.List;

/**
 * An AVCDecoderConfigurationRecord (ISO/IEC 14496-15 5.3.3.1), the body of an AVC sequence header: kept whole for the
 * fMP4 {@code avcC} box, with its parameter sets for Annex B streams (MPEG-TS) and the picture size from the first SPS.
 * Usage: {@code AvcConfig c = AvcConfig.parse(recordBytes);}
 */
public record AvcConfig(byte[] record, int nalLengthSize, List<byte[]> sps, List<byte[]> pps, int width, int height)
        implements VideoConfig {

    /** Parses the record; throws {@link CodecConfigException} when it is malformed or has no SPS. */
    public static AvcConfig parse(byte[] record) {
        if (record.length < 7 || record[0] != 1) {
            throw new CodecConfigException("not an AVCDecoderConfigurationRecord version 1");
        }
        int lengthSize = (record[4] & 0x03) + 1;
        if (lengthSize == 3) {
            throw new CodecConfigException("NAL length size 3 is not allowed");
        }
        int pos = 5;
        int numSps = record[pos++] & 0x1F;
        List<byte[]> sps = new ArrayList<>();
        for (int i = 0; i < numSps; i++) {
            byte[] nal = readNal(record, pos);
            sps.add(nal);
            pos += 2 + nal.length;
        }
        if (pos >= record.length) {
            throw new CodecConfigException("record ends before the PPS count");
        }
        int numPps = record[pos++] & 0xFF;
        List<byte[]> pps = new ArrayList<>();
        for (int i = 0; i < numPps; i++) {
            byte[] nal = readNal(record, pos);
            pps.add(nal);
            pos += 2 + nal.length;
        }
        if (sps.isEmpty()) {
            throw new CodecConfigException("record has no SPS");
        }
        AvcSps first = AvcSps.parse(sps.get(0));
        return new AvcConfig(record.clone(), lengthSize, List.copyOf(sps), List.copyOf(pps), first.width(), first.height());
    }

    private static byte[] readNal(byte[] record, int pos) {
        if (pos + 2 > record.length) {
            throw new CodecConfigException("record ends inside a parameter set length");
        }
        int length = ((record[pos] & 0xFF) << 8) | (record[pos + 1] & 0xFF);
        if (length == 0 || pos + 2 + length > record.length) {
            throw new CodecConfigException("parameter set of " + length + " bytes does not fit the record");
        }
        return java.util.Arrays.copyOfRange(record, pos + 2, pos + 2 + length);
    }

    @Override
    public VideoCodec codec() {
        return VideoCodec.H264;
    }

    /** Every SPS, then every PPS. */
    @Override
    public List<byte[]> parameterSets() {
        List<byte[]> all = new ArrayList<>(sps);
        all.addAll(pps);
        return all;
    }

    /** The RFC 6381 codecs parameter, {@code avc1.PPCCLL} from the record's profile, compatibility and level bytes. */
    @Override
    public String codecString() {
        return String.format("avc1.%02x%02x%02x", record[1] & 0xFF, record[2] & 0xFF, record[3] & 0xFF);
    }
}
