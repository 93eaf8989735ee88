package io.openlive.engine.record;

import io.openlive.kernel.codec.Sample;
import io.openlive.kernel.fmp4.Fmp4Fragment;
import io.openlive.kernel.fmp4.Fmp4Init;
import io.openlive.kernel.fmp4.Mp4Samples;
import io.openlive.protocol.hls.MediaPlaylist;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * A finished recording replayed as VOD HLS (RFC 8216bis, EXT-X-PLAYLIST-TYPE:VOD) without re-encoding: the faststart MP4's
 * sample tables are cut into segments of about {@link #TARGET_SECONDS} starting on key frames, each served as one CMAF
 * fragment read from the file on request. Only what {@link Recordings} finalises is read. Usage:
 * {@code Replay r = Replay.open(file); String m3u8 = …r.playlist("s");… r.segment(3);}
 */
public final class Replay {
    static final double TARGET_SECONDS = 2;

    private final Path file;
    private final Mp4Samples samples;
    private final byte[] init;
    private final List<Cut> cuts;

    /** Samples [v0, v1) of video and [a0, a1) of audio make one segment. */
    private record Cut(int v0, int v1, int a0, int a1, double duration) {
    }

    private Replay(Path file, Mp4Samples samples) {
        this.file = file;
        this.samples = samples;
        this.init = Fmp4Init.of(samples.video() == null ? null : samples.video().video(),
                samples.audio() == null ? null : samples.audio().aac());
        this.cuts = cut(samples);
    }

    public static Replay open(Path file) throws IOException {
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            return new Replay(file, Mp4Samples.read(in));
        }
    }

    public int segments() {
        return cuts.size();
    }

    public byte[] init() {
        return init;
    }

    /** The VOD playlist; media URIs are {@code {base}init.mp4} and {@code {base}s{n}.m4s}. */
    public MediaPlaylist playlist(String base) {
        List<MediaPlaylist.Segment> segments = new ArrayList<>();
        double longest = 0;
        for (int i = 0; i < cuts.size(); i++) {
            segments.add(new MediaPlaylist.Segment(base + "s" + i + ".m4s", cuts.get(i).duration(), base + "init.mp4",
                    null, false, List.of()));
            longest = Math.max(longest, cuts.get(i).duration());
        }
        return new MediaPlaylist(6, (int) Math.max(1, Math.round(longest)), 0, 0, 0, null, "VOD", segments, List.of(),
                null, true);
    }

    /** Segment {@code n} as one fragment, or null when there is none. */
    public byte[] segment(int n) throws IOException {
        if (n < 0 || n >= cuts.size()) {
            return null;
        }
        Cut c = cuts.get(n);
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            List<Sample> video = read(in, samples.video(), c.v0(), c.v1());
            List<Sample> audio = read(in, samples.audio(), c.a0(), c.a1());
            return Fmp4Fragment.of(n + 1, video, audio);
        }
    }

    private static List<Sample> read(FileChannel in, Mp4Samples.Track track, int from, int to) throws IOException {
        List<Sample> out = new ArrayList<>();
        if (track == null) {
            return out;
        }
        for (int i = from; i < to; i++) {
            Mp4Samples.Ref r = track.samples().get(i);
            ByteBuffer b = ByteBuffer.allocate(r.size());
            while (b.hasRemaining()) {
                if (in.read(b, r.offset() + b.position()) < 0) {
                    throw new IOException("recording ends inside a sample");
                }
            }
            out.add(new Sample(r.decodeTime(), r.duration(), r.compositionOffset(), r.sync(), b.array()));
        }
        return out;
    }

    /** Segments start on video key frames (or anywhere in audio alone) once the target has passed. */
    private static List<Cut> cut(Mp4Samples m) {
        Mp4Samples.Track lead = m.video() != null ? m.video() : m.audio();
        Mp4Samples.Track other = m.video() != null ? m.audio() : null;
        List<Mp4Samples.Ref> s = lead.samples();
        List<Cut> cuts = new ArrayList<>();
        int start = 0;
        int otherStart = 0;
        for (int i = 1; i <= s.size(); i++) {
            boolean end = i == s.size();
            double length = ((end ? s.get(i - 1).decodeTime() + s.get(i - 1).duration() : s.get(i).decodeTime())
                    - s.get(start).decodeTime()) / (double) lead.timescale();
            if (end || (s.get(i).sync() && length >= TARGET_SECONDS)) {
                int otherEnd = otherStart;
                if (other != null) {
                    double until = end ? Double.MAX_VALUE : s.get(i).decodeTime() / (double) lead.timescale();
                    while (otherEnd < other.samples().size()
                            && other.samples().get(otherEnd).decodeTime() / (double) other.timescale() < until) {
                        otherEnd++;
                    }
                }
                boolean leadIsVideo = m.video() != null;
                cuts.add(leadIsVideo ? new Cut(start, i, otherStart, otherEnd, length) : new Cut(0, 0, start, i, length));
                start = i;
                otherStart = otherEnd;
            }
        }
        return cuts;
    }
}
