package io.openlive.server.store;

import io.openlive.engine.commerce.CommerceStore;
import io.openlive.engine.commerce.Order;
import io.openlive.engine.commerce.OrderStatus;
import io.openlive.engine.commerce.Product;
import io.openlive.engine.platform.AuditEntry;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * {@link CommerceStore} on {@link Database}: plain SQL that SQLite and PostgreSQL both run. Stock is taken by one
 * conditional {@code UPDATE … SET stock = stock - ? WHERE stock >= ?} (and a CHECK keeps it from going negative); a
 * batch runs each unit in a savepoint, and a unit whose order insert meets another transaction's row with the same
 * idempotency key is rolled back and run again, to answer that order. {@link #warmUp} prepares the order path's
 * statements on every connection before the first sale.
 */
public final class JdbcCommerceStore implements CommerceStore {
    private static final String PRODUCT = "id, owner_kind, owner_id, title, image, price, currency, stock, per_viewer_limit, active, created_at, updated_at";
    private static final String ORDER = "id, room_id, app_id, viewer_id, component, product_id, quantity, amount, currency, status, "
            + "idempotency_key, created_at, expires_at, updated_at";

    /** Idempotency keys looked up in one query at most on SQLite (three bound parameters each). */
    static final int KEYS_PER_QUERY = 100;
    /**
     * How often the warm-up runs each statement of the order path. PgJDBC prepares a statement on the server at its
     * fifth use on a connection ({@code prepareThreshold}); PostgreSQL then plans the first five executions of a prepared
     * statement for their parameters and at the sixth weighs a generic plan, which it keeps when it is no worse. Twelve
     * uses leave every statement prepared with that choice made, so a sale's statements are neither parsed nor planned.
     */
    static final int WARM_RUNS = 12;

    private final Database db;

    public JdbcCommerceStore(Database db) {
        this.db = db;
    }

    /** An order insert met a committed order with the same idempotency key (two nodes, one key). */
    static final class KeyTaken extends RuntimeException {
        KeyTaken() {
            super(null, null, false, false);
        }
    }

    @Override
    public <T> T transact(Function<Tx, T> work) {
        return db.transaction(c -> work.apply(new JdbcTx(c, db.postgres())));
    }

    /**
     * Runs the statements a sale runs on every connection of the database, now and on each connection opened later
     * ({@link Database#warmEveryConnection}), in transactions that are rolled back. Without it the first flash sale after
     * a start pays on PostgreSQL for what a fresh backend does on first use (catalog caches, parsing, planning), on the
     * database's core while thousands of buyers wait; on SQLite it only runs the code path once.
     */
    public JdbcCommerceStore warmUp() {
        db.warmEveryConnection(this::warm);
        return this;
    }

    /** One connection's warm-up: a product of its own (never committed) sold {@link #WARM_RUNS} times as a batch sells. */
    private Void warm(Connection c) throws SQLException {
        UnitSavepoint unit = new UnitSavepoint(c, db.postgres());
        JdbcTx tx = new JdbcTx(c, unit, db.postgres());
        Instant now = Instant.now();
        String tag = "warm_" + Long.toString(java.util.concurrent.ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE, 36);
        String app = tag;
        tx.insertProduct(new Product(tag, new Product.Owner(Product.Owner.BROADCASTER, tag), "warm-up", null, 1, "EUR",
                (long) WARM_RUNS, 1, true, now, now));
        for (int i = 0; i < WARM_RUNS; i++) {
            String key = tag + "_" + i;
            unit.begin();
            tx.findOrdersByKeys(List.of(new OrderKey(app, key, key)));
            tx.findOrderByKey(app, key, key);
            tx.attached(tag, tag);
            tx.findProduct(tag);
            tx.takeStock(tag, 1, now);
            tx.liveUnits(app, key, tag);
            tx.insertOrder(new Order("ord_" + key, tag, app, key, null, tag, 1, 1, "EUR", OrderStatus.PENDING, key, now, now, now));
            tx.appSettings(app);
            tx.insertOutbox(new OutboxEvent("evt_" + key, app, "order.created", "{}", now, 0, now, null, null));
            unit.release();
        }
        return null;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> List<T> batch(List<Function<Tx, T>> units) {
        return db.transaction(c -> {
            UnitSavepoint unit = new UnitSavepoint(c, db.postgres());
            JdbcTx tx = new JdbcTx(c, unit, db.postgres());
            List<T> out = new ArrayList<>(units.size());
            for (Function<Tx, T> work : units) {
                T result = null;
                for (int attempt = 0; ; attempt++) {
                    unit.begin();
                    try {
                        result = work.apply(tx);
                        unit.release();
                        break;
                    } catch (Undo u) {
                        unit.rollback();
                        result = (T) u.value();
                        break;
                    } catch (KeyTaken k) {
                        unit.rollback();
                        if (attempt > 0) {
                            throw new StoreException("idempotency key taken twice in one unit");
                        }
                    }
                }
                out.add(result);
            }
            return out;
        });
    }

    /**
     * The savepoint of one unit of a batch, taken just before the unit's first write: a flash sale's thousands of
     * {@code sold_out} answers only read, and each savepoint statement is a round trip to PostgreSQL. A unit that ends
     * well leaves its savepoint open: the next unit that writes releases it and takes its own in one round trip (two
     * statements in one message), and the commit releases the last. So a placed order costs one savepoint round trip,
     * not two, and at most one savepoint is open at a time (PostgreSQL slows down past 64 open subtransactions).
     */
    private static final class UnitSavepoint implements Runnable {
        private static final String NAME = "unit";
        private final Connection c;
        private final boolean postgres;
        /** The running unit has taken its savepoint. */
        private boolean taken;
        /** A savepoint is open: the running unit's, or one an earlier unit left (ended well, or rolled back to). */
        private boolean open;

        UnitSavepoint(Connection c, boolean postgres) {
            this.c = c;
            this.postgres = postgres;
        }

        void begin() {
            taken = false;
        }

        /** Called before every write of the unit. */
        @Override
        public void run() {
            if (taken) {
                return;
            }
            try (Statement s = c.createStatement()) {
                if (open && postgres) {
                    s.execute("RELEASE SAVEPOINT " + NAME + "; SAVEPOINT " + NAME);
                } else {
                    if (open) {
                        s.execute("RELEASE SAVEPOINT " + NAME);
                    }
                    s.execute("SAVEPOINT " + NAME);
                }
            } catch (SQLException e) {
                throw new StoreException("could not set a savepoint: " + e.getMessage(), e);
            }
            taken = true;
            open = true;
        }

        /** The unit ended well: its savepoint stays open until the next unit's or the commit. */
        void release() {
            taken = false;
        }

        /** Undoes what the unit wrote; the savepoint stays open (as ROLLBACK TO leaves it). */
        void rollback() throws SQLException {
            if (taken) {
                try (Statement s = c.createStatement()) {
                    s.execute("ROLLBACK TO SAVEPOINT " + NAME);
                }
                taken = false;
            }
        }
    }

    private static final class JdbcTx implements Tx {
        private final Jdbc j;
        private final Runnable beforeWrite;
        private final boolean postgres;

        JdbcTx(Connection c, boolean postgres) {
            this(c, () -> { }, postgres);
        }

        JdbcTx(Connection c, Runnable beforeWrite, boolean postgres) {
            this.j = new Jdbc(c);
            this.beforeWrite = beforeWrite;
            this.postgres = postgres;
        }

        /** Every write goes through here, so that a batch's unit has its savepoint before it changes anything. */
        private int write(String sql, Object... args) {
            beforeWrite.run();
            return j.exec(sql, args);
        }

        @Override
        public void insertProduct(Product p) {
            write("INSERT INTO products (" + PRODUCT + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", p.id(), p.owner().kind(),
                    p.owner().id(), p.title(), p.image(), p.price(), p.currency(), p.stock(), p.perViewerLimit(), p.active(),
                    p.createdAt(), p.updatedAt());
        }

        @Override
        public void updateProduct(Product p) {
            write("UPDATE products SET title = ?, image = ?, price = ?, currency = ?, stock = ?, per_viewer_limit = ?, active = ?, "
                    + "updated_at = ? WHERE id = ?", p.title(), p.image(), p.price(), p.currency(), p.stock(), p.perViewerLimit(),
                    p.active(), p.updatedAt(), p.id());
        }

        @Override
        public Optional<Product> findProduct(String id) {
            return j.one("SELECT " + PRODUCT + " FROM products WHERE id = ?", JdbcTx::product, id);
        }

        @Override
        public boolean takeStock(String productId, int quantity, Instant at) {
            // stock NULL (unlimited) stays NULL; the row is updated (and locked) either way
            return write("UPDATE products SET stock = stock - ?, updated_at = ? WHERE id = ? AND (stock IS NULL OR stock >= ?)",
                    (long) quantity, at, productId, (long) quantity) == 1;
        }

        @Override
        public void giveStock(String productId, int quantity, Instant at) {
            write("UPDATE products SET stock = stock + ?, updated_at = ? WHERE id = ? AND stock IS NOT NULL", (long) quantity, at, productId);
        }

        @Override
        public Optional<String> roomOwner(String roomId) {
            return j.one("SELECT owner FROM rooms WHERE id = ?", rs -> rs.getString(1) == null ? "" : rs.getString(1), roomId);
        }

        @Override
        public List<String> roomApps(String roomId) {
            return j.list("SELECT app_id FROM room_deliveries WHERE room_id = ?", rs -> rs.getString(1), roomId);
        }

        @Override
        public void attach(String roomId, String productId, Instant at) {
            write("INSERT INTO room_products (room_id, product_id, attached_at) VALUES (?, ?, ?)", roomId, productId, at);
        }

        @Override
        public boolean attached(String roomId, String productId) {
            return j.one("SELECT 1 FROM room_products WHERE room_id = ? AND product_id = ?", rs -> true, roomId, productId).isPresent();
        }

        @Override
        public List<Product> roomProducts(String roomId) {
            return j.list("SELECT " + prefixed("p.", PRODUCT) + " FROM products p JOIN room_products r ON r.product_id = p.id "
                    + "WHERE r.room_id = ? ORDER BY r.attached_at, p.id", JdbcTx::product, roomId);
        }

        @Override
        public void pin(String roomId, String productId, Instant at) {
            write("DELETE FROM room_pins WHERE room_id = ?", roomId);
            write("INSERT INTO room_pins (room_id, product_id, pinned_at) VALUES (?, ?, ?)", roomId, productId, at);
        }

        @Override
        public Optional<String> pinned(String roomId) {
            return j.one("SELECT product_id FROM room_pins WHERE room_id = ?", rs -> rs.getString(1), roomId);
        }

        @Override
        public Optional<Order> findOrder(String id) {
            return j.one("SELECT " + ORDER + " FROM orders WHERE id = ?", JdbcTx::order, id);
        }

        @Override
        public Optional<Order> findOrderByKey(String appId, String viewerId, String key) {
            return j.one("SELECT " + ORDER + " FROM orders WHERE app_id = ? AND viewer_id = ? AND idempotency_key = ?", JdbcTx::order,
                    appId, viewerId, key);
        }

        @Override
        public java.util.Map<OrderKey, Order> findOrdersByKeys(java.util.Collection<OrderKey> keys) {
            java.util.Map<OrderKey, Order> found = new java.util.HashMap<>();
            List<OrderKey> all = List.copyOf(new java.util.LinkedHashSet<>(keys));
            if (postgres) {
                // PostgreSQL: the keys as three arrays joined to the unique index, one statement text for any number of
                // keys, so it is prepared and planned once per connection (an OR of N keys is a new statement for every
                // N, parsed and planned at each use)
                String[][] columns = new String[3][all.size()];
                for (int i = 0; i < all.size(); i++) {
                    columns[0][i] = all.get(i).appId();
                    columns[1][i] = all.get(i).viewerId();
                    columns[2][i] = all.get(i).idempotencyKey();
                }
                try {
                    Connection c = j.connection();
                    for (Order o : j.list("SELECT " + prefixed("o.", ORDER) + " FROM unnest(?::text[], ?::text[], ?::text[]) "
                            + "AS k (app_id, viewer_id, idempotency_key) JOIN orders o ON o.app_id = k.app_id "
                            + "AND o.viewer_id = k.viewer_id AND o.idempotency_key = k.idempotency_key", JdbcTx::order,
                            c.createArrayOf("text", columns[0]), c.createArrayOf("text", columns[1]), c.createArrayOf("text", columns[2]))) {
                        found.put(new OrderKey(o.appId(), o.viewerId(), o.idempotencyKey()), o);
                    }
                } catch (SQLException e) {
                    throw new StoreException(e.getMessage(), e);
                }
                return found;
            }
            // SQLite: OR of the unique index's full key, answered from the index; in chunks, to stay far below SQLite's
            // limit of bound parameters
            for (int from = 0; from < all.size(); from += KEYS_PER_QUERY) {
                List<OrderKey> chunk = all.subList(from, Math.min(all.size(), from + KEYS_PER_QUERY));
                StringBuilder sql = new StringBuilder("SELECT " + ORDER + " FROM orders WHERE ");
                Object[] args = new Object[chunk.size() * 3];
                for (int i = 0; i < chunk.size(); i++) {
                    sql.append(i == 0 ? "" : " OR ").append("(app_id = ? AND viewer_id = ? AND idempotency_key = ?)");
                    args[3 * i] = chunk.get(i).appId();
                    args[3 * i + 1] = chunk.get(i).viewerId();
                    args[3 * i + 2] = chunk.get(i).idempotencyKey();
                }
                for (Order o : j.list(sql.toString(), JdbcTx::order, args)) {
                    found.put(new OrderKey(o.appId(), o.viewerId(), o.idempotencyKey()), o);
                }
            }
            return found;
        }

        @Override
        public void insertOrder(Order o) {
            try {
                write("INSERT INTO orders (" + ORDER + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", o.id(), o.roomId(), o.appId(),
                        o.viewerId(), o.component(), o.productId(), o.quantity(), o.amount(), o.currency(), o.status().wire(),
                        o.idempotencyKey(), o.createdAt(), o.expiresAt(), o.updatedAt());
            } catch (io.openlive.engine.platform.PlatformException e) {
                throw new KeyTaken(); // Jdbc reports a unique violation as a conflict: the key's order committed meanwhile
            }
        }

        @Override
        public boolean moveOrder(String id, List<OrderStatus> from, OrderStatus to, Instant at) {
            String in = String.join(", ", from.stream().map(s -> "'" + s.wire() + "'").toList());
            return write("UPDATE orders SET status = ?, updated_at = ? WHERE id = ? AND status IN (" + in + ")", to.wire(), at, id) == 1;
        }

        @Override
        public long liveUnits(String appId, String viewerId, String productId) {
            return j.one("SELECT COALESCE(SUM(quantity), 0) FROM orders WHERE app_id = ? AND viewer_id = ? AND product_id = ? "
                    + "AND status IN ('pending', 'paid')", rs -> rs.getLong(1), appId, viewerId, productId).orElse(0L);
        }

        @Override
        public List<Order> expiredPending(Instant now, int limit) {
            return j.list("SELECT " + ORDER + " FROM orders WHERE status = 'pending' AND expires_at <= ? ORDER BY expires_at LIMIT ?",
                    JdbcTx::order, now, limit);
        }

        @Override
        public List<Order> roomOrders(String roomId, int limit) {
            return j.list("SELECT " + ORDER + " FROM orders WHERE room_id = ? ORDER BY created_at, id LIMIT ?", JdbcTx::order, roomId, limit);
        }

        @Override
        public List<Order> roomOrders(String roomId, String appId, int offset, int limit) {
            return appId == null
                    ? j.list("SELECT " + ORDER + " FROM orders WHERE room_id = ? ORDER BY created_at, id LIMIT ? OFFSET ?",
                            JdbcTx::order, roomId, limit, offset)
                    : j.list("SELECT " + ORDER + " FROM orders WHERE room_id = ? AND app_id = ? ORDER BY created_at, id LIMIT ? OFFSET ?",
                            JdbcTx::order, roomId, appId, limit, offset);
        }

        @Override
        public List<CartItem> cart(String appId, String viewerId, String roomId) {
            return j.list("SELECT product_id, quantity FROM carts WHERE app_id = ? AND viewer_id = ? AND room_id = ? ORDER BY updated_at, product_id",
                    rs -> new CartItem(rs.getString(1), rs.getInt(2)), appId, viewerId, roomId);
        }

        @Override
        public void putCart(String appId, String viewerId, String roomId, String productId, int quantity, Instant at) {
            removeCart(appId, viewerId, roomId, productId);
            write("INSERT INTO carts (app_id, viewer_id, room_id, product_id, quantity, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
                    appId, viewerId, roomId, productId, quantity, at);
        }

        @Override
        public void removeCart(String appId, String viewerId, String roomId, String productId) {
            write("DELETE FROM carts WHERE app_id = ? AND viewer_id = ? AND room_id = ? AND product_id = ?", appId, viewerId, roomId, productId);
        }

        @Override
        public Optional<AppSettings> appSettings(String appId) {
            return j.one("SELECT app_id, host_cart, webhook_url, webhook_secret, updated_at FROM app_commerce WHERE app_id = ?",
                    rs -> new AppSettings(rs.getString(1), rs.getInt(2) == 1, rs.getString(3), rs.getString(4), Jdbc.instant(rs, "updated_at")), appId);
        }

        @Override
        public void putAppSettings(AppSettings s) {
            write("DELETE FROM app_commerce WHERE app_id = ?", s.appId());
            write("INSERT INTO app_commerce (app_id, host_cart, webhook_url, webhook_secret, updated_at) VALUES (?, ?, ?, ?, ?)",
                    s.appId(), s.hostCart(), s.webhookUrl(), s.webhookSecret(), s.updatedAt());
        }

        @Override
        public void insertOutbox(OutboxEvent e) {
            write("INSERT INTO outbox (id, app_id, type, body, created_at, attempts, next_attempt_at, delivered_at, last_error) "
                    + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", e.id(), e.appId(), e.type(), e.body(), e.createdAt(), e.attempts(),
                    e.nextAttemptAt(), e.deliveredAt(), e.lastError());
        }

        @Override
        public List<OutboxEvent> dueOutbox(Instant now, int limit) {
            return j.list("SELECT * FROM outbox WHERE delivered_at IS NULL AND next_attempt_at <= ? ORDER BY id LIMIT ?",
                    rs -> new OutboxEvent(rs.getString("id"), rs.getString("app_id"), rs.getString("type"), rs.getString("body"),
                            Jdbc.instant(rs, "created_at"), rs.getInt("attempts"), Jdbc.instant(rs, "next_attempt_at"),
                            Jdbc.instant(rs, "delivered_at"), rs.getString("last_error")), now, limit);
        }

        @Override
        public boolean leaseOutbox(String id, Instant seen, Instant until) {
            return write("UPDATE outbox SET next_attempt_at = ? WHERE id = ? AND next_attempt_at = ? AND delivered_at IS NULL",
                    until, id, seen) == 1;
        }

        @Override
        public void outboxDelivered(String id, Instant at) {
            write("UPDATE outbox SET delivered_at = ?, attempts = attempts + 1 WHERE id = ?", at, id);
        }

        @Override
        public void outboxFailed(String id, int attempts, Instant next, String error) {
            write("UPDATE outbox SET attempts = ?, next_attempt_at = ?, last_error = ? WHERE id = ?", attempts, next,
                    error == null ? null : error.substring(0, Math.min(300, error.length())), id);
        }

        @Override
        public void insertAudit(AuditEntry e) {
            write("INSERT INTO audit_log (id, at, actor, action, entity, entity_id, before_json, after_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    e.id(), e.at(), e.actor(), e.action(), e.entity(), e.entityId(),
                    e.before() == null ? null : e.before().toString(), e.after() == null ? null : e.after().toString());
        }

        private static String prefixed(String prefix, String columns) {
            return prefix + columns.replace(", ", ", " + prefix);
        }

        private static Product product(ResultSet rs) throws SQLException {
            long stock = rs.getLong("stock");
            Long s = rs.wasNull() ? null : stock;
            int limit = rs.getInt("per_viewer_limit");
            Integer l = rs.wasNull() ? null : limit;
            return new Product(rs.getString("id"), new Product.Owner(rs.getString("owner_kind"), rs.getString("owner_id")),
                    rs.getString("title"), rs.getString("image"), rs.getLong("price"), rs.getString("currency"), s, l,
                    rs.getInt("active") == 1, Jdbc.instant(rs, "created_at"), Jdbc.instant(rs, "updated_at"));
        }

        private static Order order(ResultSet rs) throws SQLException {
            return new Order(rs.getString("id"), rs.getString("room_id"), rs.getString("app_id"), rs.getString("viewer_id"),
                    rs.getString("component"), rs.getString("product_id"), rs.getInt("quantity"), rs.getLong("amount"),
                    rs.getString("currency"), OrderStatus.parse(rs.getString("status")), rs.getString("idempotency_key"),
                    Jdbc.instant(rs, "created_at"), Jdbc.instant(rs, "expires_at"), Jdbc.instant(rs, "updated_at"));
        }
    }
}
