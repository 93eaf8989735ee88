package io.openlive.kernel.codec;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.openlive.kernel.fmp4.Fmp4Fragment;
import io.openlive.kernel.fmp4.Fmp4Init;
import io.openlive.kernel.mpegts.TsSegment;

import java.util.Arrays;
import java.util.List;

/**
 * Jazzer target: arbitrary bytes as an AVC sequence header yield a configuration or {@link CodecConfigException}; a
 * configuration that parses muxes the rest of the input as an access unit into fMP4 and MPEG-TS without failing.
 */
class AvcConfigFuzzTest {
    @FuzzTest(maxDuration = "30s")
    void parse(byte[] input) {
        int split = input.length == 0 ? 0 : (input[0] & 0xFF) % (input.length + 1);
        byte[] record = Arrays.copyOfRange(input, 0, split);
        byte[] unit = Arrays.copyOfRange(input, split, input.length);
        AvcConfig config;
        try {
            config = AvcConfig.parse(record);
        } catch (CodecConfigException expected) {
            return;
        }
        Sample sample = new Sample(0, 3000, 0, true, unit);
        AnnexB.of(sample, config);
        Fmp4Init.of(config, null);
        Fmp4Fragment.of(1, List.of(sample), List.of());
        TsSegment.of(config, null, List.of(sample), List.of());
    }
}
