package io.openlive.server.hls;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A test-side reading of a media playlist: the tags the assertions need, parsed from the text as a player would. */
record Playlist(String text, long mediaSequence, double targetDuration, double partTarget, List<String> segments,
                List<Double> durations, List<String> parts, List<Boolean> independent, String preloadHint,
                int discontinuities, boolean endList) {
    private static final Pattern URI = Pattern.compile("URI=\"([^\"]+)\"");

    static Playlist parse(String text) {
        if (!text.startsWith("#EXTM3U\n")) {
            throw new AssertionError("not a playlist: " + text);
        }
        long seq = -1;
        double target = -1;
        double partTarget = 0;
        List<String> segments = new ArrayList<>();
        List<Double> durations = new ArrayList<>();
        List<String> parts = new ArrayList<>();
        List<Boolean> independent = new ArrayList<>();
        String hint = null;
        int discontinuities = 0;
        boolean end = false;
        double pendingDuration = -1;
        for (String line : text.split("\n")) {
            if (line.startsWith("#EXT-X-MEDIA-SEQUENCE:")) {
                seq = Long.parseLong(line.substring(22));
            } else if (line.startsWith("#EXT-X-TARGETDURATION:")) {
                target = Double.parseDouble(line.substring(22));
            } else if (line.startsWith("#EXT-X-PART-INF:PART-TARGET=")) {
                partTarget = Double.parseDouble(line.substring(28));
            } else if (line.startsWith("#EXTINF:")) {
                pendingDuration = Double.parseDouble(line.substring(8, line.indexOf(',')));
            } else if (line.startsWith("#EXT-X-PART:")) {
                parts.add(uri(line));
                independent.add(line.contains("INDEPENDENT=YES"));
            } else if (line.startsWith("#EXT-X-PRELOAD-HINT:")) {
                hint = uri(line);
            } else if (line.equals("#EXT-X-DISCONTINUITY")) {
                discontinuities++;
            } else if (line.equals("#EXT-X-ENDLIST")) {
                end = true;
            } else if (!line.startsWith("#") && !line.isBlank()) {
                segments.add(line);
                durations.add(pendingDuration);
            }
        }
        return new Playlist(text, seq, target, partTarget, segments, durations, parts, independent, hint, discontinuities, end);
    }

    private static String uri(String line) {
        Matcher m = URI.matcher(line);
        if (!m.find()) {
            throw new AssertionError("no URI in " + line);
        }
        return m.group(1);
    }

    /** "s12.3.m4s" → {12, 3}; "s12.m4s" → {12, -1}. */
    static long[] position(String uri) {
        String name = uri.substring(uri.lastIndexOf('/') + 2);
        String[] p = name.split("\\.");
        return p.length == 3 ? new long[]{Long.parseLong(p[0]), Long.parseLong(p[1])} : new long[]{Long.parseLong(p[0]), -1};
    }

    double totalDuration() {
        return durations.stream().mapToDouble(Double::doubleValue).sum();
    }
}
