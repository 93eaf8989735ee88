package io.openlive.server.store;

import io.openlive.engine.room.Room;
import io.openlive.engine.room.RoomIds;
import io.openlive.engine.room.RoomState;
import io.openlive.engine.room.RoomStore;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** {@link RoomStore} on {@link Database}; plain SQL that SQLite and PostgreSQL both run. */
public final class JdbcRoomStore implements RoomStore {
    static final String COLUMNS = "id, title, stream_key, state, owner, scheduled_at, created_at, updated_at";

    private final Database db;
    private final Clock clock;

    public JdbcRoomStore(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    @Override
    public Room create(String title) {
        Instant now = clock.instant();
        Room room = new Room(RoomIds.newRoomId(), title, RoomIds.newStreamKey(), RoomState.SCHEDULED, null, null, now, now);
        db.transaction(c -> {
            insert(c, room);
            return null;
        });
        return room;
    }

    static void insert(Connection c, Room room) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO rooms (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            s.setString(1, room.id());
            s.setString(2, room.title());
            s.setString(3, room.streamKey());
            s.setString(4, room.state().wire());
            s.setString(5, room.owner());
            if (room.scheduledAt() == null) {
                s.setNull(6, java.sql.Types.BIGINT);
            } else {
                s.setLong(6, room.scheduledAt().toEpochMilli());
            }
            s.setLong(7, room.createdAt().toEpochMilli());
            s.setLong(8, room.updatedAt().toEpochMilli());
            s.executeUpdate();
        }
    }

    @Override
    public Optional<Room> find(String id) {
        return db.transaction(c -> one(c, "SELECT " + COLUMNS + " FROM rooms WHERE id = ?", id));
    }

    @Override
    public Optional<Room> findByStreamKey(String streamKey) {
        return db.transaction(c -> one(c, "SELECT " + COLUMNS + " FROM rooms WHERE stream_key = ?", streamKey));
    }

    @Override
    public List<Room> list(int limit, int offset) {
        return db.transaction(c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT " + COLUMNS + " FROM rooms ORDER BY created_at DESC, id LIMIT ? OFFSET ?")) {
                s.setInt(1, limit);
                s.setInt(2, offset);
                List<Room> rooms = new ArrayList<>();
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        rooms.add(room(rs));
                    }
                }
                return rooms;
            }
        });
    }

    @Override
    public void setState(String id, RoomState state) {
        db.transaction(c -> {
            try (PreparedStatement s = c.prepareStatement("UPDATE rooms SET state = ?, updated_at = ? WHERE id = ?")) {
                s.setString(1, state.wire());
                s.setLong(2, clock.millis());
                s.setString(3, id);
                return s.executeUpdate();
            }
        });
    }

    @Override
    public Room rotateStreamKey(String id) {
        String key = RoomIds.newStreamKey();
        return db.transaction(c -> {
            try (PreparedStatement s = c.prepareStatement("UPDATE rooms SET stream_key = ?, updated_at = ? WHERE id = ?")) {
                s.setString(1, key);
                s.setLong(2, clock.millis());
                s.setString(3, id);
                if (s.executeUpdate() == 0) {
                    throw new StoreException("no room " + id);
                }
            }
            return one(c, "SELECT " + COLUMNS + " FROM rooms WHERE id = ?", id).orElseThrow();
        });
    }

    /** A node-wide setting, such as the id of the demo room made when the data directory was new. */
    public Optional<String> setting(String name) {
        return db.transaction(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT value FROM settings WHERE name = ?")) {
                s.setString(1, name);
                try (ResultSet rs = s.executeQuery()) {
                    return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
                }
            }
        });
    }

    public void putSetting(String name, String value) {
        db.transaction(c -> {
            try (PreparedStatement del = c.prepareStatement("DELETE FROM settings WHERE name = ?");
                 PreparedStatement ins = c.prepareStatement("INSERT INTO settings (name, value) VALUES (?, ?)")) {
                del.setString(1, name);
                del.executeUpdate();
                ins.setString(1, name);
                ins.setString(2, value);
                return ins.executeUpdate();
            }
        });
    }

    static Optional<Room> one(Connection c, String sql, String arg) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, arg);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(room(rs)) : Optional.empty();
            }
        }
    }

    static Room room(ResultSet rs) throws SQLException {
        long scheduled = rs.getLong(6);
        Instant scheduledAt = rs.wasNull() ? null : Instant.ofEpochMilli(scheduled);
        return new Room(rs.getString(1), rs.getString(2), rs.getString(3),
                RoomState.valueOf(rs.getString(4).toUpperCase(Locale.ROOT)), rs.getString(5), scheduledAt,
                Instant.ofEpochMilli(rs.getLong(7)), Instant.ofEpochMilli(rs.getLong(8)));
    }
}
