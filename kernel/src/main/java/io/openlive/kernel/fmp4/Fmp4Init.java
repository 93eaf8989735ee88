package io.openlive.kernel.fmp4;

import io.openlive.kernel.codec.AacConfig;
import io.openlive.kernel.codec.VideoCodec;
import io.openlive.kernel.codec.VideoConfig;

/**
 * The initialization segment of a fragmented MP4 / CMAF stream (ISO/IEC 14496-12 8.8, ISO/IEC 23000-19 7.3): {@code ftyp}
 * and a {@code moov} with an empty sample table per track and {@code mvex}, so every sample comes in fragments. Track 1
 * is video: H.264 ({@code avc1} with the {@code avcC} record as published) or H.265 ({@code hvc1} with the {@code hvcC}
 * record as published; {@code hvc1} rather than {@code hev1} because Apple's players play only that), track 2 AAC audio
 * ({@code mp4a} with {@code esds}); either may be absent. Usage: {@code byte[] init = Fmp4Init.of(video, audio);}
 */
public final class Fmp4Init {
    public static final int VIDEO_TRACK = 1;
    public static final int AUDIO_TRACK = 2;
    /** Video timescale: the MPEG 90 kHz clock, so times convert to MPEG-TS without rounding. */
    public static final int VIDEO_TIMESCALE = 90_000;
    private static final int MOVIE_TIMESCALE = 1000;
    private static final int[] UNITY_MATRIX = {0x00010000, 0, 0, 0, 0x00010000, 0, 0, 0, 0x40000000};

    private Fmp4Init() {
    }

    /** The init segment for the given tracks; at least one must be present. */
    public static byte[] of(VideoConfig video, AacConfig audio) {
        if (video == null && audio == null) {
            throw new IllegalArgumentException("an init segment needs a track");
        }
        BoxWriter w = new BoxWriter(1024);
        // 4.3 FileTypeBox; 'cmfc' is the CMAF brand (ISO/IEC 23000-19 7.2)
        w.open("ftyp").fourCc("iso6").u32(0).fourCc("iso6").fourCc("cmfc").fourCc("mp41").close();
        w.open("moov");
        movieHeader(w);
        if (video != null) {
            track(w, VIDEO_TRACK, VIDEO_TIMESCALE, video.width(), video.height(), false,
                    () -> videoEntry(w, video));
        }
        if (audio != null) {
            track(w, AUDIO_TRACK, audio.sampleRate(), 0, 0, true, () -> audioEntry(w, audio));
        }
        w.open("mvex"); // 8.8.1: the movie continues in fragments
        for (int id : new int[]{VIDEO_TRACK, AUDIO_TRACK}) {
            if ((id == VIDEO_TRACK ? video : audio) != null) {
                // 8.8.3 TrackExtendsBox: every fragment gives its own durations, sizes and flags
                w.openFull("trex", 0, 0).u32(id).u32(1).u32(0).u32(0).u32(0).close();
            }
        }
        w.close();
        w.close();
        return w.toByteArray();
    }

    private static void movieHeader(BoxWriter w) {
        // 8.2.2 MovieHeaderBox version 0; duration 0: unknown, given by the fragments
        w.openFull("mvhd", 0, 0).u32(0).u32(0).u32(MOVIE_TIMESCALE).u32(0)
                .u32(0x00010000).u16(0x0100).zeros(2 + 8);
        matrix(w);
        w.zeros(24).u32(AUDIO_TRACK + 1).close();
    }

    private static void track(BoxWriter w, int id, int timescale, int width, int height, boolean audio, Runnable sampleEntry) {
        w.open("trak");
        // 8.3.2 TrackHeaderBox, flags track_enabled | track_in_movie
        w.openFull("tkhd", 0, 3).u32(0).u32(0).u32(id).u32(0).u32(0).zeros(8)
                .u16(0).u16(0).u16(audio ? 0x0100 : 0).u16(0);
        matrix(w);
        w.u32((long) width << 16).u32((long) height << 16).close();
        w.open("mdia");
        // 8.4.2 MediaHeaderBox; language 'und' packed as three 5-bit letters
        w.openFull("mdhd", 0, 0).u32(0).u32(0).u32(timescale).u32(0).u16(0x55C4).u16(0).close();
        // 8.4.3 HandlerBox
        w.openFull("hdlr", 0, 0).u32(0).fourCc(audio ? "soun" : "vide").zeros(12)
                .bytes((audio ? "SoundHandler" : "VideoHandler").getBytes(java.nio.charset.StandardCharsets.US_ASCII)).u8(0).close();
        w.open("minf");
        if (audio) {
            w.openFull("smhd", 0, 0).u16(0).u16(0).close(); // 12.2.2
        } else {
            w.openFull("vmhd", 0, 1).u16(0).zeros(6).close(); // 12.1.2
        }
        // 8.7.1 DataInformationBox: one self-contained data reference
        w.open("dinf").openFull("dref", 0, 0).u32(1).openFull("url ", 0, 1).close().close().close();
        w.open("stbl");
        w.openFull("stsd", 0, 0).u32(1);
        sampleEntry.run();
        w.close();
        w.openFull("stts", 0, 0).u32(0).close();
        w.openFull("stsc", 0, 0).u32(0).close();
        w.openFull("stsz", 0, 0).u32(0).u32(0).close();
        w.openFull("stco", 0, 0).u32(0).close();
        w.close(); // stbl
        w.close(); // minf
        w.close(); // mdia
        w.close(); // trak
    }

    private static void videoEntry(BoxWriter w, VideoConfig video) {
        // 12.1.3 VisualSampleEntry; ISO/IEC 14496-15 5.4.2 AVCSampleEntry, 8.4.1 HEVCSampleEntry
        boolean hevc = video.codec() == VideoCodec.H265;
        w.open(hevc ? "hvc1" : "avc1").zeros(6).u16(1).zeros(16).u16(video.width()).u16(video.height())
                .u32(0x00480000).u32(0x00480000).u32(0).u16(1).zeros(32).u16(0x0018).u16(0xFFFF);
        w.open(hevc ? "hvcC" : "avcC").bytes(video.record()).close();
        w.close();
    }

    private static void audioEntry(BoxWriter w, AacConfig audio) {
        // 12.2.3 AudioSampleEntry; ISO/IEC 14496-14 5.6 MP4AudioSampleEntry
        w.open("mp4a").zeros(6).u16(1).zeros(8).u16(audio.channels()).u16(16).u16(0).u16(0)
                .u32((long) Math.min(audio.sampleRate(), 0xFFFF) << 16);
        w.openFull("esds", 0, 0);
        byte[] asc = audio.asc();
        // ISO/IEC 14496-1 7.2.6.5 ES_Descriptor > 7.2.6.6 DecoderConfigDescriptor > DecoderSpecificInfo, 7.3.2.3 SLConfig
        int decSpecific = 2 + asc.length;
        int decoderConfig = 2 + 13 + decSpecific;
        int sl = 3;
        descriptor(w, 0x03, 3 + decoderConfig + sl).u16(0).u8(0);
        descriptor(w, 0x04, 13 + decSpecific).u8(0x40) // objectTypeIndication: Audio ISO/IEC 14496-3
                .u8(0x15) // streamType 5 (audio) << 2 | upStream 0 | reserved 1
                .u24(0).u32(0).u32(0);
        descriptor(w, 0x05, asc.length).bytes(asc);
        descriptor(w, 0x06, 1).u8(0x02); // predefined: MP4
        w.close();
        w.close();
    }

    /** A descriptor tag and its size; all sizes here are below 128, so one length byte (14496-1 8.3.3). */
    private static BoxWriter descriptor(BoxWriter w, int tag, int size) {
        if (size > 127) {
            throw new IllegalArgumentException("descriptor of " + size + " bytes");
        }
        return w.u8(tag).u8(size);
    }

    private static void matrix(BoxWriter w) {
        for (int v : UNITY_MATRIX) {
            w.u32(v);
        }
    }
}
