package io.openlive.server.store;

import io.openlive.engine.analytics.StatsStore;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * {@link StatsStore} on {@link Database}. Additions are upserts that SQLite (3.24+) and PostgreSQL both run:
 * {@code INSERT … ON CONFLICT (…) DO UPDATE SET n = n + excluded.n}, atomic on either, so nodes add to the same rows.
 */
public final class JdbcStatsStore implements StatsStore {
    private final Database db;

    public JdbcStatsStore(Database db) {
        this.db = db;
    }

    @Override
    public void flush(Flush f) {
        // one statement each, executed as a JDBC batch: a room of thousands of viewers is a few round trips, not thousands
        db.transaction(c -> {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO viewer_samples (room_id, app_id, bucket, node, viewers) "
                    + "VALUES (?, ?, ?, ?, ?) ON CONFLICT (room_id, app_id, bucket, node) DO UPDATE SET viewers = excluded.viewers")) {
                for (Sample x : f.samples()) {
                    s.setString(1, x.roomId());
                    s.setString(2, x.appId());
                    s.setLong(3, x.bucket());
                    s.setString(4, f.node());
                    s.setInt(5, x.viewers());
                    s.addBatch();
                }
                s.executeBatch();
            }
            // the binding is read at the sample, so a component counts only the viewers it had while it was bound
            try (PreparedStatement s = c.prepareStatement("INSERT INTO component_views (room_id, app_id, version_id, bucket, node, viewers) "
                    + "SELECT d.room_id, d.app_id, v.version_id, ?, ?, ? FROM room_deliveries d "
                    + "JOIN instance_versions v ON v.instance_id = d.instance_id WHERE d.room_id = ? AND d.app_id = ? "
                    + "ON CONFLICT (room_id, app_id, version_id, bucket, node) DO UPDATE SET viewers = excluded.viewers")) {
                for (Sample x : f.samples()) {
                    if (x.viewers() > 0 && !x.appId().isEmpty()) {
                        s.setLong(1, x.bucket());
                        s.setString(2, f.node());
                        s.setInt(3, x.viewers());
                        s.setString(4, x.roomId());
                        s.setString(5, x.appId());
                        s.addBatch();
                    }
                }
                s.executeBatch();
            }
            try (PreparedStatement s = c.prepareStatement("INSERT INTO room_viewers (room_id, app_id, viewer_id, first_seen, watch_ms) "
                    + "VALUES (?, ?, ?, ?, ?) ON CONFLICT (room_id, app_id, viewer_id) DO UPDATE SET watch_ms = room_viewers.watch_ms + excluded.watch_ms")) {
                for (Watch w : f.watches()) {
                    s.setString(1, w.roomId());
                    s.setString(2, w.appId());
                    s.setString(3, w.viewerId());
                    s.setLong(4, w.firstSeen());
                    s.setLong(5, w.watchMillis());
                    s.addBatch();
                }
                s.executeBatch();
            }
            try (PreparedStatement s = c.prepareStatement("INSERT INTO room_counts (room_id, app_id, component, minute, kind, n) "
                    + "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (room_id, app_id, component, minute, kind) DO UPDATE SET n = room_counts.n + excluded.n")) {
                for (Count n : f.counts()) {
                    s.setString(1, n.roomId());
                    s.setString(2, n.appId());
                    s.setString(3, n.component());
                    s.setLong(4, n.minute());
                    s.setString(5, n.kind());
                    s.setLong(6, n.n());
                    s.addBatch();
                }
                s.executeBatch();
            }
            return null;
        });
    }

    @Override
    public int rollUp(long before) {
        long edge = before - before % 60_000; // whole minutes only: a minute still being sampled is left alone
        return db.transaction(c -> {
            Jdbc j = new Jdbc(c);
            j.exec("INSERT INTO viewer_samples (room_id, app_id, bucket, node, viewers) "
                    + "SELECT room_id, app_id, bucket - bucket % 60000, node, MAX(viewers) FROM viewer_samples "
                    + "WHERE bucket < ? AND bucket % 60000 <> 0 GROUP BY room_id, app_id, bucket - bucket % 60000, node "
                    + "ON CONFLICT (room_id, app_id, bucket, node) DO UPDATE SET viewers = "
                    + "CASE WHEN excluded.viewers > viewer_samples.viewers THEN excluded.viewers ELSE viewer_samples.viewers END", edge);
            j.exec("INSERT INTO component_views (room_id, app_id, version_id, bucket, node, viewers) "
                    + "SELECT room_id, app_id, version_id, bucket - bucket % 60000, node, MAX(viewers) FROM component_views "
                    + "WHERE bucket < ? AND bucket % 60000 <> 0 GROUP BY room_id, app_id, version_id, bucket - bucket % 60000, node "
                    + "ON CONFLICT (room_id, app_id, version_id, bucket, node) DO UPDATE SET viewers = "
                    + "CASE WHEN excluded.viewers > component_views.viewers THEN excluded.viewers ELSE component_views.viewers END", edge);
            j.exec("DELETE FROM component_views WHERE bucket < ? AND bucket % 60000 <> 0", edge);
            return j.exec("DELETE FROM viewer_samples WHERE bucket < ? AND bucket % 60000 <> 0", edge);
        });
    }

    @Override
    public List<Point> points(String roomId, long from, long to) {
        return read(j -> j.list("SELECT app_id, bucket, SUM(viewers) FROM viewer_samples WHERE room_id = ? AND bucket >= ? AND bucket < ? "
                + "GROUP BY app_id, bucket", rs -> new Point(rs.getString(1), rs.getLong(2), rs.getLong(3)), roomId, from, to));
    }

    @Override
    public List<ViewRow> componentViews(String roomId, long from, long to) {
        return read(j -> j.list("SELECT app_id, version_id, bucket, SUM(viewers) FROM component_views WHERE room_id = ? AND bucket >= ? "
                + "AND bucket < ? GROUP BY app_id, version_id, bucket", JdbcStatsStore::views, roomId, from, to));
    }

    @Override
    public List<ViewRow> versionViews(String versionId) {
        return read(j -> j.list("SELECT app_id, room_id, bucket, SUM(viewers) FROM component_views WHERE version_id = ? "
                + "GROUP BY app_id, room_id, bucket", JdbcStatsStore::views, versionId));
    }

    private static ViewRow views(ResultSet rs) throws SQLException {
        return new ViewRow(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(4));
    }

    @Override
    public List<AudienceRow> audience(String roomId) {
        return read(j -> j.list("SELECT app_id, COUNT(*), SUM(watch_ms) FROM room_viewers WHERE room_id = ? GROUP BY app_id",
                rs -> new AudienceRow(rs.getString(1), rs.getLong(2), rs.getLong(3)), roomId));
    }

    @Override
    public List<CountRow> counts(String roomId, long from, long to) {
        return read(j -> j.list("SELECT app_id, component, kind, SUM(n) FROM room_counts WHERE room_id = ? AND minute >= ? AND minute < ? "
                + "GROUP BY app_id, component, kind", rs -> new CountRow(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4)),
                roomId, from - from % 60_000, to));
    }

    @Override
    public List<SalesRow> orders(String roomId, long from, long to) {
        return read(j -> j.list("SELECT app_id, component, currency, COUNT(*), SUM(quantity), SUM(amount) FROM orders "
                + "WHERE room_id = ? AND created_at >= ? AND created_at < ? AND status IN ('pending', 'paid') "
                + "GROUP BY app_id, component, currency", JdbcStatsStore::sales, roomId, from, to));
    }

    @Override
    public List<SalesRow> hostSales(String roomId, long from, long to) {
        return read(j -> j.list("SELECT app_id, component, currency, COUNT(*), SUM(quantity), SUM(amount) FROM host_sales "
                + "WHERE room_id = ? AND sold_at >= ? AND sold_at < ? GROUP BY app_id, component, currency", JdbcStatsStore::sales, roomId, from, to));
    }

    @Override
    public List<CountRow> componentCounts(String versionId) {
        return read(j -> j.list("SELECT app_id, room_id, kind, SUM(n) FROM room_counts WHERE component = ? GROUP BY app_id, room_id, kind",
                rs -> new CountRow(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4)), versionId));
    }

    @Override
    public List<SalesRow> componentOrders(String versionId) {
        return read(j -> j.list("SELECT app_id, room_id, currency, COUNT(*), SUM(quantity), SUM(amount) FROM orders "
                + "WHERE component = ? AND status IN ('pending', 'paid') GROUP BY app_id, room_id, currency", JdbcStatsStore::sales, versionId));
    }

    @Override
    public List<SalesRow> componentReported(String versionId) {
        return read(j -> j.list("SELECT app_id, room_id, currency, COUNT(*), SUM(quantity), SUM(amount) FROM host_sales "
                + "WHERE component = ? GROUP BY app_id, room_id, currency", JdbcStatsStore::sales, versionId));
    }

    @Override
    public HostSale reportSale(HostSale s) {
        return db.transaction(c -> {
            Jdbc j = new Jdbc(c);
            j.exec("INSERT INTO host_sales (id, room_id, app_id, external_id, product_id, viewer_id, component, quantity, amount, currency, "
                    + "sold_at, reported_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (app_id, external_id) DO NOTHING",
                    s.id(), s.roomId(), s.appId(), s.externalId(), s.productId(), s.viewerId(), s.component(), s.quantity(), s.amount(),
                    s.currency(), s.soldAt(), s.reportedAt());
            return j.one("SELECT * FROM host_sales WHERE app_id = ? AND external_id = ?", rs -> new HostSale(rs.getString("id"),
                    rs.getString("room_id"), rs.getString("app_id"), rs.getString("external_id"), rs.getString("product_id"),
                    rs.getString("viewer_id"), rs.getString("component"), rs.getInt("quantity"), rs.getLong("amount"),
                    rs.getString("currency"), rs.getLong("sold_at"), rs.getLong("reported_at")), s.appId(), s.externalId()).orElseThrow();
        });
    }

    @Override
    public Optional<String> roomOwner(String roomId) {
        return read(j -> j.one("SELECT owner FROM rooms WHERE id = ?", rs -> rs.getString(1) == null ? "" : rs.getString(1), roomId));
    }

    @Override
    public java.util.Map<String, Long> followers(io.openlive.engine.follow.Followee followee) {
        return new JdbcFollowStore(db).followers(followee);
    }

    @Override
    public List<String> roomApps(String roomId) {
        return read(j -> j.list("SELECT app_id FROM room_deliveries WHERE room_id = ?", rs -> rs.getString(1), roomId));
    }

    private static SalesRow sales(ResultSet rs) throws SQLException {
        return new SalesRow(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4), rs.getLong(5), rs.getLong(6));
    }

    private <T> T read(java.util.function.Function<Jdbc, T> query) {
        return db.transaction(c -> query.apply(new Jdbc(c)));
    }
}
