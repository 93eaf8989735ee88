package io.openlive.server.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two handles on one embedded data directory, as a running {@code openlive serve} and the CLI (or a second node) hold
 * them. Transactions that read and then write — most of the store's — must wait for each other, never fail with
 * "database is locked": in WAL mode a deferred transaction that read before another handle committed cannot upgrade
 * to a writer, and SQLite reports that at once instead of waiting out the busy timeout.
 */
class SharedSqliteTest {
    @TempDir
    Path dir;

    @Test
    void twoHandlesOnOneFileNeverFailWithBusy() throws Exception {
        try (Database one = Database.embedded(dir); Database two = Database.embedded(dir)) {
            one.transaction(c -> c.createStatement().executeUpdate("CREATE TABLE counter (n INTEGER NOT NULL)"));
            one.transaction(c -> c.createStatement().executeUpdate("INSERT INTO counter (n) VALUES (0)"));
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                List<Future<?>> work = new ArrayList<>();
                for (Database db : List.of(one, two)) {
                    work.add(pool.submit(() -> {
                        for (int i = 0; i < 300; i++) {
                            db.transaction(c -> {
                                long n;
                                try (ResultSet r = c.createStatement().executeQuery("SELECT n FROM counter")) {
                                    r.next();
                                    n = r.getLong(1);
                                }
                                try (PreparedStatement s = c.prepareStatement("UPDATE counter SET n = ?")) {
                                    s.setLong(1, n + 1);
                                    return s.executeUpdate();
                                }
                            });
                        }
                        return null;
                    }));
                }
                for (Future<?> f : work) {
                    f.get();
                }
            } finally {
                pool.shutdownNow();
            }
            long n = one.transaction(c -> {
                try (ResultSet r = c.createStatement().executeQuery("SELECT n FROM counter")) {
                    r.next();
                    return r.getLong(1);
                }
            });
            assertThat(n).as("no increment lost").isEqualTo(600);
        }
    }
}
