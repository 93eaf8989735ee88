package io.openlive.server.store;

import io.openlive.engine.platform.RoomDelivery;
import io.openlive.engine.room.Room;
import io.openlive.engine.room.RoomIds;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Transactions and upserts under failure and under concurrency, on both databases. */
class StoreTransactionTest {
    private static final int WRITERS = 4;
    private static final int ROUNDS = 40;

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void anErrorInsideATransactionRollsItBack(String kind) throws Exception {
        Databases.Fresh fresh = Databases.open(kind);
        try (AutoCloseable drop = fresh.drop()) {
            JdbcRoomStore store = new JdbcRoomStore(fresh.db(), Clock.systemUTC());
            Room a = store.create("kept");
            assertThatThrownBy(() -> fresh.db().transaction(c -> {
                try (var s = c.prepareStatement("UPDATE rooms SET title = 'half-done' WHERE id = ?")) {
                    s.setString(1, a.id());
                    s.executeUpdate();
                }
                throw new StackOverflowError("deep recursion in the middle of a write");
            })).isInstanceOf(StackOverflowError.class);
            assertThat(store.find(a.id()).orElseThrow().title()).as("an Error must not commit the half-done write").isEqualTo("kept");
            assertThat(store.create("next").title()).as("the connection is usable afterwards").isEqualTo("next");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void aStoreFailureKeepsTheDatabasesCause(String kind) throws Exception {
        Databases.Fresh fresh = Databases.open(kind);
        try (AutoCloseable drop = fresh.drop()) {
            assertThatThrownBy(() -> fresh.db().transaction(c -> {
                try (var s = c.prepareStatement("SELECT no_such_column FROM rooms")) {
                    return s.executeQuery().next();
                }
            })).isInstanceOf(StoreException.class).cause().isInstanceOf(SQLException.class);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void concurrentUpsertsOfOneKeyNeverConflict(String kind) throws Exception {
        Databases.Fresh fresh = Databases.open(kind);
        ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
        try (AutoCloseable drop = fresh.drop()) {
            JdbcRoomStore rooms = new JdbcRoomStore(fresh.db(), Clock.systemUTC());
            JdbcPlatformStore platform = new JdbcPlatformStore(fresh.db());
            String appId = "app" + RoomIds.newRoomId();
            fresh.db().transaction(c -> new Jdbc(c).exec("INSERT INTO host_apps (id, name, origins, secret, policy,"
                    + " third_party_consent, created_at, updated_at) VALUES (?, 'a', '[]', 's', 'manual', 0, 0, 0)", appId));
            CyclicBarrier together = new CyclicBarrier(WRITERS);
            for (int round = 0; round < ROUNDS; round++) {
                String setting = "s" + round;
                Room room = rooms.create("room " + round);
                List<Future<?>> writes = new ArrayList<>();
                for (int w = 0; w < WRITERS; w++) {
                    String value = "v" + w;
                    writes.add(pool.submit(() -> {
                        together.await(10, TimeUnit.SECONDS);
                        rooms.putSetting(setting, value);
                        platform.transact(tx -> {
                            tx.upsertRoomDelivery(new RoomDelivery(room.id(), appId, null, Instant.now()));
                            return null;
                        });
                        return null;
                    }));
                }
                for (Future<?> write : writes) {
                    write.get(30, TimeUnit.SECONDS); // a CONFLICT from a lost race would surface here
                }
                assertThat(rooms.setting(setting)).hasValueSatisfying(v -> assertThat(v).startsWith("v"));
                java.util.Optional<RoomDelivery> stored = platform.transact(tx -> tx.findRoomDelivery(room.id(), appId));
                assertThat(stored).isPresent();
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
