package io.openlive.kernel.fmp4;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.openlive.kernel.codec.AacConfig;
import io.openlive.kernel.codec.AvcConfig;
import io.openlive.kernel.codec.Fixtures;
import io.openlive.kernel.codec.HevcConfig;
import io.openlive.kernel.codec.Sample;
import io.openlive.kernel.codec.VideoConfig;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Jazzer target for the muxers' fMP4 side: any samples (sizes, times, durations, composition offsets, key flags, bytes)
 * muxed by {@link Fmp4Init} and {@link Fmp4Fragment} into a file read back by {@link FragmentedIndex} give every sample
 * back where and as it was written, fragment by fragment, video run before audio run. The muxers take the publisher's
 * frames as they come, so nothing about them may be assumed here; a muxer throwing, or an index that disagrees, is a bug.
 */
class Fmp4MuxerFuzzTest {
    private static final VideoConfig[] VIDEO = {AvcConfig.parse(Fixtures.AVC_RECORD), HevcConfig.parse(Fixtures.HEVC_RECORD), null};
    private static final AacConfig AAC = AacConfig.parse(Fixtures.AAC_LC_44100_STEREO);

    @FuzzTest(maxDuration = "30s")
    void roundTrip(FuzzedDataProvider data) throws Exception {
        VideoConfig video = VIDEO[data.consumeInt(0, VIDEO.length - 1)];
        AacConfig audio = video == null || data.consumeBoolean() ? AAC : null;
        byte[] file = Fmp4Init.of(video, audio);
        List<List<Sample>> written = new ArrayList<>(); // per run, in file order
        int fragments = data.consumeInt(1, 4);
        for (int f = 0; f < fragments; f++) {
            List<Sample> v = video == null ? List.of() : samples(data);
            List<Sample> a = audio == null ? List.of() : samples(data);
            byte[] fragment = Fmp4Fragment.of(f + 1, v, a);
            file = concat(file, fragment);
            if (!v.isEmpty()) {
                written.add(v);
            }
            if (!a.isEmpty()) {
                written.add(a);
            }
        }
        FragmentedIndex index = FragmentedIndex.read(new FragmentedIndexFuzzTest.Bytes(file));
        check(index.runs().size() == written.size(), "runs: " + index.runs().size() + " read, " + written.size() + " written");
        check(index.completeLength() == file.length, "complete length " + index.completeLength() + " of " + file.length);
        for (int r = 0; r < written.size(); r++) {
            FragmentedIndex.Run run = index.runs().get(r);
            List<Sample> samples = written.get(r);
            check(run.baseDecodeTime() == samples.get(0).decodeTime(), "tfdt of run " + r);
            check(run.samples().size() == samples.size(), "samples of run " + r);
            for (int i = 0; i < samples.size(); i++) {
                Sample s = samples.get(i);
                FragmentedIndex.SampleRef ref = run.samples().get(i);
                check(ref.size() == s.data().length && ref.duration() == s.duration()
                        && ref.compositionOffset() == s.compositionOffset() && ref.sync() == s.keyframe(), "sample " + i + " of run " + r);
                check(Arrays.equals(file, (int) ref.offset(), (int) ref.offset() + ref.size(), s.data(), 0, s.data().length),
                        "bytes of sample " + i + " of run " + r);
            }
        }
    }

    /** Up to 12 samples with whatever times and bytes the fuzzer gives. */
    static List<Sample> samples(FuzzedDataProvider data) {
        int n = data.consumeInt(0, 12);
        List<Sample> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(new Sample(data.consumeLong(), data.consumeInt(), data.consumeInt(), data.consumeBoolean(),
                    data.consumeBytes(data.consumeInt(0, 600))));
        }
        return out;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new AssertionError(what);
        }
    }
}
