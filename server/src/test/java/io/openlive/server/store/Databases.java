package io.openlive.server.store;

import org.junit.jupiter.api.Assumptions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * The two stores the data layer must work on: an embedded SQLite file, and the real PostgreSQL on 127.0.0.1:5432
 * (database {@code test}, trust auth) in a schema of its own that is dropped afterwards. Without PostgreSQL the test is
 * skipped locally and fails in CI.
 */
final class Databases {
    static final String POSTGRES = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";

    private Databases() {
    }

    /** A fresh database of the given kind, its URL (for a second handle, as another node holds it) and what drops it. */
    record Fresh(Database db, String url, AutoCloseable drop) {
    }

    static Fresh open(String kind) throws Exception {
        if (kind.equals("sqlite")) {
            Path dir = Files.createTempDirectory("openlive-store");
            return new Fresh(Database.embedded(dir), "jdbc:sqlite:" + dir.resolve("openlive.db").toAbsolutePath(), () -> { });
        }
        String schema = "openlive_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = DriverManager.getConnection(POSTGRES); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        } catch (SQLException e) {
            String message = "PostgreSQL is not reachable at 127.0.0.1:5432/test: " + e.getMessage();
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new AssertionError(message);
            }
            Assumptions.abort(message);
        }
        String url = POSTGRES + "&currentSchema=" + schema;
        Database db = Database.open(url);
        return new Fresh(db, url, () -> {
            db.close();
            try (Connection c = DriverManager.getConnection(POSTGRES); Statement s = c.createStatement()) {
                s.execute("DROP SCHEMA " + schema + " CASCADE");
            }
        });
    }
}
