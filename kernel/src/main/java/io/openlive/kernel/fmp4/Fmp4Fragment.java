package io.openlive.kernel.fmp4;

import io.openlive.kernel.codec.Sample;

import java.util.List;

/**
 * One movie fragment (ISO/IEC 14496-12 8.8.4): a {@code moof} with a {@code traf} per non-empty track and the
 * {@code mdat} with their samples, video first. Each {@code traf} carries its decode time ({@code tfdt}) and a
 * {@code trun} with every sample's duration, size, flags and composition offset, and uses the {@code moof} as base for
 * data offsets, as CMAF requires (ISO/IEC 23000-19 7.5.16). A CMAF segment or an LL-HLS part is one such fragment.
 * Usage: {@code byte[] part = Fmp4Fragment.of(seq, videoSamples, audioSamples);}
 */
public final class Fmp4Fragment {
    /** 8.8.3.1 sample flags: depends on no other sample (a sync sample). */
    static final int FLAGS_SYNC = 0x02000000;
    /** 8.8.3.1 sample flags: depends on others, sample_is_non_sync_sample. */
    static final int FLAGS_NON_SYNC = 0x01010000;
    private static final int TFHD_DEFAULT_BASE_IS_MOOF = 0x020000;
    /** data-offset, sample-duration, sample-size, sample-flags and sample-composition-time-offset present (8.8.8.1). */
    private static final int TRUN_FLAGS = 0x000001 | 0x000100 | 0x000200 | 0x000400 | 0x000800;

    private Fmp4Fragment() {
    }

    /** The fragment with sequence number {@code sequence} (from 1, increasing) holding the given samples. */
    public static byte[] of(long sequence, List<Sample> video, List<Sample> audio) {
        long dataSize = size(video) + size(audio);
        BoxWriter w = new BoxWriter((int) Math.min(Integer.MAX_VALUE - 64, 256 + 16L * (video.size() + audio.size()) + dataSize));
        w.open("moof");
        w.openFull("mfhd", 0, 0).u32(sequence).close();
        int videoOffsetAt = video.isEmpty() ? -1 : trackFragment(w, Fmp4Init.VIDEO_TRACK, video);
        int audioOffsetAt = audio.isEmpty() ? -1 : trackFragment(w, Fmp4Init.AUDIO_TRACK, audio);
        w.close();
        int moofSize = w.position();
        // data_offset counts from the first byte of the moof; the samples start after the 8-byte mdat header
        if (videoOffsetAt >= 0) {
            w.putU32(videoOffsetAt, moofSize + 8);
        }
        if (audioOffsetAt >= 0) {
            w.putU32(audioOffsetAt, moofSize + 8 + size(video));
        }
        w.open("mdat");
        for (Sample s : video) {
            w.bytes(s.data());
        }
        for (Sample s : audio) {
            w.bytes(s.data());
        }
        w.close();
        return w.toByteArray();
    }

    /** Writes a traf and returns where its trun's data_offset is, to be patched once the moof size is known. */
    private static int trackFragment(BoxWriter w, int trackId, List<Sample> samples) {
        w.open("traf");
        w.openFull("tfhd", 0, TFHD_DEFAULT_BASE_IS_MOOF).u32(trackId).close();
        w.openFull("tfdt", 1, 0).u64(samples.get(0).decodeTime()).close(); // 8.8.12
        // 8.8.8 TrackRunBox version 1: signed composition offsets
        w.openFull("trun", 1, TRUN_FLAGS).u32(samples.size());
        int offsetAt = w.position();
        w.u32(0);
        for (Sample s : samples) {
            w.u32(s.duration()).u32(s.data().length).u32(s.keyframe() ? FLAGS_SYNC : FLAGS_NON_SYNC).u32(s.compositionOffset());
        }
        w.close();
        w.close();
        return offsetAt;
    }

    private static long size(List<Sample> samples) {
        long n = 0;
        for (Sample s : samples) {
            n += s.data().length;
        }
        return n;
    }
}
