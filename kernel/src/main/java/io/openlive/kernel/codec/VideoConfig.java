package io.openlive.kernel.codec;

import java.util.List;

/**
 * A video decoder configuration record as a sequence header carries it: H.264 ({@link AvcConfig}) or H.265
 * ({@link HevcConfig}). The muxers need the same few things of either: the record verbatim for the MP4 sample entry,
 * the NAL length size of the samples, the parameter sets for Annex B streams, the picture size and the RFC 6381 codecs
 * parameter. Usage: {@code VideoConfig c = AvcConfig.parse(record);}
 */
public sealed interface VideoConfig permits AvcConfig, HevcConfig {

    VideoCodec codec();

    /** The decoder configuration record, byte for byte as published. */
    byte[] record();

    /** Bytes of the length before each NAL unit of a sample: 1, 2 or 4. */
    int nalLengthSize();

    /** The parameter sets in the order an Annex B stream repeats them before a key frame. */
    List<byte[]> parameterSets();

    int width();

    int height();

    /** The RFC 6381 {@code codecs} parameter. */
    String codecString();
}
