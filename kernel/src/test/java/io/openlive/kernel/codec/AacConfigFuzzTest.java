package io.openlive.kernel.codec;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.openlive.kernel.fmp4.Fmp4Init;
import io.openlive.kernel.mpegts.TsSegment;

import java.util.Arrays;
import java.util.List;

/**
 * Jazzer target: arbitrary bytes as an AudioSpecificConfig yield a configuration or {@link CodecConfigException}; one
 * that parses muxes the rest of the input as an AAC frame into an init segment and an MPEG-TS segment without failing.
 */
class AacConfigFuzzTest {
    @FuzzTest(maxDuration = "30s")
    void parse(byte[] input) {
        int split = Math.min(input.length, 5);
        AacConfig config;
        try {
            config = AacConfig.parse(Arrays.copyOfRange(input, 0, split));
        } catch (CodecConfigException expected) {
            return;
        }
        Fmp4Init.of(null, config);
        TsSegment.of(null, config, List.of(), List.of(new Sample(0, 1024, 0, true, Arrays.copyOfRange(input, split, input.length))));
    }
}
