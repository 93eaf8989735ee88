package io.openlive.engine.hls;

import io.openlive.kernel.codec.AacConfig;
import io.openlive.kernel.codec.Sample;
import io.openlive.kernel.codec.VideoConfig;
import io.openlive.kernel.mpegts.TsSegment;

import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.util.List;

/**
 * A complete media segment: its parts (fMP4), the same bytes as one segment, and its samples, from which the MPEG-TS form
 * is muxed on first request and kept. Each form is also a {@link SharedBytes}, whose direct copy responses send. Immutable
 * but for those memos, which any thread may fill.
 */
public final class HlsSegment {
    private final long msn;
    private final double duration;
    private final Instant programDateTime;
    private final boolean discontinuity;
    private final int initVersion;
    private final List<HlsPart> parts;
    private final SharedBytes fmp4;
    private final VideoConfig videoConfig;
    private final AacConfig aac;
    private final List<Sample> video;
    private final List<Sample> audio;
    private volatile SharedBytes ts;
    private boolean dropped; // guarded by this

    HlsSegment(long msn, double duration, Instant programDateTime, boolean discontinuity, int initVersion,
               List<HlsPart> parts, VideoConfig videoConfig, AacConfig aac, List<Sample> video, List<Sample> audio) {
        this.msn = msn;
        this.duration = duration;
        this.programDateTime = programDateTime;
        this.discontinuity = discontinuity;
        this.initVersion = initVersion;
        this.parts = List.copyOf(parts);
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (HlsPart p : parts) {
            all.writeBytes(p.bytes());
        }
        this.fmp4 = new SharedBytes(all.toByteArray());
        this.videoConfig = videoConfig;
        this.aac = aac;
        this.video = List.copyOf(video);
        this.audio = List.copyOf(audio);
    }

    public long msn() {
        return msn;
    }

    public double duration() {
        return duration;
    }

    public Instant programDateTime() {
        return programDateTime;
    }

    public boolean discontinuity() {
        return discontinuity;
    }

    public int initVersion() {
        return initVersion;
    }

    public List<HlsPart> parts() {
        return parts;
    }

    /** The segment as fMP4: its parts back to back, each a CMAF fragment. */
    public byte[] fmp4() {
        return fmp4.bytes();
    }

    /** {@link #fmp4()} with the direct copy that responses send. */
    public SharedBytes fmp4Media() {
        return fmp4;
    }

    /** The segment as MPEG-TS: {@link #tsMedia()}'s bytes. */
    public byte[] ts() {
        return tsMedia().bytes();
    }

    /**
     * The segment as MPEG-TS, muxed once on first call. Players polling a classic playlist ask for a new segment at
     * about the same moment; callers that come while it is being muxed wait for that one result instead of each muxing
     * their own copy (which multiplied the work by the number of worker threads).
     */
    public SharedBytes tsMedia() {
        SharedBytes t = ts;
        if (t != null) {
            return t;
        }
        synchronized (this) {
            if (ts == null) {
                ts = new SharedBytes(TsSegment.of(videoConfig, aac, video, audio));
                if (dropped) {
                    ts.drop(); // muxed for a request that still had an older window: its bytes, but no direct copy
                }
            }
            return ts;
        }
    }

    /** The MPEG-TS form if it has been muxed, else null: a caller can send it without a trip to a worker thread. */
    public byte[] tsIfMuxed() {
        SharedBytes t = ts;
        return t == null ? null : t.bytes();
    }

    /** {@link #tsIfMuxed()} with the direct copy that responses send. */
    public SharedBytes tsMediaIfMuxed() {
        return ts;
    }

    /** Frees the direct copies of the segment, its parts and its MPEG-TS form (see {@link SharedBytes#drop()}). */
    void drop() {
        fmp4.drop();
        for (HlsPart p : parts) {
            p.media().drop();
        }
        synchronized (this) {
            dropped = true;
            if (ts != null) {
                ts.drop();
            }
        }
    }

    long bytesHeld() {
        long n = fmp4.length() * 2L + fmp4.directBytes(); // the parts and the joined copy
        for (HlsPart p : parts) {
            n += p.media().directBytes();
        }
        for (Sample s : video) {
            n += s.data().length;
        }
        for (Sample s : audio) {
            n += s.data().length;
        }
        SharedBytes t = ts;
        return t == null ? n : n + t.length() + t.directBytes();
    }
}
