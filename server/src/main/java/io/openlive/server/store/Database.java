package io.openlive.server.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * The relational store: an embedded SQLite file (default, WAL mode) or PostgreSQL, migrated by Flyway on open.
 *
 * <p>PostgreSQL connections come from a HikariCP pool of {@link #POOL_SIZE}, which checks a connection only when it has
 * been idle a while rather than with a round trip on every borrow. SQLite keeps exactly one connection: the file
 * serialises writers anyway, and a second connection in the same process would only wait on the first. A transaction
 * that fails in any way, {@link Error}s included, is rolled back before the failure goes on. Warm-ups
 * ({@link #warmEveryConnection}) run once on every connection before its first transaction.
 * Usage: {@code try (var db = Database.open(url)) { db.transaction(c -> …); }}
 */
public final class Database implements AutoCloseable {
    /** Connections kept open for PostgreSQL; JDBC work runs on a worker pool of about this size. */
    public static final int POOL_SIZE = 4;
    private static final long BORROW_TIMEOUT_SECONDS = 30;
    /** How long an SQLite writer waits for another connection's transaction to end. */
    private static final int BUSY_TIMEOUT_MILLIS = 10_000;
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(Database.class);

    /** PostgreSQL's pool, or null for SQLite. */
    private final HikariDataSource pool;
    /** SQLite's one connection while it is free, or null for PostgreSQL. */
    private final BlockingQueue<Connection> single;
    /** Work every connection runs once before its first transaction ({@link #warmEveryConnection}). */
    private final List<Work<?>> warmUps = new CopyOnWriteArrayList<>();
    /** How many of {@link #warmUps} each open connection (the driver's, not the pool's proxy) has run. */
    private final Map<Connection, Integer> warmed = Collections.synchronizedMap(new WeakHashMap<>());

    /** A unit of JDBC work. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private Database(HikariDataSource pool, Connection sqlite) {
        this.pool = pool;
        if (sqlite == null) {
            this.single = null;
        } else {
            this.single = new ArrayBlockingQueue<>(1);
            single.add(sqlite);
        }
    }

    /** The embedded database of a data directory: {@code DIR/openlive.db}. */
    public static Database embedded(Path dataDir) {
        try {
            Files.createDirectories(dataDir);
        } catch (java.io.IOException e) {
            throw new StoreException("cannot create data directory " + dataDir + ": " + e.getMessage(), e);
        }
        return open("jdbc:sqlite:" + dataDir.resolve("openlive.db").toAbsolutePath());
    }

    public static Database open(String url) {
        var flyway = Flyway.configure().locations("classpath:db/migration");
        if (url.startsWith("jdbc:sqlite:")) {
            SQLiteDataSource source = new SQLiteDataSource(sqliteConfig());
            source.setUrl(url);
            flyway.dataSource(source).load().migrate(); // the migration waits for other writers like every later transaction
            try {
                return new Database(null, DriverManager.getConnection(url, sqliteConfig().toProperties()));
            } catch (SQLException e) {
                throw new StoreException("cannot open " + url + ": " + e.getMessage(), e);
            }
        }
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(hikari(url));
        } catch (RuntimeException e) {
            throw new StoreException("cannot open " + url + ": " + e.getMessage(), e);
        }
        try {
            flyway.dataSource(pool).load().migrate();
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
        return new Database(pool, null);
    }

    private static HikariConfig hikari(String url) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setPoolName("openlive-store");
        config.setMaximumPoolSize(POOL_SIZE);
        config.setConnectionTimeout(TimeUnit.SECONDS.toMillis(BORROW_TIMEOUT_SECONDS));
        return config;
    }

    /**
     * SQLite settings for every connection, Flyway's included. Transactions begin IMMEDIATE: another process (the CLI, a
     * second node) may hold the same file, and a deferred transaction that has read cannot become a writer once someone
     * else committed — SQLite then fails at once with "database is locked" instead of waiting out the busy timeout.
     */
    private static SQLiteConfig sqliteConfig() {
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.FULL); // acknowledged means on disk
        config.setBusyTimeout(BUSY_TIMEOUT_MILLIS);
        config.enforceForeignKeys(true);
        config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        return config;
    }

    /**
     * Runs {@code work} in one transaction, committed before this returns. Whatever {@code work} throws — an SQL error,
     * a runtime exception or an {@link Error} — rolls the transaction back first: nothing half-done is ever committed.
     */
    public <T> T transaction(Work<T> work) {
        Connection c = borrow();
        try {
            c.setAutoCommit(false);
            T result = work.run(c);
            c.commit();
            return result;
        } catch (SQLException e) {
            rollback(c, e);
            throw new StoreException(e.getMessage(), e);
        } catch (RuntimeException | Error e) {
            rollback(c, e);
            throw e;
        } finally {
            giveBack(c);
        }
    }

    /** Whether this is PostgreSQL (else SQLite): for the few statements the two spell differently. */
    public boolean postgres() {
        return pool != null;
    }

    /**
     * Runs {@code warmUp} on every connection, each in a transaction of its own that is always rolled back: at once on
     * every connection of the pool (all borrowed together, so none is missed), and later on each connection the pool
     * opens to replace one (after its maximum lifetime, or a database restart) before that connection's first
     * transaction. For what a fresh database backend would otherwise do during the first busy moment: plan and prepare
     * statements, load its catalog caches. A warm-up that fails is logged and the connection serves cold; a database
     * that is down at the time fails here as any transaction would.
     */
    public void warmEveryConnection(Work<?> warmUp) {
        warmUps.add(warmUp);
        List<Connection> held = new ArrayList<>();
        try {
            for (int i = 0; i < (pool == null ? 1 : POOL_SIZE); i++) {
                held.add(borrow()); // borrowing warms
            }
        } finally {
            held.forEach(this::giveBack);
        }
    }

    /** Runs the warm-ups this connection has not run yet. */
    private void warm(Connection c) {
        if (warmUps.isEmpty()) {
            return;
        }
        Connection driver;
        try {
            driver = pool == null ? c : c.unwrap(Connection.class);
        } catch (SQLException e) {
            return;
        }
        int done = warmed.getOrDefault(driver, 0);
        int all = warmUps.size();
        if (done >= all) {
            return;
        }
        warmed.put(driver, all); // once, even if it fails: a broken warm-up must not cost every transaction
        for (Work<?> w : warmUps.subList(done, all)) {
            try {
                c.setAutoCommit(false);
                w.run(c);
            } catch (SQLException | RuntimeException e) {
                log.warn("[store] a connection's warm-up failed, it serves cold: {}", e.toString());
            } finally {
                try {
                    c.rollback();
                } catch (SQLException e) {
                    log.warn("[store] a connection's warm-up could not roll back: {}", e.toString());
                }
            }
        }
    }

    /** True when a connection answers within {@code seconds}; for readiness checks. */
    public boolean isReachable(int seconds) {
        try {
            return transaction(c -> c.isValid(seconds));
        } catch (RuntimeException e) {
            return false;
        }
    }

    private Connection borrow() {
        try {
            Connection c;
            if (pool != null) {
                c = pool.getConnection();
            } else {
                c = single.poll(BORROW_TIMEOUT_SECONDS, TimeUnit.SECONDS);
                if (c == null) {
                    throw new StoreException("no database connection free within " + BORROW_TIMEOUT_SECONDS + " s");
                }
            }
            try {
                warm(c);
            } catch (Error e) {
                giveBack(c);
                throw e;
            }
            return c;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted waiting for a database connection", e);
        } catch (SQLException e) {
            throw new StoreException("no database connection: " + e.getMessage(), e);
        }
    }

    private void giveBack(Connection c) {
        if (pool != null) {
            try {
                c.close(); // back to the pool, which resets auto-commit
            } catch (SQLException ignored) {
                // the pool evicts a broken connection itself
            }
            return;
        }
        try {
            c.setAutoCommit(true);
        } catch (SQLException ignored) {
            // SQLite's connection is a file handle; it does not break the way a socket does
        }
        single.add(c);
    }

    private static void rollback(Connection c, Throwable failure) {
        try {
            c.rollback();
        } catch (SQLException | RuntimeException e) {
            failure.addSuppressed(e); // the original failure is what matters; keep this beside it
        }
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.close();
            return;
        }
        Connection c = single.poll();
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // closing anyway
            }
        }
    }
}
