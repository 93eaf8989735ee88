package io.openlive.server.store;

import io.openlive.engine.room.Room;
import io.openlive.engine.room.RoomIds;
import io.openlive.engine.room.RoomState;
import io.openlive.engine.room.RoomStore;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * {@link RoomStore} on {@link Database}; plain SQL that SQLite and PostgreSQL both run, through {@link Jdbc} like the
 * platform store. Usage: {@code new JdbcRoomStore(db, Clock.systemUTC()).create("My room")}.
 */
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
            insert(new Jdbc(c), room);
            return null;
        });
        return room;
    }

    static void insert(Jdbc j, Room room) {
        j.exec("INSERT INTO rooms (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)", room.id(), room.title(),
                room.streamKey(), room.state().wire(), room.owner(), room.scheduledAt(), room.createdAt(), room.updatedAt());
    }

    @Override
    public Optional<Room> find(String id) {
        return db.transaction(c -> new Jdbc(c).one("SELECT " + COLUMNS + " FROM rooms WHERE id = ?", JdbcRoomStore::room, id));
    }

    @Override
    public Optional<Room> findByStreamKey(String streamKey) {
        return db.transaction(c -> new Jdbc(c).one("SELECT " + COLUMNS + " FROM rooms WHERE stream_key = ?",
                JdbcRoomStore::room, streamKey));
    }

    @Override
    public List<Room> list(int limit, int offset) {
        return db.transaction(c -> new Jdbc(c).list("SELECT " + COLUMNS + " FROM rooms ORDER BY created_at DESC, id LIMIT ? OFFSET ?",
                JdbcRoomStore::room, limit, offset));
    }

    @Override
    public void setState(String id, RoomState state) {
        db.transaction(c -> new Jdbc(c).exec("UPDATE rooms SET state = ?, updated_at = ? WHERE id = ?",
                state.wire(), clock.millis(), id));
    }

    @Override
    public Room rotateStreamKey(String id) {
        String key = RoomIds.newStreamKey();
        return db.transaction(c -> {
            Jdbc j = new Jdbc(c);
            if (j.exec("UPDATE rooms SET stream_key = ?, updated_at = ? WHERE id = ?", key, clock.millis(), id) == 0) {
                throw new StoreException("no room " + id);
            }
            return j.one("SELECT " + COLUMNS + " FROM rooms WHERE id = ?", JdbcRoomStore::room, id).orElseThrow();
        });
    }

    /** A node-wide setting, such as the id of the demo room made when the data directory was new. */
    public Optional<String> setting(String name) {
        return db.transaction(c -> new Jdbc(c).one("SELECT value FROM settings WHERE name = ?", rs -> rs.getString("value"), name));
    }

    public void putSetting(String name, String value) {
        db.transaction(c -> new Jdbc(c).exec("INSERT INTO settings (name, value) VALUES (?, ?)"
                + " ON CONFLICT (name) DO UPDATE SET value = excluded.value", name, value));
    }

    static Room room(ResultSet rs) throws SQLException {
        return new Room(rs.getString("id"), rs.getString("title"), rs.getString("stream_key"),
                RoomState.valueOf(rs.getString("state").toUpperCase(Locale.ROOT)), rs.getString("owner"),
                Jdbc.instant(rs, "scheduled_at"), Jdbc.instant(rs, "created_at"), Jdbc.instant(rs, "updated_at"));
    }
}
