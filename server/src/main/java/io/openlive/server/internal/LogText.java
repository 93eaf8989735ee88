package io.openlive.server.internal;

/**
 * Client-supplied text made safe for one log line: control characters (CR and LF among them, which would forge log
 * lines), and bidirectional-override characters (which reorder what a reader sees) become {@code ?}, and the text is cut
 * to a length. Used for every value a client names before it has been checked: an RTMP play name, a {@code /rt} room
 * or app parameter.
 *
 * <p>Usage: {@code log.info("[rt room={}] …", LogText.of(roomId))}.
 */
public final class LogText {
    /** Longest client text kept in a log line. */
    public static final int MAX_CHARS = 80;

    private LogText() {
    }

    public static String of(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder b = new StringBuilder(Math.min(s.length(), MAX_CHARS + 1));
        for (int i = 0; i < s.length() && b.length() < MAX_CHARS; i++) {
            char c = s.charAt(i);
            b.append(Character.isISOControl(c) || isBidiControl(c) ? '?' : c);
        }
        if (s.length() > MAX_CHARS) {
            b.append('…');
        }
        return b.toString();
    }

    /** Unicode bidirectional formatting characters (UAX #9): embeddings, overrides, isolates, marks. */
    public static boolean isBidiControl(char c) {
        return (c >= '\u202A' && c <= '\u202E') || (c >= '\u2066' && c <= '\u2069') || c == '\u200E' || c == '\u200F' || c == '\u061C';
    }
}
