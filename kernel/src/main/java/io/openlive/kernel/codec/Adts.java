package io.openlive.kernel.codec;

/**
 * The ADTS header (ISO/IEC 13818-7 6.2 / ISO/IEC 14496-3 1.A.2.2) that MPEG-TS puts before every raw AAC frame:
 * 7 bytes, no CRC. Usage: {@code byte[] frame = Adts.frame(config, rawAac);}
 */
public final class Adts {
    public static final int HEADER_SIZE = 7;
    /** aac_frame_length is 13 bits, header included. */
    public static final int MAX_FRAME = (1 << 13) - 1;

    private Adts() {
    }

    /** The raw frame with its ADTS header; throws {@link CodecConfigException} when the frame is too long for ADTS. */
    public static byte[] frame(AacConfig config, byte[] raw) {
        int length = HEADER_SIZE + raw.length;
        if (length > MAX_FRAME) {
            throw new CodecConfigException("AAC frame of " + raw.length + " bytes does not fit ADTS");
        }
        int profile = config.objectType() - 1; // profile_ObjectType: object type minus one (1.A.2.2.1)
        int channels = config.channelConfiguration();
        byte[] out = new byte[length];
        out[0] = (byte) 0xFF; // syncword 0xFFF
        out[1] = (byte) 0xF1; // syncword, ID 0 (MPEG-4), layer 00, protection_absent 1
        out[2] = (byte) ((profile << 6) | (config.frequencyIndex() << 2) | ((channels >> 2) & 1));
        out[3] = (byte) (((channels & 3) << 6) | ((length >> 11) & 3));
        out[4] = (byte) (length >> 3);
        out[5] = (byte) (((length & 7) << 5) | 0x1F); // adts_buffer_fullness 0x7FF: variable rate
        out[6] = (byte) 0xFC; // buffer fullness, number_of_raw_data_blocks_in_frame 0
        System.arraycopy(raw, 0, out, HEADER_SIZE, raw.length);
        return out;
    }
}
