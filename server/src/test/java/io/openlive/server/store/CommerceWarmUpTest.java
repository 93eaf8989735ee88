package io.openlive.server.store;

import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link JdbcCommerceStore#warmUp}: on PostgreSQL every pooled connection has the order path's statements prepared on
 * the server (pg_prepared_statements of that backend) with a generic plan chosen, before any order; a connection the
 * pool opens later to replace one is warmed before its first use too; and the warm-up leaves no row behind. On SQLite it
 * runs and leaves nothing either.
 */
class CommerceWarmUpTest {
    /** The start of each statement a placed order runs, as PostgreSQL shows it ($n for parameters). */
    private static final List<String> ORDER_PATH = List.of(
            "SELECT o.id, o.room_id", // the batch's idempotency keys
            "SELECT id, room_id, app_id, viewer_id, component, product_id, quantity, amount, currency, status, idempotency_key, created_at, expires_at, updated_at FROM orders WHERE app_id = $1",
            "SELECT 1 FROM room_products",
            "SELECT id, owner_kind",
            "UPDATE products SET stock = stock - $1",
            "SELECT COALESCE(SUM(quantity), 0) FROM orders",
            "INSERT INTO orders",
            "SELECT app_id, host_cart",
            "INSERT INTO outbox");

    @Test
    void everyPooledConnectionHasTheOrderStatementsPreparedBeforeTheFirstSale() throws Exception {
        Databases.Fresh fresh = Databases.open("postgresql");
        try (AutoCloseable drop = fresh.drop()) {
            new JdbcCommerceStore(fresh.db()).warmUp();
            Map<Integer, List<Prepared>> first = everyConnection(fresh.db());
            assertThat(first).as("backends of the pool").hasSize(Database.POOL_SIZE);
            first.forEach(CommerceWarmUpTest::assertWarm);
            assertThat(rows(fresh.db(), "products") + rows(fresh.db(), "orders") + rows(fresh.db(), "outbox")).as("rows left").isZero();

            // the database ends every backend (as a restart would): the pool replaces them, each warmed before its first use
            try (Connection admin = DriverManager.getConnection(Databases.POSTGRES); Statement s = admin.createStatement()) {
                for (int pid : first.keySet()) {
                    s.execute("SELECT pg_terminate_backend(" + pid + ")");
                }
            }
            Thread.sleep(700); // past the pool's window in which a borrowed connection is not checked
            Map<Integer, List<Prepared>> replaced = everyConnection(fresh.db());
            assertThat(replaced).hasSize(Database.POOL_SIZE);
            assertThat(replaced.keySet()).as("new backends").doesNotContainAnyElementsOf(first.keySet());
            replaced.forEach(CommerceWarmUpTest::assertWarm);
        }
    }

    @Test
    void onSqliteTheWarmUpLeavesNothingBehind() throws Exception {
        Databases.Fresh fresh = Databases.open("sqlite");
        try (AutoCloseable drop = fresh.drop()) {
            new JdbcCommerceStore(fresh.db()).warmUp();
            assertThat(rows(fresh.db(), "products") + rows(fresh.db(), "orders") + rows(fresh.db(), "outbox")).isZero();
        }
    }

    private record Prepared(String statement, long genericPlans, long customPlans) {
    }

    private static void assertWarm(int pid, List<Prepared> prepared) {
        for (String start : ORDER_PATH) {
            List<Prepared> matching = prepared.stream().filter(p -> p.statement().startsWith(start)).toList();
            assertThat(matching).as("backend %d: prepared %s…", pid, start).isNotEmpty();
        }
        Prepared stock = prepared.stream().filter(p -> p.statement().startsWith("UPDATE products SET stock = stock - $1")).findFirst().orElseThrow();
        assertThat(stock.genericPlans()).as("backend %d: the stock update runs on a generic plan (%s)", pid, stock).isPositive();
    }

    /** Each pooled connection (all borrowed at once) by its backend's pid, with its server-side prepared statements. */
    private static Map<Integer, List<Prepared>> everyConnection(Database db) {
        Map<Integer, List<Prepared>> out = new HashMap<>();
        holding(db, Database.POOL_SIZE, new ArrayList<>(), held -> {
            for (Connection c : held) {
                List<Prepared> prepared = new ArrayList<>();
                int pid;
                try (Statement s = c.createStatement()) {
                    try (ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
                        rs.next();
                        pid = rs.getInt(1);
                    }
                    try (ResultSet rs = s.executeQuery("SELECT statement, generic_plans, custom_plans FROM pg_prepared_statements")) {
                        while (rs.next()) {
                            prepared.add(new Prepared(rs.getString(1), rs.getLong(2), rs.getLong(3)));
                        }
                    }
                }
                out.put(pid, prepared);
            }
        });
        return out;
    }

    private interface Held {
        void run(List<Connection> held) throws SQLException;
    }

    private static void holding(Database db, int n, List<Connection> held, Held work) {
        db.transaction(c -> {
            held.add(c);
            if (held.size() == n) {
                work.run(held);
            } else {
                holding(db, n, held, work);
            }
            return null;
        });
    }

    private static long rows(Database db, String table) {
        return db.transaction(c -> {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }
}
