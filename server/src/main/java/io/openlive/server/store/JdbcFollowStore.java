package io.openlive.server.store;

import io.openlive.engine.follow.FollowStore;
import io.openlive.engine.follow.Followee;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@link FollowStore} on {@link Database} (table {@code follows}, V9). A follow is {@code INSERT … ON CONFLICT DO NOTHING},
 * which SQLite (3.24+) and PostgreSQL both run atomically, so two nodes taking the same follow at once store one row.
 */
public final class JdbcFollowStore implements FollowStore {
    private final Database db;

    public JdbcFollowStore(Database db) {
        this.db = db;
    }

    @Override
    public Optional<String> roomOwner(String roomId) {
        return db.transaction(c -> new Jdbc(c).one("SELECT owner FROM rooms WHERE id = ?",
                rs -> rs.getString(1) == null ? "" : rs.getString(1), roomId));
    }

    @Override
    public boolean follow(Follow f) {
        return db.transaction(c -> new Jdbc(c).exec("INSERT INTO follows (followee_kind, followee_id, app_id, viewer_id, room_id, created_at) "
                        + "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (followee_kind, followee_id, app_id, viewer_id) DO NOTHING",
                f.followee().kind(), f.followee().id(), f.appId(), f.viewerId(), f.roomId(), f.at()) == 1);
    }

    @Override
    public boolean unfollow(Followee followee, String appId, String viewerId) {
        return db.transaction(c -> new Jdbc(c).exec("DELETE FROM follows WHERE followee_kind = ? AND followee_id = ? AND app_id = ? "
                + "AND viewer_id = ?", followee.kind(), followee.id(), appId, viewerId) == 1);
    }

    @Override
    public boolean isFollowing(Followee followee, String appId, String viewerId) {
        return db.transaction(c -> new Jdbc(c).one("SELECT 1 FROM follows WHERE followee_kind = ? AND followee_id = ? AND app_id = ? "
                + "AND viewer_id = ?", rs -> true, followee.kind(), followee.id(), appId, viewerId).isPresent());
    }

    @Override
    public Map<String, Long> followers(Followee followee) {
        return db.transaction(c -> {
            Map<String, Long> out = new LinkedHashMap<>();
            for (var row : new Jdbc(c).list("SELECT app_id, COUNT(*) FROM follows WHERE followee_kind = ? AND followee_id = ? "
                    + "GROUP BY app_id ORDER BY app_id", rs -> Map.entry(rs.getString(1), rs.getLong(2)), followee.kind(), followee.id())) {
                out.put(row.getKey(), row.getValue());
            }
            return out;
        });
    }
}
