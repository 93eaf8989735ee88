package io.openlive.protocol.hls;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Renders a {@link MediaPlaylist} as RFC 8216bis text. With {@code skip}, writes a Playlist Delta Update (4.4.5.2):
 * segments that start more than CAN-SKIP-UNTIL seconds before the end are replaced by EXT-X-SKIP. The map and program
 * date time are repeated on the first segment written so each response stands alone. Usage:
 * {@code String text = PlaylistWriter.write(playlist, false);}
 */
public final class PlaylistWriter {
    private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX")
            .withZone(ZoneOffset.UTC);

    private PlaylistWriter() {
    }

    public static String write(MediaPlaylist p, boolean skip) {
        StringBuilder b = new StringBuilder(256 + 160 * p.segments().size());
        b.append("#EXTM3U\n");
        b.append("#EXT-X-VERSION:").append(p.version()).append('\n');
        b.append("#EXT-X-TARGETDURATION:").append(p.targetDuration()).append('\n');
        MediaPlaylist.ServerControl c = p.control();
        if (c != null) {
            b.append("#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=").append(c.canBlockReload() ? "YES" : "NO");
            if (c.partHoldBack() > 0) {
                b.append(",PART-HOLD-BACK=").append(decimal(c.partHoldBack()));
            }
            if (c.canSkipUntil() > 0) {
                b.append(",CAN-SKIP-UNTIL=").append(decimal(c.canSkipUntil()));
            }
            b.append('\n');
        }
        if (p.partTarget() > 0) {
            b.append("#EXT-X-PART-INF:PART-TARGET=").append(decimal(p.partTarget())).append('\n');
        }
        b.append("#EXT-X-MEDIA-SEQUENCE:").append(p.mediaSequence()).append('\n');
        if (p.discontinuitySequence() > 0) {
            b.append("#EXT-X-DISCONTINUITY-SEQUENCE:").append(p.discontinuitySequence()).append('\n');
        }
        if (p.playlistType() != null) {
            b.append("#EXT-X-PLAYLIST-TYPE:").append(p.playlistType()).append('\n');
        }
        b.append("#EXT-X-INDEPENDENT-SEGMENTS\n"); // every segment starts with a key frame (4.4.2.1)
        int skipped = skip && c != null && c.canSkipUntil() > 0 ? skippable(p, c.canSkipUntil()) : 0;
        if (skipped > 0) {
            b.append("#EXT-X-SKIP:SKIPPED-SEGMENTS=").append(skipped).append('\n');
        }
        String map = null;
        for (int i = skipped; i < p.segments().size(); i++) {
            MediaPlaylist.Segment s = p.segments().get(i);
            if (s.discontinuity()) {
                b.append("#EXT-X-DISCONTINUITY\n");
            }
            if (s.mapUri() != null && !s.mapUri().equals(map)) {
                b.append("#EXT-X-MAP:URI=\"").append(s.mapUri()).append("\"\n");
                map = s.mapUri();
            }
            if (s.programDateTime() != null) {
                b.append("#EXT-X-PROGRAM-DATE-TIME:").append(DATE_TIME.format(s.programDateTime())).append('\n');
            }
            for (MediaPlaylist.Part part : s.parts()) {
                part(b, part);
            }
            b.append("#EXTINF:").append(decimal(s.duration())).append(",\n");
            b.append(s.uri()).append('\n');
        }
        for (MediaPlaylist.Part part : p.pending()) {
            part(b, part);
        }
        if (p.preloadHintUri() != null) {
            b.append("#EXT-X-PRELOAD-HINT:TYPE=PART,URI=\"").append(p.preloadHintUri()).append("\"\n");
        }
        if (p.endList()) {
            b.append("#EXT-X-ENDLIST\n");
        }
        return b.toString();
    }

    /** Segments that start more than {@code skipUntil} seconds before the end of the playlist (6.2.5.1). */
    static int skippable(MediaPlaylist p, double skipUntil) {
        double fromEnd = 0;
        for (MediaPlaylist.Part part : p.pending()) {
            fromEnd += part.duration();
        }
        int keep = 0;
        for (int i = p.segments().size() - 1; i >= 0; i--) {
            fromEnd += p.segments().get(i).duration();
            if (fromEnd > skipUntil) {
                break;
            }
            keep++;
        }
        return p.segments().size() - keep;
    }

    private static void part(StringBuilder b, MediaPlaylist.Part part) {
        b.append("#EXT-X-PART:DURATION=").append(decimal(part.duration())).append(",URI=\"").append(part.uri()).append('"');
        if (part.independent()) {
            b.append(",INDEPENDENT=YES");
        }
        b.append('\n');
    }

    /** A decimal-floating-point (4.2) with at most five decimals and no exponent. */
    static String decimal(double v) {
        String s = String.format(Locale.ROOT, "%.5f", v);
        int end = s.length();
        while (s.charAt(end - 1) == '0') {
            end--;
        }
        if (s.charAt(end - 1) == '.') {
            end--;
        }
        return s.substring(0, end);
    }
}
