package io.openlive.kernel.mpegts;

import io.openlive.kernel.codec.AacConfig;
import io.openlive.kernel.codec.AnnexB;
import io.openlive.kernel.codec.AvcConfig;
import io.openlive.kernel.codec.Fixtures;
import io.openlive.kernel.codec.HevcConfig;
import io.openlive.kernel.codec.Sample;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class TsSegmentTest {
    private final AvcConfig avc = AvcConfig.parse(Fixtures.AVC_RECORD);
    private final AacConfig aac = AacConfig.parse(Fixtures.AAC_LC_44100_STEREO);

    /** One PES reassembled from its transport packets, with what its first packet said. */
    record Pes(int pid, byte[] bytes, boolean randomAccess, long pcr) {
        long pts() {
            return time(9);
        }

        long dts() {
            return (bytes[7] & 0x40) != 0 ? time(14) : pts();
        }

        private long time(int at) {
            return ((long) (bytes[at] & 0x0E) << 29) | ((bytes[at + 1] & 0xFFL) << 22) | ((long) (bytes[at + 2] & 0xFE) << 14)
                    | ((bytes[at + 3] & 0xFFL) << 7) | ((bytes[at + 4] & 0xFF) >> 1);
        }

        byte[] payload() {
            return java.util.Arrays.copyOfRange(bytes, 9 + (bytes[8] & 0xFF), bytes.length);
        }
    }

    @Test
    void segmentStartsWithPatAndPmtWhoseCrcsHold() {
        byte[] ts = TsSegment.of(avc, aac, videoSamples(), audioSamples());
        assertThat(ts.length % 188).isZero();
        for (int i = 0; i < ts.length; i += 188) {
            assertThat(ts[i]).isEqualTo((byte) 0x47);
        }
        assertThat(pid(ts, 0)).isEqualTo(0);
        assertThat(pid(ts, 188)).isEqualTo(TsSegment.PMT_PID);
        byte[] pat = section(ts, 0);
        assertThat(Crc32Mpeg.of(pat, 0, pat.length)).as("CRC over a section with its CRC is 0").isZero();
        assertThat(((pat[10] & 0x1F) << 8) | (pat[11] & 0xFF)).isEqualTo(TsSegment.PMT_PID);
        byte[] pmt = section(ts, 188);
        assertThat(Crc32Mpeg.of(pmt, 0, pmt.length)).isZero();
        assertThat(((pmt[8] & 0x1F) << 8) | (pmt[9] & 0xFF)).as("PCR PID").isEqualTo(TsSegment.VIDEO_PID);
        assertThat(pmt[12]).isEqualTo((byte) TsSegment.STREAM_TYPE_AVC);
        assertThat(pmt[17]).isEqualTo((byte) TsSegment.STREAM_TYPE_AAC_ADTS);
    }

    @Test
    void continuityCountersIncreaseByOnePerPid() {
        byte[] ts = TsSegment.of(avc, aac, videoSamples(), audioSamples());
        Map<Integer, Integer> last = new HashMap<>();
        for (int i = 0; i < ts.length; i += 188) {
            int pid = pid(ts, i);
            int cc = ts[i + 3] & 0x0F;
            Integer prev = last.put(pid, cc);
            assertThat(cc).isEqualTo(prev == null ? 0 : (prev + 1) & 0x0F);
        }
        assertThat(last).containsKeys(TsSegment.VIDEO_PID, TsSegment.AUDIO_PID);
    }

    @Test
    void pesPacketsCarryAnnexBVideoAndAdtsAudioInDecodeOrderWithTimestamps() {
        List<Sample> video = videoSamples();
        List<Sample> audio = audioSamples();
        List<Pes> pes = demux(TsSegment.of(avc, aac, video, audio));
        List<Pes> videoPes = pes.stream().filter(p -> p.pid == TsSegment.VIDEO_PID).toList();
        List<Pes> audioPes = pes.stream().filter(p -> p.pid == TsSegment.AUDIO_PID).toList();
        assertThat(videoPes).hasSize(video.size());
        assertThat(audioPes).hasSize(audio.size());
        for (int i = 0; i < video.size(); i++) {
            Pes p = videoPes.get(i);
            assertThat(p.payload()).isEqualTo(AnnexB.of(video.get(i), avc));
            assertThat(p.dts()).isEqualTo(video.get(i).decodeTime());
            assertThat(p.pts()).isEqualTo(video.get(i).decodeTime() + video.get(i).compositionOffset());
            assertThat(p.randomAccess()).isEqualTo(video.get(i).keyframe());
            assertThat(p.pcr()).as("PCR on every video PES").isEqualTo(p.dts());
        }
        for (int i = 0; i < audio.size(); i++) {
            Pes p = audioPes.get(i);
            byte[] adts = p.payload();
            assertThat(adts[0] & 0xFF).isEqualTo(0xFF);
            assertThat(java.util.Arrays.copyOfRange(adts, 7, adts.length)).isEqualTo(audio.get(i).data());
            assertThat(p.pts()).isEqualTo(audio.get(i).decodeTime() * 90_000 / 44_100);
            int declared = ((p.bytes[4] & 0xFF) << 8) | (p.bytes[5] & 0xFF);
            assertThat(declared).as("audio PES_packet_length").isEqualTo(p.bytes.length - 6);
        }
        long lastDts = -1;
        for (Pes p : pes) {
            long t = p.dts();
            assertThat(t).as("interleaved in decode order").isGreaterThanOrEqualTo(lastDts - 1);
            lastDts = t;
        }
    }

    @Test
    void hevcIsStreamType0x24InAnnexBWithItsDelimiterAndParameterSetsOnKeyFrames() {
        HevcConfig hevc = HevcConfig.parse(Fixtures.HEVC_RECORD);
        // IDR_W_RADL (nal_unit_type 19) and TRAIL_R (1) stand-ins, 4-byte lengths
        Sample key = new Sample(90_000, 3600, 7200, true, new byte[]{0, 0, 0, 3, 0x26, 0x01, (byte) 0xAF});
        Sample inter = new Sample(93_600, 3600, 0, false, new byte[]{0, 0, 0, 3, 0x02, 0x01, (byte) 0xD0});
        byte[] ts = TsSegment.of(hevc, null, List.of(key, inter), List.of());
        byte[] pmt = section(ts, 188);
        assertThat(pmt[12]).isEqualTo((byte) TsSegment.STREAM_TYPE_HEVC);
        List<Pes> pes = demux(ts);
        assertThat(pes).hasSize(2);
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        expected.writeBytes(new byte[]{0, 0, 0, 1, 0x46, 0x01, 0x50}); // access unit delimiter, H.265 7.3.2.5
        for (byte[] set : List.of(hevc.vps().get(0), hevc.sps().get(0), hevc.pps().get(0))) {
            expected.writeBytes(new byte[]{0, 0, 0, 1});
            expected.writeBytes(set);
        }
        expected.writeBytes(new byte[]{0, 0, 0, 1, 0x26, 0x01, (byte) 0xAF});
        assertThat(pes.get(0).payload()).isEqualTo(expected.toByteArray());
        assertThat(pes.get(0).pts() - pes.get(0).dts()).isEqualTo(7200);
        assertThat(pes.get(1).payload()).isEqualTo(new byte[]{0, 0, 0, 1, 0x46, 0x01, 0x50, 0, 0, 0, 1, 0x02, 0x01, (byte) 0xD0});
    }

    @Test
    void hevcKeyFrameThatCarriesItsParameterSetsGetsNoSecondCopy() {
        HevcConfig hevc = HevcConfig.parse(Fixtures.HEVC_RECORD);
        byte[] vps = hevc.vps().get(0);
        byte[] unit = new byte[4 + vps.length + 7];
        unit[3] = (byte) vps.length;
        System.arraycopy(vps, 0, unit, 4, vps.length);
        System.arraycopy(new byte[]{0, 0, 0, 3, 0x26, 0x01, (byte) 0xAF}, 0, unit, 4 + vps.length, 7);
        byte[] es = AnnexB.of(new Sample(0, 3600, 0, true, unit), hevc);
        assertThat(es).hasSize(7 + 4 + vps.length + 4 + 3);
    }

    @Test
    void largeAccessUnitsSpanManyPacketsAndEveryPacketSizeOfPayloadFits() {
        for (int size = 150; size < 560; size++) {
            Sample s = new Sample(90_000, 3000, 0, false, unit(size));
            List<Pes> pes = demux(TsSegment.of(avc, null, List.of(s), List.of()));
            assertThat(pes).hasSize(1);
            assertThat(pes.get(0).payload()).isEqualTo(AnnexB.of(s, avc));
        }
    }

    private static byte[] unit(int size) {
        byte[] u = new byte[size + 4];
        u[0] = (byte) (size >> 24);
        u[1] = (byte) (size >> 16);
        u[2] = (byte) (size >> 8);
        u[3] = (byte) size;
        u[4] = 0x41;
        for (int i = 5; i < u.length; i++) {
            u[i] = (byte) i;
        }
        return u;
    }

    private static List<Sample> videoSamples() {
        List<Sample> s = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            s.add(new Sample(i * 3000L, 3000, i % 3 == 1 ? 6000 : 0, i == 0, i == 0 ? Fixtures.idrAccessUnit() : unit(300 + 97 * i)));
        }
        return s;
    }

    private static List<Sample> audioSamples() {
        List<Sample> s = new ArrayList<>();
        for (int i = 0; i < 14; i++) {
            byte[] frame = new byte[200 + i];
            java.util.Arrays.fill(frame, (byte) i);
            s.add(new Sample(i * 1024L, 1024, 0, true, frame));
        }
        return s;
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
        return java.util.Arrays.copyOfRange(ts, p, p + 3 + length);
    }

    private static List<Pes> demux(byte[] ts) {
        List<Pes> out = new ArrayList<>();
        Map<Integer, ByteArrayOutputStream> open = new HashMap<>();
        Map<Integer, long[]> info = new HashMap<>();
        for (int i = 0; i < ts.length; i += 188) {
            int pid = pid(ts, i);
            if (pid != TsSegment.VIDEO_PID && pid != TsSegment.AUDIO_PID) {
                continue;
            }
            boolean start = (ts[i + 1] & 0x40) != 0;
            if (start) {
                flush(out, open, info, pid);
                open.put(pid, new ByteArrayOutputStream());
                long rai = 0;
                long pcr = -1;
                if (((ts[i + 3] >> 4) & 3) == 3 && (ts[i + 4] & 0xFF) > 0) {
                    int flags = ts[i + 5] & 0xFF;
                    rai = (flags & 0x40) != 0 ? 1 : 0;
                    if ((flags & 0x10) != 0) {
                        pcr = ((ts[i + 6] & 0xFFL) << 25) | ((ts[i + 7] & 0xFFL) << 17) | ((ts[i + 8] & 0xFFL) << 9)
                                | ((ts[i + 9] & 0xFFL) << 1) | ((ts[i + 10] & 0xFF) >> 7);
                    }
                }
                info.put(pid, new long[]{rai, pcr});
            }
            int p = payloadStart(ts, i);
            open.get(pid).write(ts, p, i + 188 - p);
        }
        for (int pid : List.copyOf(open.keySet())) {
            flush(out, open, info, pid);
        }
        out.sort(java.util.Comparator.comparingLong(Pes::dts));
        return out;
    }

    private static void flush(List<Pes> out, Map<Integer, ByteArrayOutputStream> open, Map<Integer, long[]> info, int pid) {
        ByteArrayOutputStream b = open.remove(pid);
        if (b != null) {
            long[] i = info.get(pid);
            out.add(new Pes(pid, b.toByteArray(), i[0] == 1, i[1]));
        }
    }
}
