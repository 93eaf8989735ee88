package io.openlive.kernel.codec;

/** Video codecs carried in FLV/RTMP, by legacy CodecID (FLV E.4.3.1) or Enhanced RTMP FourCC. */
public enum VideoCodec {
    H264("avc1"), H265("hvc1"), AV1("av01"), VP9("vp09"), OTHER("????");

    private final String fourCc;

    VideoCodec(String fourCc) {
        this.fourCc = fourCc;
    }

    public String fourCc() {
        return fourCc;
    }

    static VideoCodec ofFourCc(int fourCc) {
        return switch (fourCc) {
            case 0x61766331 -> H264; // 'avc1'
            case 0x68766331 -> H265; // 'hvc1'
            case 0x61763031 -> AV1; // 'av01'
            case 0x76703039 -> VP9; // 'vp09'
            default -> OTHER;
        };
    }
}
