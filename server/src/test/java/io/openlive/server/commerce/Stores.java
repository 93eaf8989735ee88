package io.openlive.server.commerce;

import org.junit.jupiter.api.Assumptions;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * A database for a test of one or more nodes (commerce, restream): the embedded SQLite file of the server's data directory (empty URL), or a schema of
 * its own on the real PostgreSQL at 127.0.0.1:5432 (database {@code test}), dropped by {@link #close}. Without
 * PostgreSQL the test is skipped locally and fails in CI.
 */
public final class Stores implements AutoCloseable {
    static final String POSTGRES = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";
    public final String url;
    private final String schema;

    private Stores(String url, String schema) {
        this.url = url;
        this.schema = schema;
    }

    public static Stores of(String kind) {
        if (kind.equals("sqlite")) {
            return new Stores("", null);
        }
        String schema = "openlive_commerce_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = DriverManager.getConnection(POSTGRES); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        } catch (SQLException e) {
            String message = "PostgreSQL is not reachable at 127.0.0.1:5432/test: " + e.getMessage();
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new AssertionError(message);
            }
            Assumptions.abort(message);
        }
        return new Stores(POSTGRES + "&currentSchema=" + schema, schema);
    }

    @Override
    public void close() throws SQLException {
        if (schema != null) {
            try (Connection c = DriverManager.getConnection(POSTGRES); Statement s = c.createStatement()) {
                s.execute("DROP SCHEMA " + schema + " CASCADE");
            }
        }
    }
}
