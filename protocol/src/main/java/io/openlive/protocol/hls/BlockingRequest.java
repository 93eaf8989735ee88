package io.openlive.protocol.hls;

import java.util.Map;

/**
 * The delivery directives of a playlist request (RFC 8216bis 6.2.5): {@code _HLS_msn}, {@code _HLS_part} and
 * {@code _HLS_skip}, read from the query. {@link #parse} refuses what the specification calls a bad request: a part without
 * a sequence number, numbers that are negative or not numbers. Usage:
 * {@code BlockingRequest r = BlockingRequest.parse(Map.of("_HLS_msn", "12"));}
 *
 * @param msn  the Media Sequence Number asked for, or -1 when none
 * @param part the Part Index asked for, or -1 when none
 * @param skip a delta update was asked for ({@code _HLS_skip=YES} or {@code v2})
 */
public record BlockingRequest(long msn, long part, boolean skip) {
    public static final BlockingRequest NONE = new BlockingRequest(-1, -1, false);

    /** The parameters as given; throws {@link IllegalArgumentException} with a message for the client when bad. */
    public static BlockingRequest parse(Map<String, String> query) {
        long msn = number(query.get("_HLS_msn"), "_HLS_msn");
        long part = number(query.get("_HLS_part"), "_HLS_part");
        if (part >= 0 && msn < 0) {
            throw new IllegalArgumentException("_HLS_part needs _HLS_msn");
        }
        String skip = query.get("_HLS_skip");
        if (skip != null && !skip.equals("YES") && !skip.equals("v2")) {
            throw new IllegalArgumentException("_HLS_skip must be YES or v2");
        }
        return new BlockingRequest(msn, part, skip != null);
    }

    public boolean blocks() {
        return msn >= 0;
    }

    private static long number(String value, String name) {
        if (value == null) {
            return -1;
        }
        // decimal-integer (4.2): digits only, so no sign and no exponent
        if (value.isEmpty() || value.length() > 18 || !value.chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
            throw new IllegalArgumentException(name + " must be a decimal integer, not '" + abbreviate(value) + "'");
        }
        return Long.parseLong(value);
    }

    private static String abbreviate(String v) {
        return v.length() > 20 ? v.substring(0, 20) + "…" : v;
    }
}
