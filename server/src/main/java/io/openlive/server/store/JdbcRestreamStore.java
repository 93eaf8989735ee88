package io.openlive.server.store;

import io.openlive.server.restream.Destination;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Rooms' restream destinations (table {@code restreams}, V8) on {@link Database}; plain SQL for SQLite and PostgreSQL. */
public final class JdbcRestreamStore {
    private static final String COLUMNS = "id, room_id, url, stream_key, enabled, created_at";
    private final Database db;

    public JdbcRestreamStore(Database db) {
        this.db = db;
    }

    /**
     * Inserts the destination unless its room already has {@code max}; false then. Adds to one room run one at a time in
     * the database, so the cap holds across nodes as well as within one.
     *
     * <p>PostgreSQL: the transaction first locks the room's row, and counts in a later statement. Under READ COMMITTED
     * each statement sees what was committed when it began, so a conditional insert alone let adds that ran at the same
     * moment all count the same rows and all insert (10 to 14 of 48 racing adds were stored in a test, where 8 were
     * allowed). Once the lock is held, the count's statement begins after every earlier add to the room has committed.
     * The room's row is the natural lock: it exists for every destination (a foreign key), and locking it serialises
     * only that room. FOR NO KEY UPDATE, not FOR UPDATE, so inserts elsewhere that merely reference the room (they take
     * KEY SHARE) do not wait; an update of the room itself waits the few milliseconds of this transaction. SERIALIZABLE
     * would hold the cap too, but by failing one of two racing adds, which would then have to be retried.
     *
     * <p>SQLite: every transaction begins IMMEDIATE ({@link Database}), holding the file's write lock from its first
     * statement, so count and insert already run alone, across processes too.
     */
    public boolean insertIfFewer(Destination d, int max) {
        return db.transaction(c -> {
            if (db.postgres()) {
                try (PreparedStatement lock = c.prepareStatement("SELECT id FROM rooms WHERE id = ? FOR NO KEY UPDATE")) {
                    lock.setString(1, d.roomId());
                    lock.executeQuery().close();
                }
            }
            try (PreparedStatement s = c.prepareStatement("INSERT INTO restreams (" + COLUMNS + ") SELECT ?, ?, ?, ?, ?, ?"
                    + " WHERE (SELECT COUNT(*) FROM restreams WHERE room_id = ?) < ?")) {
                s.setString(1, d.id());
                s.setString(2, d.roomId());
                s.setString(3, d.url());
                s.setString(4, d.key());
                s.setBoolean(5, d.enabled());
                s.setLong(6, d.createdAt());
                s.setString(7, d.roomId());
                s.setInt(8, max);
                return s.executeUpdate() == 1;
            }
        });
    }

    public List<Destination> byRoom(String roomId) {
        return db.transaction(c -> list(c, "SELECT " + COLUMNS + " FROM restreams WHERE room_id = ? ORDER BY created_at, id", roomId));
    }

    public Optional<Destination> find(String roomId, String id) {
        return byRoom(roomId).stream().filter(d -> d.id().equals(id)).findFirst();
    }

    public boolean setEnabled(String id, boolean enabled) {
        return db.transaction(c -> {
            try (PreparedStatement s = c.prepareStatement("UPDATE restreams SET enabled = ? WHERE id = ?")) {
                s.setBoolean(1, enabled);
                s.setString(2, id);
                return s.executeUpdate() == 1;
            }
        });
    }

    public boolean delete(String id) {
        return db.transaction(c -> {
            try (PreparedStatement s = c.prepareStatement("DELETE FROM restreams WHERE id = ?")) {
                s.setString(1, id);
                return s.executeUpdate() == 1;
            }
        });
    }

    private static List<Destination> list(Connection c, String sql, String arg) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, arg);
            try (ResultSet rs = s.executeQuery()) {
                List<Destination> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(new Destination(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getBoolean(5), rs.getLong(6)));
                }
                return out;
            }
        }
    }
}
