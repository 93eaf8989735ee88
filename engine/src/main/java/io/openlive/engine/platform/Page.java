package io.openlive.engine.platform;

import java.util.List;

/** One page of a list; {@code next} is the cursor of the following page, null on the last. */
public record Page<T>(List<T> items, String next) {
    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 200;

    /** Where a page starts and how long it is, from the request's {@code limit} and {@code cursor}. */
    public record Request(int limit, int offset) {
        public static Request of(Integer limit, String cursor) {
            int l = limit == null ? DEFAULT_LIMIT : limit;
            if (l < 1 || l > MAX_LIMIT) {
                throw PlatformException.invalid("INVALID_LIMIT", "limit must be 1 to " + MAX_LIMIT);
            }
            int offset = 0;
            if (cursor != null && !cursor.isEmpty()) {
                try {
                    offset = Integer.parseInt(cursor);
                } catch (NumberFormatException e) {
                    offset = -1;
                }
                if (offset < 0) {
                    throw PlatformException.invalid("INVALID_CURSOR", "cursor '" + cursor + "' is not one this API returned");
                }
            }
            return new Request(l, offset);
        }

        public static Request first(int limit) {
            return new Request(limit, 0);
        }
    }

    /** Builds a page from up to {@code limit + 1} rows: the extra row only says there is more. */
    public static <T> Page<T> of(List<T> rows, Request r) {
        if (rows.size() > r.limit()) {
            return new Page<>(List.copyOf(rows.subList(0, r.limit())), Integer.toString(r.offset() + r.limit()));
        }
        return new Page<>(List.copyOf(rows), null);
    }
}
