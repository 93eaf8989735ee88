package io.openlive.server.store;

import io.openlive.engine.platform.PlatformException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Plain JDBC on one connection: parameters bound by position, rows mapped by a function, SQL errors unchecked. */
final class Jdbc {
    @FunctionalInterface
    interface Row<T> {
        T map(ResultSet rs) throws SQLException;
    }

    private final Connection c;

    Jdbc(Connection c) {
        this.c = c;
    }

    int exec(String sql, Object... args) {
        try (PreparedStatement s = prepare(sql, args)) {
            return s.executeUpdate();
        } catch (SQLException e) {
            throw translate(e);
        }
    }

    <T> List<T> list(String sql, Row<T> row, Object... args) {
        try (PreparedStatement s = prepare(sql, args); ResultSet rs = s.executeQuery()) {
            List<T> out = new ArrayList<>();
            while (rs.next()) {
                out.add(row.map(rs));
            }
            return out;
        } catch (SQLException e) {
            throw translate(e);
        }
    }

    <T> Optional<T> one(String sql, Row<T> row, Object... args) {
        List<T> rows = list(sql, row, args);
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }

    Connection connection() {
        return c;
    }

    private PreparedStatement prepare(String sql, Object... args) throws SQLException {
        PreparedStatement s = c.prepareStatement(sql);
        for (int i = 0; i < args.length; i++) {
            Object a = args[i];
            switch (a) {
                case null -> s.setNull(i + 1, Types.NULL);
                case Instant t -> s.setLong(i + 1, t.toEpochMilli());
                case Boolean b -> s.setInt(i + 1, b ? 1 : 0);
                case Integer n -> s.setInt(i + 1, n);
                case Long n -> s.setLong(i + 1, n);
                case java.sql.Array array -> s.setArray(i + 1, array);
                default -> s.setString(i + 1, a.toString());
            }
        }
        return s;
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochMilli(v);
    }

    /** A unique-key violation is a conflict the caller can act on; anything else is the store's failure. */
    private static RuntimeException translate(SQLException e) {
        String state = e.getSQLState();
        boolean unique = "23505".equals(state) || (e.getErrorCode() == 19 && String.valueOf(e.getMessage()).contains("UNIQUE"));
        if (unique) {
            return PlatformException.conflict("CONFLICT", "already exists (concurrent change); retry");
        }
        return new StoreException(e.getMessage(), e);
    }
}
