package io.openlive.kernel.codec;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.openlive.kernel.fmp4.Fmp4Fragment;
import io.openlive.kernel.fmp4.Fmp4Init;
import io.openlive.kernel.mpegts.TsSegment;

import java.util.Arrays;
import java.util.List;

/**
 * Jazzer target: arbitrary bytes as an H.265 sequence start (after a two-byte length) yield a configuration or
 * {@link CodecConfigException}; a configuration that parses gives a codecs string and muxes the rest of the input as an
 * access unit into fMP4 and MPEG-TS without failing.
 */
class HevcConfigFuzzTest {
    @FuzzTest(maxDuration = "30s")
    void parse(byte[] input) {
        if (input.length < 2) {
            return;
        }
        // two bytes give the record's length, so a record can start with its version byte 1 (the seed is a real one)
        int split = Math.min(input.length, 2 + (((input[0] & 0xFF) << 8) | (input[1] & 0xFF)));
        byte[] record = Arrays.copyOfRange(input, 2, split);
        byte[] unit = Arrays.copyOfRange(input, split, input.length);
        HevcConfig config;
        try {
            config = HevcConfig.parse(record);
        } catch (CodecConfigException expected) {
            return;
        }
        config.codecString();
        Sample sample = new Sample(0, 3000, 0, true, unit);
        AnnexB.of(sample, config);
        Fmp4Init.of(config, null);
        Fmp4Fragment.of(1, List.of(sample), List.of());
        TsSegment.of(config, null, List.of(sample), List.of());
    }
}
