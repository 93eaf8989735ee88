package io.openlive.protocol.hls;

import java.time.Instant;
import java.util.List;

/**
 * A media playlist (RFC 8216bis 4.4.3) as data, rendered by {@link PlaylistWriter}. Low-latency features are on when
 * {@code partTarget} is above 0.
 *
 * @param version               EXT-X-VERSION
 * @param targetDuration        EXT-X-TARGETDURATION, whole seconds
 * @param partTarget            PART-TARGET of EXT-X-PART-INF in seconds; 0 for a playlist without parts
 * @param mediaSequence         Media Sequence Number of the first segment (EXT-X-MEDIA-SEQUENCE)
 * @param discontinuitySequence EXT-X-DISCONTINUITY-SEQUENCE: discontinuities before the first segment
 * @param control               EXT-X-SERVER-CONTROL, or null
 * @param playlistType          "VOD", "EVENT" or null (EXT-X-PLAYLIST-TYPE)
 * @param segments              complete segments, oldest first; parts are given for the newest ones only
 * @param pending               parts of the segment in progress (LL-HLS), possibly empty
 * @param preloadHintUri        URI of the next part (EXT-X-PRELOAD-HINT TYPE=PART), or null
 * @param endList               the stream is over (EXT-X-ENDLIST)
 */
public record MediaPlaylist(int version, int targetDuration, double partTarget, long mediaSequence,
                            long discontinuitySequence, ServerControl control, String playlistType,
                            List<Segment> segments, List<Part> pending, String preloadHintUri, boolean endList) {

    /**
     * One media segment.
     *
     * @param mapUri           URI of its media initialization section (EXT-X-MAP), null for MPEG-TS
     * @param programDateTime  wall-clock time of its first sample (EXT-X-PROGRAM-DATE-TIME), or null
     * @param discontinuity    it follows a discontinuity (EXT-X-DISCONTINUITY)
     * @param parts            its partial segments, listed before its EXTINF; empty when not listed
     */
    public record Segment(String uri, double duration, String mapUri, Instant programDateTime, boolean discontinuity,
                          List<Part> parts) {
    }

    /** One partial segment (EXT-X-PART); {@code independent} when it starts with an independent frame. */
    public record Part(String uri, double duration, boolean independent) {
    }

    /**
     * EXT-X-SERVER-CONTROL (4.4.3.8).
     *
     * @param canBlockReload support for _HLS_msn/_HLS_part
     * @param partHoldBack   PART-HOLD-BACK in seconds, at least three part targets; 0 to leave out
     * @param canSkipUntil   CAN-SKIP-UNTIL in seconds, at least six target durations; 0 to leave out
     */
    public record ServerControl(boolean canBlockReload, double partHoldBack, double canSkipUntil) {
    }
}
