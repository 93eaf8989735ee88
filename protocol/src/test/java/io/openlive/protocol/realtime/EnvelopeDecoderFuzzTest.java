package io.openlive.protocol.realtime;

import com.code_intelligence.jazzer.junit.FuzzTest;

/** Jazzer target: any client frame decodes to an envelope or fails with {@link EnvelopeException}; nothing else escapes. */
class EnvelopeDecoderFuzzTest {
    private static final EnvelopeDecoder DECODER = new EnvelopeDecoder(EnvelopeDecoder.DEFAULT_MAX_FRAME_BYTES);

    @FuzzTest(maxDuration = "30s")
    void decode(byte[] input) {
        try {
            DECODER.decode(input);
        } catch (EnvelopeException expected) {
            // the declared failure
        }
    }
}
