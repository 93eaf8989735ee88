package io.openlive.engine.analytics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.openlive.engine.platform.Ids;
import io.openlive.engine.platform.PlatformException;
import io.openlive.engine.platform.Principal;
import io.openlive.engine.platform.Role;

import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Currency;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * A room's statistics for its broadcaster, platform reviewers and the host apps it is delivered to (each app operator
 * sees only its own app's figures): concurrent viewers over time, peak, unique viewers, watch time, comments, likes,
 * gifts, component calls, orders, units and sales per currency, per app and per component version, and totals (the sum
 * of the apps); and the broadcaster's followers per app as they are now. Also where host apps with their own cart
 * report sales for attribution. Blocks on the store.
 */
public final class RoomStats {
    /** Samples are taken and stored per bucket of this length. */
    public static final long BUCKET_MILLIS = 10_000;
    /** Samples older than this are kept per minute (each node's highest count of the minute) instead of per bucket. */
    public static final long FINE_FOR_MILLIS = 3_600_000;
    static final int MAX_POINTS = 1000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final StatsStore store;
    private final Clock clock;

    public RoomStats(StatsStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /**
     * @param from ISO-8601 instant (default: 24 h before {@code to})
     * @param to   ISO-8601 instant (default: now)
     * @param step seconds per point of the series, a multiple of 10; when absent the smallest of {@link SeriesStep#LADDER}
     *             that keeps the series within {@link #MAX_POINTS} (answered in {@code step})
     */
    public JsonNode report(Principal p, String roomId, String from, String to, String step) {
        String owner = store.roomOwner(roomId).orElseThrow(() -> PlatformException.notFound("ROOM", roomId));
        Predicate<String> visible = visibleApps(p, roomId, owner);
        long now = clock.millis();
        long t1 = instant(to, now);
        long t0 = instant(from, t1 - 86_400_000L);
        if (t0 >= t1) {
            throw PlatformException.invalid("INVALID_RANGE", "from must be before to");
        }
        long stepMillis = SeriesStep.of(step, t0, t1, now, MAX_POINTS);

        ObjectNode out = JSON.createObjectNode().put("roomId", roomId).put("from", Instant.ofEpochMilli(t0).toString())
                .put("to", Instant.ofEpochMilli(t1).toString()).put("step", stepMillis / 1000);
        Map<String, Figures> apps = new TreeMap<>();
        Map<String, Figures> components = new TreeMap<>();
        Figures total = new Figures();

        // concurrent viewers: per 10 s bucket summed over nodes, then per app and in total
        Map<Long, Long> totalByBucket = new TreeMap<>();
        Map<String, Map<Long, Long>> appByBucket = new HashMap<>();
        for (StatsStore.Point pt : store.points(roomId, t0, t1)) {
            if (!visible.test(pt.appId())) {
                continue;
            }
            totalByBucket.merge(pt.bucket(), pt.viewers(), Long::sum);
            appByBucket.computeIfAbsent(pt.appId(), a -> new TreeMap<>()).merge(pt.bucket(), pt.viewers(), Long::sum);
        }
        total.peak = totalByBucket.values().stream().mapToLong(Long::longValue).max().orElse(0);
        appByBucket.forEach((app, m) -> apps.computeIfAbsent(app, a -> new Figures()).peak = m.values().stream().mapToLong(Long::longValue).max().orElse(0));
        for (StatsStore.AudienceRow a : store.audience(roomId)) {
            if (visible.test(a.appId())) {
                Figures f = apps.computeIfAbsent(a.appId(), x -> new Figures());
                f.unique += a.uniqueViewers();
                f.watch += a.watchMillis();
                total.unique += a.uniqueViewers();
                total.watch += a.watchMillis();
            }
        }
        for (StatsStore.CountRow c : store.counts(roomId, t0, t1)) {
            if (visible.test(c.appId())) {
                apps.computeIfAbsent(c.appId(), x -> new Figures()).count(c.kind(), c.n());
                total.count(c.kind(), c.n());
                if (!c.component().isEmpty()) {
                    components.computeIfAbsent(c.component(), x -> new Figures()).count(c.kind(), c.n());
                }
            }
        }
        // followers of the room's broadcaster (or of the room, when none owns it) as they are now, by the app they follow in
        store.followers(io.openlive.engine.follow.Followee.of(roomId, owner)).forEach((app, n) -> {
            if (visible.test(app)) {
                apps.computeIfAbsent(app, x -> new Figures()).followers += n;
                total.followers += n;
            }
        });
        // views: the most viewers a version had at once, its apps' viewers summed per bucket
        Map<String, Map<Long, Long>> viewsByBucket = new HashMap<>();
        for (StatsStore.ViewRow v : store.componentViews(roomId, t0, t1)) {
            if (visible.test(v.appId())) {
                viewsByBucket.computeIfAbsent(v.key(), k -> new HashMap<>()).merge(v.bucket(), v.viewers(), Long::sum);
            }
        }
        viewsByBucket.forEach((version, m) -> components.computeIfAbsent(version, x -> new Figures()).views = peak(m));
        for (StatsStore.SalesRow s : store.orders(roomId, t0, t1)) {
            if (visible.test(s.appId())) {
                apps.computeIfAbsent(s.appId(), x -> new Figures()).orders(s);
                total.orders(s);
                if (s.component() != null && !s.component().isEmpty()) {
                    components.computeIfAbsent(s.component(), x -> new Figures()).orders(s);
                }
            }
        }
        for (StatsStore.SalesRow s : store.hostSales(roomId, t0, t1)) {
            if (visible.test(s.appId())) {
                apps.computeIfAbsent(s.appId(), x -> new Figures()).reported(s);
                total.reported(s);
                if (s.component() != null && !s.component().isEmpty()) {
                    components.computeIfAbsent(s.component(), x -> new Figures()).reported(s);
                }
            }
        }
        out.set("total", total.json());
        ObjectNode appsNode = out.putObject("apps");
        apps.forEach((id, f) -> appsNode.set(id, f.json()));
        ObjectNode compNode = out.putObject("components");
        components.forEach((id, f) -> compNode.set(id, f.componentJson()));

        // the series: the highest concurrent count of each step
        ArrayNode series = out.putArray("series");
        for (long t = t0; t < t1; t += stepMillis) {
            long end = Math.min(t1, t + stepMillis);
            ObjectNode point = series.addObject().put("t", Instant.ofEpochMilli(t).toString());
            point.put("viewers", maxIn(totalByBucket, t, end));
            ObjectNode perApp = point.putObject("apps");
            for (Map.Entry<String, Map<Long, Long>> e : appByBucket.entrySet()) {
                perApp.put(e.getKey(), maxIn(e.getValue(), t, end));
            }
        }
        return out;
    }

    /**
     * One component version's figures across every room, for its developer and reviewers ({@code visible}: the caller
     * may see the version, checked by the platform); a host app operator gets its own app's only. Calls, live orders,
     * units and sales per currency (orders and reported sales), and views (the most viewers it had at once: across
     * rooms in total, per room), in total and per room.
     */
    public JsonNode component(Principal p, String versionId) {
        Predicate<String> app = p.is(Role.APP_OPERATOR) || p.is(Role.APP_REVIEWER) ? a -> a.equals(p.scope()) : a -> true;
        Figures total = new Figures();
        Map<String, Figures> rooms = new TreeMap<>();
        for (StatsStore.CountRow c : store.componentCounts(versionId)) {
            if (app.test(c.appId())) {
                total.count(c.kind(), c.n());
                rooms.computeIfAbsent(c.component(), r -> new Figures()).count(c.kind(), c.n());
            }
        }
        for (StatsStore.SalesRow s : store.componentOrders(versionId)) {
            if (app.test(s.appId())) {
                total.orders(s);
                rooms.computeIfAbsent(s.component(), r -> new Figures()).orders(s);
            }
        }
        for (StatsStore.SalesRow s : store.componentReported(versionId)) {
            if (app.test(s.appId())) {
                total.reported(s);
                rooms.computeIfAbsent(s.component(), r -> new Figures()).reported(s);
            }
        }
        Map<Long, Long> totalViews = new HashMap<>();
        Map<String, Map<Long, Long>> roomViews = new HashMap<>();
        for (StatsStore.ViewRow v : store.versionViews(versionId)) {
            if (app.test(v.appId())) {
                totalViews.merge(v.bucket(), v.viewers(), Long::sum);
                roomViews.computeIfAbsent(v.key(), r -> new HashMap<>()).merge(v.bucket(), v.viewers(), Long::sum);
            }
        }
        total.views = peak(totalViews);
        roomViews.forEach((room, m) -> rooms.computeIfAbsent(room, r -> new Figures()).views = peak(m));
        ObjectNode out = JSON.createObjectNode().put("versionId", versionId);
        out.set("total", total.componentJson());
        ObjectNode perRoom = out.putObject("rooms");
        rooms.forEach((room, f) -> perRoom.set(room, f.componentJson()));
        return out;
    }

    /** A host app reports a sale it made through its own cart; the same {@code externalId} again answers the first report. */
    public StatsStore.HostSale reportSale(Principal p, String roomId, String appId, JsonNode body) {
        if (appId == null || !p.actsFor(Role.APP_OPERATOR, appId)) {
            throw PlatformException.notFound("APP", appId);
        }
        store.roomOwner(roomId).orElseThrow(() -> PlatformException.notFound("ROOM", roomId));
        if (!store.roomApps(roomId).contains(appId)) {
            throw PlatformException.notFound("ROOM", roomId);
        }
        String external = text(body, "externalId", 128, true);
        JsonNode q = body.path("quantity");
        JsonNode amount = body.path("amount");
        if (!q.isIntegralNumber() || !q.canConvertToInt() || q.asInt() < 1 || q.asInt() > 10_000) {
            throw PlatformException.invalid("INVALID_QUANTITY", "quantity must be an integer from 1 to 10000");
        }
        if (!amount.isIntegralNumber() || !amount.canConvertToLong() || amount.asLong() < 0 || amount.asLong() > 10_000_000_000_000_000L) {
            throw PlatformException.invalid("INVALID_AMOUNT", "amount must be an integer number of minor units from 0 to 10^16");
        }
        String currency = body.path("currency").asText("");
        try {
            if (currency.length() != 3 || !Currency.getInstance(currency).getCurrencyCode().equals(currency)) {
                throw new IllegalArgumentException();
            }
        } catch (IllegalArgumentException e) {
            throw PlatformException.invalid("INVALID_CURRENCY", "currency must be an ISO 4217 code such as EUR");
        }
        long now = clock.millis();
        long soldAt = instant(body.path("soldAt").isTextual() ? body.path("soldAt").asText() : null, now);
        StatsStore.HostSale sale = new StatsStore.HostSale(Ids.timeOrdered("sale", now), roomId, appId, external,
                text(body, "productId", 64, false), text(body, "viewerId", 128, false), text(body, "component", 64, false),
                q.asInt(), amount.asLong(), currency, soldAt, now);
        StatsStore.HostSale stored = store.reportSale(sale);
        boolean same = stored.quantity() == sale.quantity() && stored.amount() == sale.amount() && stored.currency().equals(sale.currency())
                && stored.roomId().equals(roomId);
        if (!same) {
            throw PlatformException.conflict("SALE_CONFLICT", "externalId " + external + " was reported with other figures");
        }
        return stored;
    }

    private Predicate<String> visibleApps(Principal p, String roomId, String owner) {
        if (p.reviews() || (p.is(Role.BROADCASTER) && owner.equals(p.scope()))) {
            return a -> true;
        }
        if (p.is(Role.APP_OPERATOR) && store.roomApps(roomId).contains(p.scope())) {
            return a -> a.equals(p.scope());
        }
        throw PlatformException.notFound("ROOM", roomId);
    }

    private static long peak(Map<Long, Long> byBucket) {
        return byBucket.values().stream().mapToLong(Long::longValue).max().orElse(0);
    }

    private static long maxIn(Map<Long, Long> byBucket, long from, long to) {
        long max = 0;
        for (Map.Entry<Long, Long> e : byBucket.entrySet()) {
            if (e.getKey() >= from && e.getKey() < to) {
                max = Math.max(max, e.getValue());
            }
        }
        return max;
    }

    private static String text(JsonNode body, String field, int max, boolean required) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            if (required) {
                throw PlatformException.invalid("INVALID_BODY", field + " is required");
            }
            return null;
        }
        if (!n.isTextual() || n.asText().isEmpty() || n.asText().length() > max) {
            throw PlatformException.invalid("INVALID_BODY", field + " must be 1 to " + max + " characters");
        }
        return n.asText();
    }

    private static long instant(String text, long fallback) {
        if (text == null || text.isEmpty()) {
            return fallback;
        }
        try {
            return Instant.parse(text).toEpochMilli();
        } catch (DateTimeParseException e) {
            throw PlatformException.invalid("INVALID_RANGE", "from, to and soldAt are ISO-8601 instants such as 2026-12-01T20:00:00Z");
        }
    }

    /** The figures of one app, one component or the whole room. */
    private static final class Figures {
        long peak;
        /** A component version's most viewers at once (viewers of the apps whose instance bound it here). */
        long views;
        long unique;
        long watch;
        /** Viewers following the room's broadcaster now (apps and total only). */
        long followers;
        final Map<String, Long> counts = new TreeMap<>();
        long orders;
        long units;
        final Map<String, Long> sales = new TreeMap<>();
        long reportedSales;
        long reportedUnits;

        void count(String kind, long n) {
            counts.merge(kind, n, Long::sum);
        }

        void orders(StatsStore.SalesRow s) {
            orders += s.orders();
            units += s.units();
            sales.merge(s.currency(), s.amount(), Long::sum);
        }

        void reported(StatsStore.SalesRow s) {
            reportedSales += s.orders();
            reportedUnits += s.units();
            sales.merge(s.currency(), s.amount(), Long::sum);
        }

        ObjectNode json() {
            ObjectNode n = JSON.createObjectNode().put("peakViewers", peak).put("uniqueViewers", unique).put("watchMillis", watch)
                    .put("averageWatchMillis", unique == 0 ? 0 : watch / unique).put("followers", followers);
            for (String k : List.of("comments", "likes", "gifts", "calls")) {
                n.put(k, counts.getOrDefault(k, 0L));
            }
            return sales(n);
        }

        ObjectNode componentJson() {
            return sales(JSON.createObjectNode().put("views", views).put("calls", counts.getOrDefault("calls", 0L)));
        }

        private ObjectNode sales(ObjectNode n) {
            n.put("orders", orders).put("units", units).put("reportedSales", reportedSales).put("reportedUnits", reportedUnits);
            ObjectNode s = n.putObject("sales");
            this.sales.forEach(s::put);
            return n;
        }
    }
}
