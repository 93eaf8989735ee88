package io.openlive.kernel.codec;

/**
 * An AudioSpecificConfig (ISO/IEC 14496-3 1.6.2.1), the body of an AAC sequence header: kept whole for the fMP4
 * {@code esds} box, with what an ADTS header (MPEG-TS) and the sample entry need. Usage:
 * {@code AacConfig c = AacConfig.parse(ascBytes);}
 */
public record AacConfig(byte[] asc, int objectType, int frequencyIndex, int sampleRate, int channels) {
    /** ISO/IEC 14496-3 Table 1.18, samplingFrequencyIndex 0 to 12. */
    private static final int[] RATES = {96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000, 7350};
    /** Samples per AAC frame for the object types we carry (AAC LC and the SBR/PS signalling on top of it). */
    public static final int FRAME_SAMPLES = 1024;

    /** Real configurations are 2 to 5 bytes; anything this long is not one. */
    public static final int MAX_SIZE = 64;

    public static AacConfig parse(byte[] asc) {
        if (asc.length > MAX_SIZE) {
            throw new CodecConfigException("AudioSpecificConfig of " + asc.length + " bytes");
        }
        BitReader r = new BitReader(asc, 0, asc.length);
        int objectType = objectType(r);
        int frequencyIndex = r.bits(4);
        int rate = frequency(r, frequencyIndex);
        int channels = r.bits(4);
        if (objectType == 5 || objectType == 29) {
            // explicit SBR/PS (1.6.2.1): the extension rate, then the core object type; the sample entry carries the core
            frequency(r, r.bits(4));
            objectType = objectType(r);
        }
        if (objectType == 0 || objectType > 4) {
            throw new CodecConfigException("audio object type " + objectType + " is not AAC Main/LC/SSR/LTP");
        }
        if (channels == 0 || channels > 7) {
            throw new CodecConfigException("channel configuration " + channels + " is not supported");
        }
        if (frequencyIndex > 12) {
            throw new CodecConfigException("explicit sampling frequency " + rate + " has no ADTS index");
        }
        return new AacConfig(asc.clone(), objectType, frequencyIndex, rate, channels == 7 ? 8 : channels);
    }

    private static int objectType(BitReader r) {
        int type = r.bits(5);
        return type == 31 ? 32 + r.bits(6) : type;
    }

    private static int frequency(BitReader r, int index) {
        if (index == 15) {
            return r.bits(24);
        }
        if (index > 12) {
            throw new CodecConfigException("sampling frequency index " + index);
        }
        return RATES[index];
    }

    /** channelConfiguration as coded (7 for 7.1), for the ADTS header. */
    public int channelConfiguration() {
        return channels == 8 ? 7 : channels;
    }

    /** The RFC 6381 codecs parameter: {@code mp4a.40.N}, N the audio object type of the AudioSpecificConfig. */
    public String codecString() {
        return "mp4a.40." + ((asc[0] & 0xFF) >> 3);
    }
}
