package io.openlive.kernel.codec;

import java.util.HexFormat;

/** Configuration records captured from ffmpeg 1280x720 libx264 and 44.1 kHz stereo AAC LC output. */
public final class Fixtures {
    public static final byte[] AVC_RECORD = HexFormat.of().parseHex(
            "0142c01fffe100176742c01fda014016ec0440000003004000000f03c60ca801000468ce0fc8");
    /** AAC LC (2), 44100 Hz (index 4), 2 channels. */
    public static final byte[] AAC_LC_44100_STEREO = {0x12, 0x10};

    private Fixtures() {
    }

    /** An access unit of two length-prefixed NAL units (4-byte lengths): an IDR slice header stand-in and SEI. */
    public static byte[] idrAccessUnit() {
        return new byte[]{0, 0, 0, 3, 0x06, 0x05, 0x01, 0, 0, 0, 4, 0x65, (byte) 0x88, (byte) 0x84, 0x21};
    }
}
