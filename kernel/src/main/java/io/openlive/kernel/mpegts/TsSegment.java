package io.openlive.kernel.mpegts;

import io.openlive.kernel.codec.AacConfig;
import io.openlive.kernel.codec.Adts;
import io.openlive.kernel.codec.AnnexB;
import io.openlive.kernel.codec.CodecConfigException;
import io.openlive.kernel.codec.Sample;
import io.openlive.kernel.codec.VideoCodec;
import io.openlive.kernel.codec.VideoConfig;

import java.util.List;

/**
 * One MPEG-TS media segment (ISO/IEC 13818-1) of H.264 or H.265 and AAC, self-contained as RFC 8216 3.2 asks: PAT and PMT first,
 * then the samples of both tracks interleaved in decode order, one PES packet each; video in Annex B with an access unit
 * delimiter and SPS/PPS on key frames, audio as ADTS frames. The PCR rides on the video PID (the audio PID without
 * video) at every PES. Continuity counters start at 0 in every segment. Usage:
 * {@code byte[] ts = TsSegment.of(videoConfig, aac, videoSamples, audioSamples);}
 */
public final class TsSegment {
    public static final int PMT_PID = 0x1000;
    public static final int VIDEO_PID = 0x100;
    public static final int AUDIO_PID = 0x101;
    static final int STREAM_TYPE_AVC = 0x1B;
    /** 2.4.4.9 Table 2-34: HEVC video stream (ISO/IEC 13818-1 2.17). */
    static final int STREAM_TYPE_HEVC = 0x24;
    static final int STREAM_TYPE_AAC_ADTS = 0x0F;
    private static final long TIMESTAMP_MASK = (1L << 33) - 1;

    private TsSegment() {
    }

    /**
     * Video times are in 90 kHz, audio times in the sample rate (as {@link Sample} says); either track may be absent
     * ({@code null} config). An audio frame too long for ADTS is left out.
     */
    public static byte[] of(VideoConfig videoConfig, AacConfig aac, List<Sample> video, List<Sample> audio) {
        long bytes = 0;
        for (Sample s : video) {
            bytes += s.data().length + 64;
        }
        for (Sample s : audio) {
            bytes += s.data().length + 32;
        }
        TsPackets out = new TsPackets((int) Math.min(1 << 30, bytes * 190 / 184 + 2 * TsPackets.SIZE));
        boolean hasVideo = videoConfig != null;
        boolean hasAudio = aac != null;
        int pcrPid = hasVideo ? VIDEO_PID : AUDIO_PID;
        out.section(0, pat());
        out.section(PMT_PID, pmt(hasVideo ? streamType(videoConfig) : 0, hasAudio, pcrPid));
        int v = 0;
        int a = 0;
        List<Sample> videoSamples = hasVideo ? video : List.of();
        List<Sample> audioSamples = hasAudio ? audio : List.of();
        while (v < videoSamples.size() || a < audioSamples.size()) {
            boolean takeVideo = a >= audioSamples.size() || (v < videoSamples.size()
                    && videoSamples.get(v).decodeTime() <= audioTo90k(audioSamples.get(a).decodeTime(), aac));
            if (takeVideo) {
                Sample s = videoSamples.get(v++);
                long dts = s.decodeTime() & TIMESTAMP_MASK;
                long pts = (s.decodeTime() + s.compositionOffset()) & TIMESTAMP_MASK;
                byte[] pes = pes(0xE0, AnnexB.of(s, videoConfig), pts, dts, false);
                out.pes(VIDEO_PID, pes, s.keyframe(), pcrPid == VIDEO_PID ? dts : -1);
            } else {
                Sample s = audioSamples.get(a++);
                byte[] frame;
                try {
                    frame = Adts.frame(aac, s.data());
                } catch (CodecConfigException tooLong) {
                    continue;
                }
                long pts = audioTo90k(s.decodeTime(), aac) & TIMESTAMP_MASK;
                out.pes(AUDIO_PID, pes(0xC0, frame, pts, pts, true), pcrPid == AUDIO_PID, pcrPid == AUDIO_PID ? pts : -1);
            }
        }
        return out.toByteArray();
    }

    static long audioTo90k(long time, AacConfig aac) {
        return time * 90_000 / aac.sampleRate();
    }

    private static int streamType(VideoConfig video) {
        return video.codec() == VideoCodec.H265 ? STREAM_TYPE_HEVC : STREAM_TYPE_AVC;
    }

    /** 2.4.4.3 program_association_section: program 1 at {@link #PMT_PID}. */
    private static byte[] pat() {
        byte[] s = new byte[8 + 4 + 4];
        header(s, 0x00, 1);
        s[8] = 0;
        s[9] = 1; // program_number 1
        s[10] = (byte) (0xE0 | (PMT_PID >> 8));
        s[11] = (byte) PMT_PID;
        crc(s);
        return s;
    }

    /** 2.4.4.8 TS_program_map_section. */
    private static byte[] pmt(int videoType, boolean audio, int pcrPid) {
        boolean video = videoType != 0;
        int streams = (video ? 1 : 0) + (audio ? 1 : 0);
        byte[] s = new byte[12 + 5 * streams + 4];
        header(s, 0x02, 1);
        s[8] = (byte) (0xE0 | (pcrPid >> 8));
        s[9] = (byte) pcrPid;
        s[10] = (byte) 0xF0; // program_info_length 0
        s[11] = 0;
        int p = 12;
        if (video) {
            stream(s, p, videoType, VIDEO_PID);
            p += 5;
        }
        if (audio) {
            stream(s, p, STREAM_TYPE_AAC_ADTS, AUDIO_PID);
        }
        crc(s);
        return s;
    }

    private static void stream(byte[] s, int p, int type, int pid) {
        s[p] = (byte) type;
        s[p + 1] = (byte) (0xE0 | (pid >> 8));
        s[p + 2] = (byte) pid;
        s[p + 3] = (byte) 0xF0; // ES_info_length 0
        s[p + 4] = 0;
    }

    /** table_id, section_syntax_indicator, section_length, the id (transport_stream_id or program_number), version 0. */
    private static void header(byte[] s, int tableId, int id) {
        int sectionLength = s.length - 3;
        s[0] = (byte) tableId;
        s[1] = (byte) (0xB0 | (sectionLength >> 8));
        s[2] = (byte) sectionLength;
        s[3] = (byte) (id >> 8);
        s[4] = (byte) id;
        s[5] = (byte) 0xC1; // reserved, version_number 0, current_next_indicator 1
        s[6] = 0; // section_number
        s[7] = 0; // last_section_number
    }

    private static void crc(byte[] s) {
        int crc = Crc32Mpeg.of(s, 0, s.length - 4);
        s[s.length - 4] = (byte) (crc >> 24);
        s[s.length - 3] = (byte) (crc >> 16);
        s[s.length - 2] = (byte) (crc >> 8);
        s[s.length - 1] = (byte) crc;
    }

    /**
     * 2.4.3.6 PES_packet with PTS, and DTS when it differs. Video may leave PES_packet_length 0 (unbounded) in a
     * transport stream; audio gives it.
     */
    private static byte[] pes(int streamId, byte[] es, long pts, long dts, boolean bounded) {
        boolean withDts = dts != pts;
        int headerData = withDts ? 10 : 5;
        byte[] p = new byte[9 + headerData + es.length];
        p[2] = 1;
        p[3] = (byte) streamId;
        int length = 3 + headerData + es.length;
        if (bounded || length <= 0xFFFF) {
            p[4] = (byte) (length >> 8);
            p[5] = (byte) length;
        }
        p[6] = (byte) 0x84; // '10', data_alignment_indicator: the PES starts with an access unit
        p[7] = (byte) (withDts ? 0xC0 : 0x80);
        p[8] = (byte) headerData;
        timestamp(p, 9, withDts ? 0x3 : 0x2, pts);
        if (withDts) {
            timestamp(p, 14, 0x1, dts);
        }
        System.arraycopy(es, 0, p, 9 + headerData, es.length);
        return p;
    }

    /** A 33-bit PTS or DTS in five bytes with marker bits (2.4.3.7). */
    private static void timestamp(byte[] p, int at, int prefix, long t) {
        p[at] = (byte) ((prefix << 4) | (((t >> 30) & 0x07) << 1) | 1);
        p[at + 1] = (byte) (t >> 22);
        p[at + 2] = (byte) ((((t >> 15) & 0x7F) << 1) | 1);
        p[at + 3] = (byte) (t >> 7);
        p[at + 4] = (byte) (((t & 0x7F) << 1) | 1);
    }
}
