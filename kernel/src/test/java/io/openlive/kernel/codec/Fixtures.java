package io.openlive.kernel.codec;

import java.util.HexFormat;

/**
 * Configuration records captured from ffmpeg 1280x720 libx264 and 44.1 kHz stereo AAC LC output, and the hvcC records of
 * libx265 3.5 for {@code testsrc2=size=636x354} (Main 4:2:0 and range extensions 4:4:4; {@code -x265-params info=0},
 * so no SEI array with the encoder's settings).
 */
public final class Fixtures {
    public static final byte[] AVC_RECORD = HexFormat.of().parseHex(
            "0142c01fffe100176742c01fda014016ec0440000003004000000f03c60ca801000468ce0fc8");
    /** libx265 Main, 4:2:0, coded 640x360 with a conformance window to 636x354, level 2.1; its SPS has a 0x000003. */
    public static final byte[] HEVC_RECORD = HexFormat.of().parseHex(
            "0101600000009000000000003ff000fcfdf8f800000f03200001001840010c01ffff01600000030090000003000003003f95980921"
            + "0001002c42010101600000030090000003000003003fa005020169dc996566924caf016808000003000800000300c84022000100"
            + "074401c172b46240");
    public static final int HEVC_LEVEL = 63;
    public static final String HEVC_CODECS = "hvc1.1.6.L63.90";
    /** libx265 format range extensions (profile 4), 4:4:4, the same sizes. */
    public static final byte[] HEVC_444_RECORD = HexFormat.of().parseHex(
            "0104080000009e08000000003ff000fcfff8f800000f03200001001740010c01ffff0408000003009e0800000300003f95980921"
            + "0001002a4201010408000003009e0800000300003f9000a0402d3967cb2b349265780b404000000300400000064222000100084401"
            + "c172860c4624");
    /** AAC LC (2), 44100 Hz (index 4), 2 channels. */
    public static final byte[] AAC_LC_44100_STEREO = {0x12, 0x10};

    private Fixtures() {
    }

    /** An access unit of two length-prefixed NAL units (4-byte lengths): an IDR slice header stand-in and SEI. */
    public static byte[] idrAccessUnit() {
        return new byte[]{0, 0, 0, 3, 0x06, 0x05, 0x01, 0, 0, 0, 4, 0x65, (byte) 0x88, (byte) 0x84, 0x21};
    }
}
