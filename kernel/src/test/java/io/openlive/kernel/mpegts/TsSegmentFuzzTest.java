package io.openlive.kernel.mpegts;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.openlive.kernel.codec.AacConfig;
import io.openlive.kernel.codec.Adts;
import io.openlive.kernel.codec.AnnexB;
import io.openlive.kernel.codec.AvcConfig;
import io.openlive.kernel.codec.Fixtures;
import io.openlive.kernel.codec.HevcConfig;
import io.openlive.kernel.codec.Sample;
import io.openlive.kernel.codec.VideoConfig;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Jazzer target for the muxers' MPEG-TS side: any samples (bytes that need not be well-formed NAL units, any times,
 * composition offsets and key flags) give a segment of whole 188-byte packets, PAT and PMT first with CRCs that hold,
 * continuity counters that count by one per PID, and one PES per sample whose payload is the sample's Annex B form
 * (video) or its ADTS frame (audio), with its time stamps, in the order given. The samples come from publishers, so a muxer that throws, or
 * a segment a demuxer cannot take apart, is a bug.
 */
class TsSegmentFuzzTest {
    private static final VideoConfig[] VIDEO = {AvcConfig.parse(Fixtures.AVC_RECORD), HevcConfig.parse(Fixtures.HEVC_RECORD), null};
    private static final AacConfig AAC = AacConfig.parse(Fixtures.AAC_LC_44100_STEREO);

    @FuzzTest(maxDuration = "30s")
    void mux(FuzzedDataProvider data) {
        VideoConfig video = VIDEO[data.consumeInt(0, VIDEO.length - 1)];
        AacConfig audio = video == null || data.consumeBoolean() ? AAC : null;
        List<Sample> v = video == null ? List.of() : samples(data, 2000);
        List<Sample> a = audio == null ? List.of() : samples(data, 400);
        byte[] ts = TsSegment.of(video, audio, v, a);

        check(ts.length % 188 == 0 && ts.length >= 2 * 188, "whole packets, PAT and PMT at least: " + ts.length);
        check(pid(ts, 0) == 0 && pid(ts, 188) == TsSegment.PMT_PID, "PAT then PMT");
        for (int at : new int[]{0, 188}) {
            byte[] section = section(ts, at);
            check(Crc32Mpeg.of(section, 0, section.length) == 0, "CRC of the section at " + at);
        }
        Map<Integer, Integer> counters = new HashMap<>();
        Map<Integer, List<byte[]>> pes = new HashMap<>();
        Map<Integer, ByteArrayOutputStream> open = new HashMap<>();
        for (int i = 0; i < ts.length; i += 188) {
            check(ts[i] == 0x47, "sync byte of packet " + i / 188);
            int pid = pid(ts, i);
            Integer previous = counters.put(pid, ts[i + 3] & 0x0F);
            check(previous == null ? (ts[i + 3] & 0x0F) == 0 : (ts[i + 3] & 0x0F) == ((previous + 1) & 0x0F), "continuity of PID " + pid);
            if (pid == TsSegment.VIDEO_PID || pid == TsSegment.AUDIO_PID) {
                if ((ts[i + 1] & 0x40) != 0) {
                    ByteArrayOutputStream done = open.put(pid, new ByteArrayOutputStream());
                    if (done != null) {
                        pes.computeIfAbsent(pid, p -> new ArrayList<>()).add(done.toByteArray());
                    }
                }
                check(open.containsKey(pid), "PES data before a PES start on PID " + pid);
                int p = payloadStart(ts, i);
                check(p <= i + 188, "adaptation field inside its packet");
                open.get(pid).write(ts, p, i + 188 - p);
            }
        }
        open.forEach((pid, b) -> pes.computeIfAbsent(pid, p -> new ArrayList<>()).add(b.toByteArray()));

        List<byte[]> videoPes = pes.getOrDefault(TsSegment.VIDEO_PID, List.of());
        check(videoPes.size() == v.size(), "one video PES per sample: " + videoPes.size() + " of " + v.size());
        for (int i = 0; i < v.size(); i++) {
            Sample s = v.get(i);
            check(Arrays.equals(payload(videoPes.get(i)), AnnexB.of(s, video)), "video PES " + i + " is the sample in Annex B");
            check(pts(videoPes.get(i)) == ((s.decodeTime() + s.compositionOffset()) & MASK), "PTS of video PES " + i);
            check(dts(videoPes.get(i)) == (s.decodeTime() & MASK), "DTS of video PES " + i);
        }
        List<byte[]> audioPes = pes.getOrDefault(TsSegment.AUDIO_PID, List.of());
        List<Sample> fitting = a.stream().filter(s -> s.data().length + Adts.HEADER_SIZE <= Adts.MAX_FRAME).toList();
        check(audioPes.size() == fitting.size(), "one audio PES per frame that fits ADTS: " + audioPes.size() + " of " + fitting.size());
        for (int i = 0; i < fitting.size(); i++) {
            byte[] p = audioPes.get(i);
            int declared = ((p[4] & 0xFF) << 8) | (p[5] & 0xFF);
            check(declared == p.length - 6, "audio PES_packet_length");
            check(Arrays.equals(payload(p), Adts.frame(audio, fitting.get(i).data())), "audio PES " + i + " is the frame with its ADTS header");
            check(pts(p) == (TsSegment.audioTo90k(fitting.get(i).decodeTime(), audio) & MASK) && dts(p) == pts(p), "PTS of audio PES " + i);
        }
    }

    /** Up to 10 samples of up to {@code maxBytes} bytes, with whatever times the fuzzer gives. */
    private static List<Sample> samples(FuzzedDataProvider data, int maxBytes) {
        int n = data.consumeInt(0, 10);
        List<Sample> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(new Sample(data.consumeLong(0, Long.MAX_VALUE / 90_000), data.consumeInt(), data.consumeInt(), data.consumeBoolean(),
                    data.consumeBytes(data.consumeInt(0, maxBytes))));
        }
        return out;
    }

    /** PTS and DTS are 33 bits (2.4.3.7). */
    private static final long MASK = (1L << 33) - 1;

    private static long pts(byte[] pes) {
        return time(pes, 9);
    }

    /** The DTS, or the PTS when the PES has none (PTS_DTS_flags '10'). */
    private static long dts(byte[] pes) {
        return (pes[7] & 0x40) != 0 ? time(pes, 14) : pts(pes);
    }

    private static long time(byte[] p, int at) {
        return ((long) (p[at] & 0x0E) << 29) | ((p[at + 1] & 0xFFL) << 22) | ((long) (p[at + 2] & 0xFE) << 14)
                | ((p[at + 3] & 0xFFL) << 7) | ((p[at + 4] & 0xFF) >> 1);
    }

    private static int pid(byte[] ts, int at) {
        return ((ts[at + 1] & 0x1F) << 8) | (ts[at + 2] & 0xFF);
    }

    private static int payloadStart(byte[] ts, int at) {
        int control = (ts[at + 3] >> 4) & 3;
        return at + 4 + (control == 3 ? 1 + (ts[at + 4] & 0xFF) : 0);
    }

    private static byte[] section(byte[] ts, int at) {
        int p = payloadStart(ts, at);
        p += 1 + (ts[p] & 0xFF); // pointer_field
        int length = ((ts[p + 1] & 0x0F) << 8) | (ts[p + 2] & 0xFF);
        return Arrays.copyOfRange(ts, p, p + 3 + length);
    }

    private static byte[] payload(byte[] pes) {
        check(pes.length >= 9 && pes[0] == 0 && pes[1] == 0 && pes[2] == 1, "PES start code");
        return Arrays.copyOfRange(pes, 9 + (pes[8] & 0xFF), pes.length);
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new AssertionError(what);
        }
    }
}
