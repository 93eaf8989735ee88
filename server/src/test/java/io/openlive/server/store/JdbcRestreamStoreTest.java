package io.openlive.server.store;

import io.openlive.server.restream.Destination;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A room's restream cap holds when its adds race: through two handles on one database, as two nodes (or a node and the
 * CLI) hold it, each with as many adds in flight as it has connections. Before the room's row was locked, PostgreSQL
 * let several adds that counted at the same time all insert.
 */
class JdbcRestreamStoreTest {
    static final int MAX = 8;
    static final int ADDS = 48;
    static final int ROOMS = 4;

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void concurrentAddsToOneRoomNeverPassTheCap(String kind) throws Exception {
        Databases.Fresh fresh = Databases.open(kind);
        try (AutoCloseable drop = fresh.drop(); Database other = Database.open(fresh.url())) {
            JdbcRoomStore rooms = new JdbcRoomStore(fresh.db(), Clock.systemUTC());
            List<JdbcRestreamStore> nodes = List.of(new JdbcRestreamStore(fresh.db()), new JdbcRestreamStore(other));
            ExecutorService pool = Executors.newFixedThreadPool(2 * Database.POOL_SIZE + 2);
            try {
                for (int r = 0; r < ROOMS; r++) { // a few rounds: a race lost once is not a race that cannot happen
                    String room = rooms.create("raced " + r).id();
                    CountDownLatch go = new CountDownLatch(1);
                    List<Future<Boolean>> adds = new ArrayList<>();
                    for (int i = 0; i < ADDS; i++) {
                        JdbcRestreamStore node = nodes.get(i % 2);
                        Destination d = new Destination("rs_" + r + "_" + i, room, "rtmp://127.0.0.1:1/live", "k", false, i);
                        adds.add(pool.submit(() -> {
                            go.await();
                            return node.insertIfFewer(d, MAX);
                        }));
                    }
                    go.countDown();
                    int added = 0;
                    for (Future<Boolean> f : adds) {
                        added += f.get() ? 1 : 0;
                    }
                    assertThat(added).as("round %d: adds that succeeded", r).isEqualTo(MAX);
                    assertThat(nodes.get(0).byRoom(room)).as("round %d: destinations stored", r).hasSize(MAX);
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }
}
