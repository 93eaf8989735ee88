package io.openlive.bench;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A media playlist (RFC 8216bis 4.4) as a player reads it: segments with their media sequence numbers, durations and
 * date times, the parts (LL-HLS) of the newest segments and of the one in progress, the preload hint, and the server
 * control values a player times its reloads by. Tags the bench does not need are skipped, as players skip unknown tags.
 * Usage: {@code HlsPlaylist p = HlsPlaylist.parse(text); p.lastPart()}
 *
 * @param skipped         EXT-X-SKIP SKIPPED-SEGMENTS of a delta update (those segments are not in {@code segments})
 * @param partHoldBack    PART-HOLD-BACK in seconds, 0 when absent
 * @param canSkipUntil    CAN-SKIP-UNTIL in seconds, 0 when absent (the server takes no {@code _HLS_skip})
 * @param trailingParts   parts after the last EXTINF: the segment in progress, whose msn is {@link #nextMsn()}
 * @param preloadHint     URI of EXT-X-PRELOAD-HINT TYPE=PART, or null
 */
record HlsPlaylist(double targetDuration, long mediaSequence, int skipped, double partTarget, double partHoldBack,
                   boolean canBlockReload, double canSkipUntil, List<Segment> segments, List<Part> trailingParts,
                   String preloadHint, boolean endList) {

    /** One segment; {@code programDateTime} null when it has none (nginx-rtmp writes none). */
    record Segment(long msn, String uri, double duration, Instant programDateTime, List<Part> parts) {
    }

    /** One part: the {@code index}-th of segment {@code msn}. */
    record Part(long msn, int index, String uri, double duration, boolean independent) {
        /** Orders parts along the stream: by segment, then by index. */
        boolean after(long otherMsn, int otherIndex) {
            return msn > otherMsn || (msn == otherMsn && index > otherIndex);
        }
    }

    /** The media sequence number the next segment (the one in progress) will have. */
    long nextMsn() {
        return mediaSequence + skipped + segments.size();
    }

    /** Every listed part in stream order: those of complete segments, then the trailing ones. */
    List<Part> allParts() {
        List<Part> all = new ArrayList<>();
        for (Segment s : segments) {
            all.addAll(s.parts());
        }
        all.addAll(trailingParts);
        return all;
    }

    /** The newest listed part, or null in a playlist without parts. */
    Part lastPart() {
        if (!trailingParts.isEmpty()) {
            return trailingParts.getLast();
        }
        for (int i = segments.size() - 1; i >= 0; i--) {
            if (!segments.get(i).parts().isEmpty()) {
                return segments.get(i).parts().getLast();
            }
        }
        return null;
    }

    /**
     * Wall time at which the newest listed media ends, from the date time of the newest segment that has one plus the
     * durations after it: when the server received the end of that media (openlive stamps each segment with when its
     * first frame arrived). Null without date times.
     */
    Instant liveEdge() {
        for (int i = segments.size() - 1; i >= 0; i--) {
            Instant pdt = segments.get(i).programDateTime();
            if (pdt != null) {
                double after = 0;
                for (int j = i; j < segments.size(); j++) {
                    after += segments.get(j).duration();
                }
                for (Part p : trailingParts) {
                    after += p.duration();
                }
                return pdt.plusNanos(Math.round(after * 1e9));
            }
        }
        return null;
    }

    static HlsPlaylist parse(String text) {
        if (!text.startsWith("#EXTM3U")) {
            throw new IllegalArgumentException("not a playlist: it does not start with #EXTM3U");
        }
        double target = 0;
        long sequence = 0;
        int skipped = 0;
        double partTarget = 0;
        double holdBack = 0;
        double skipUntil = 0;
        boolean blockReload = false;
        boolean endList = false;
        String hint = null;
        List<Segment> segments = new ArrayList<>();
        List<Part> parts = new ArrayList<>();
        double duration = -1;
        Instant pdt = null;
        boolean sequenceSeen = false;
        for (String raw : text.split("\n")) {
            String line = raw.strip();
            if (line.isEmpty()) {
                continue;
            }
            if (!line.startsWith("#")) {
                if (duration < 0) {
                    throw new IllegalArgumentException("a segment URI without #EXTINF: " + line);
                }
                long msn = sequence + skipped + segments.size();
                List<Part> own = parts.stream().map(p -> new Part(msn, p.index(), p.uri(), p.duration(), p.independent())).toList();
                segments.add(new Segment(msn, line, duration, pdt, own));
                parts.clear();
                duration = -1;
                pdt = null;
                continue;
            }
            int colon = line.indexOf(':');
            String tag = colon < 0 ? line : line.substring(0, colon);
            String value = colon < 0 ? "" : line.substring(colon + 1);
            switch (tag) {
                case "#EXT-X-TARGETDURATION" -> target = Double.parseDouble(value);
                case "#EXT-X-MEDIA-SEQUENCE" -> {
                    if (!segments.isEmpty() || sequenceSeen) {
                        throw new IllegalArgumentException("EXT-X-MEDIA-SEQUENCE must come once, before the first segment");
                    }
                    sequence = Long.parseLong(value);
                    sequenceSeen = true;
                }
                case "#EXT-X-SKIP" -> skipped = Integer.parseInt(attributes(value).getOrDefault("SKIPPED-SEGMENTS", "0"));
                case "#EXT-X-PART-INF" -> partTarget = Double.parseDouble(attributes(value).getOrDefault("PART-TARGET", "0"));
                case "#EXT-X-SERVER-CONTROL" -> {
                    Map<String, String> a = attributes(value);
                    blockReload = "YES".equals(a.get("CAN-BLOCK-RELOAD"));
                    holdBack = Double.parseDouble(a.getOrDefault("PART-HOLD-BACK", "0"));
                    skipUntil = Double.parseDouble(a.getOrDefault("CAN-SKIP-UNTIL", "0"));
                }
                case "#EXTINF" -> {
                    int comma = value.indexOf(',');
                    duration = Double.parseDouble(comma < 0 ? value : value.substring(0, comma));
                }
                case "#EXT-X-PROGRAM-DATE-TIME" -> pdt = dateTime(value);
                case "#EXT-X-PART" -> {
                    Map<String, String> a = attributes(value);
                    String uri = a.get("URI");
                    if (uri == null || !a.containsKey("DURATION")) {
                        throw new IllegalArgumentException("EXT-X-PART without URI or DURATION: " + line);
                    }
                    // msn filled in when the segment's EXTINF comes; -1 until then
                    parts.add(new Part(-1, parts.size(), uri, Double.parseDouble(a.get("DURATION")), "YES".equals(a.get("INDEPENDENT"))));
                }
                case "#EXT-X-PRELOAD-HINT" -> {
                    Map<String, String> a = attributes(value);
                    if ("PART".equals(a.get("TYPE"))) {
                        hint = a.get("URI");
                    }
                }
                case "#EXT-X-ENDLIST" -> endList = true;
                default -> {
                }
            }
        }
        if (target <= 0) {
            throw new IllegalArgumentException("no EXT-X-TARGETDURATION");
        }
        long next = sequence + skipped + segments.size();
        List<Part> trailing = parts.stream().map(p -> new Part(next, p.index(), p.uri(), p.duration(), p.independent())).toList();
        return new HlsPlaylist(target, sequence, skipped, partTarget, holdBack, blockReload, skipUntil, List.copyOf(segments),
                trailing, hint, endList);
    }

    /** An attribute list (4.2): NAME=value pairs separated by commas, quoted strings may hold commas. */
    static Map<String, String> attributes(String list) {
        Map<String, String> out = new TreeMap<>();
        int i = 0;
        while (i < list.length()) {
            int eq = list.indexOf('=', i);
            if (eq < 0) {
                break;
            }
            String name = list.substring(i, eq).strip();
            int end;
            String value;
            if (eq + 1 < list.length() && list.charAt(eq + 1) == '"') {
                int close = list.indexOf('"', eq + 2);
                if (close < 0) {
                    throw new IllegalArgumentException("unterminated quoted string in " + list);
                }
                value = list.substring(eq + 2, close);
                end = close + 1;
            } else {
                end = list.indexOf(',', eq + 1);
                if (end < 0) {
                    end = list.length();
                }
                value = list.substring(eq + 1, end).strip();
            }
            out.put(name, value);
            int comma = list.indexOf(',', end);
            i = comma < 0 ? list.length() : comma + 1;
        }
        return out;
    }

    private static Instant dateTime(String value) {
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("bad EXT-X-PROGRAM-DATE-TIME: " + value);
        }
    }
}
