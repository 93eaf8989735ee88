package io.openlive.engine.hls;

import io.openlive.protocol.hls.MediaPlaylist;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns a room's {@link HlsWindow} into its two media playlists: LL-HLS over fMP4 (parts, preload hint, blocking reload,
 * delta updates; compatibility version 9 for EXT-X-SKIP) and classic HLS over MPEG-TS (version 3). URIs are relative
 * to {@code /live/}: {@code {room}/{generation}/…}. Usage: {@code MediaPlaylist p = HlsPlaylists.fmp4(roomId, w, config);}
 */
public final class HlsPlaylists {
    /** Parts are listed for this many of the newest complete segments; older ones only as whole segments. */
    static final int SEGMENTS_WITH_PARTS = 3;
    /** CAN-SKIP-UNTIL is at least six target durations (RFC 8216bis 4.4.3.8). */
    private static final int SKIP_TARGETS = 6;

    private HlsPlaylists() {
    }

    public static MediaPlaylist fmp4(String roomId, HlsWindow w, HlsConfig config) {
        String base = roomId + "/" + w.generation() + "/";
        double partTarget = config.partTarget().toMillis() / 1000.0;
        List<MediaPlaylist.Segment> segments = new ArrayList<>();
        int n = w.segments().size();
        for (int i = 0; i < n; i++) {
            HlsSegment s = w.segments().get(i);
            List<MediaPlaylist.Part> parts = i >= n - SEGMENTS_WITH_PARTS ? parts(base, s.parts()) : List.of();
            segments.add(new MediaPlaylist.Segment(base + "s" + s.msn() + ".m4s", s.duration(),
                    base + "init" + s.initVersion() + ".mp4", s.programDateTime(), s.discontinuity(), parts));
        }
        List<MediaPlaylist.Part> pending = parts(base, w.pending());
        String hint = w.ended() ? null : base + "s" + w.nextMsn() + "." + w.hintIndex() + ".m4s";
        MediaPlaylist.ServerControl control = new MediaPlaylist.ServerControl(true, 3 * partTarget,
                SKIP_TARGETS * w.targetDuration());
        return new MediaPlaylist(9, w.targetDuration(), partTarget, w.firstMsn(), w.discontinuitySequence(), control,
                null, segments, w.ended() ? List.of() : pending, hint, w.ended());
    }

    public static MediaPlaylist ts(String roomId, HlsWindow w) {
        String base = roomId + "/" + w.generation() + "/";
        List<MediaPlaylist.Segment> segments = new ArrayList<>();
        for (HlsSegment s : w.segments()) {
            segments.add(new MediaPlaylist.Segment(base + "s" + s.msn() + ".ts", s.duration(), null, s.programDateTime(),
                    s.discontinuity(), List.of()));
        }
        return new MediaPlaylist(3, w.targetDuration(), 0, w.firstMsn(), w.discontinuitySequence(), null, null,
                segments, List.of(), null, w.ended());
    }

    private static List<MediaPlaylist.Part> parts(String base, List<HlsPart> parts) {
        List<MediaPlaylist.Part> out = new ArrayList<>(parts.size());
        for (HlsPart p : parts) {
            out.add(new MediaPlaylist.Part(base + "s" + p.msn() + "." + p.index() + ".m4s", p.duration(), p.independent()));
        }
        return out;
    }
}
