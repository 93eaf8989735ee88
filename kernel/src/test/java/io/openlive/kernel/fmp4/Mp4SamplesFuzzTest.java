package io.openlive.kernel.fmp4;

import com.code_intelligence.jazzer.junit.FuzzTest;

/** Jazzer target: arbitrary bytes as a finished recording yield its samples or {@link Fmp4Exception}, nothing else. */
class Mp4SamplesFuzzTest {
    @FuzzTest(maxDuration = "30s")
    void read(byte[] input) throws Exception {
        try {
            Mp4Samples.read(new FragmentedIndexFuzzTest.Bytes(input));
        } catch (Fmp4Exception expected) {
            // the declared failure
        }
    }
}
