package io.openlive.server.store;

import org.flywaydb.core.Flyway;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The relational store: an embedded SQLite file (default, WAL mode) or PostgreSQL, migrated by Flyway on open.
 *
 * <p>Connections are kept in a small fixed pool ({@link #POOL_SIZE}; one for SQLite, which serialises writers anyway).
 * Usage: {@code try (var db = Database.open(url)) { db.transaction(c -> …); }}
 */
public final class Database implements AutoCloseable {
    /** Connections kept open for PostgreSQL; JDBC work runs on a worker pool of about this size. */
    public static final int POOL_SIZE = 4;
    private static final long BORROW_TIMEOUT_SECONDS = 30;
    /** How long an SQLite writer waits for another connection's transaction to end. */
    private static final int BUSY_TIMEOUT_MILLIS = 10_000;

    private final String url;
    private final BlockingQueue<Connection> pool;
    private final boolean sqlite;

    /** A unit of JDBC work. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private Database(String url, int size) throws SQLException {
        this.url = url;
        this.sqlite = url.startsWith("jdbc:sqlite:");
        this.pool = new ArrayBlockingQueue<>(size);
        for (int i = 0; i < size; i++) {
            pool.add(connect());
        }
    }

    /** The embedded database of a data directory: {@code DIR/openlive.db}. */
    public static Database embedded(Path dataDir) {
        try {
            Files.createDirectories(dataDir);
        } catch (java.io.IOException e) {
            throw new StoreException("cannot create data directory " + dataDir + ": " + e.getMessage());
        }
        return open("jdbc:sqlite:" + dataDir.resolve("openlive.db").toAbsolutePath());
    }

    public static Database open(String url) {
        var flyway = Flyway.configure().locations("classpath:db/migration");
        if (url.startsWith("jdbc:sqlite:")) {
            SQLiteDataSource source = new SQLiteDataSource(sqliteConfig());
            source.setUrl(url);
            flyway.dataSource(source); // the migration waits for other writers like every later transaction
        } else {
            flyway.dataSource(url, null, null);
        }
        flyway.load().migrate();
        try {
            return new Database(url, url.startsWith("jdbc:sqlite:") ? 1 : POOL_SIZE);
        } catch (SQLException e) {
            throw new StoreException("cannot open " + url + ": " + e.getMessage());
        }
    }

    private Connection connect() throws SQLException {
        return sqlite ? DriverManager.getConnection(url, sqliteConfig().toProperties()) : DriverManager.getConnection(url);
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

    /** Runs {@code work} in one transaction, committed before this returns. */
    public <T> T transaction(Work<T> work) {
        Connection c = borrow();
        try {
            c.setAutoCommit(false);
            T result = work.run(c);
            c.commit();
            return result;
        } catch (SQLException e) {
            rollback(c);
            throw new StoreException(e.getMessage());
        } catch (RuntimeException e) {
            rollback(c);
            throw e;
        } finally {
            giveBack(c);
        }
    }

    private Connection borrow() {
        try {
            Connection c = pool.poll(BORROW_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            if (c == null) {
                throw new StoreException("no database connection free within " + BORROW_TIMEOUT_SECONDS + " s");
            }
            if (c.isValid(2)) {
                return c;
            }
            try {
                c.close();
                return connect();
            } catch (SQLException e) {
                // the closed connection keeps its place in the pool (it is invalid, so the next borrow connects
                // again): while the database is down every borrow fails, and none shrinks the pool for good
                pool.add(c);
                throw new StoreException("database connection lost: " + e.getMessage());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted waiting for a database connection");
        } catch (SQLException e) {
            throw new StoreException("database connection lost: " + e.getMessage());
        }
    }

    private void giveBack(Connection c) {
        try {
            c.setAutoCommit(true);
        } catch (SQLException ignored) {
            // a broken connection is replaced on next borrow
        }
        pool.add(c);
    }

    private static void rollback(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the original failure is what matters
        }
    }

    @Override
    public void close() {
        Connection c;
        while ((c = pool.poll()) != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // closing anyway
            }
        }
    }
}
