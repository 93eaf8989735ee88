package io.openlive.server.store;

import io.openlive.engine.platform.BundleLimits;
import io.openlive.engine.platform.Platform;
import io.openlive.engine.platform.PlatformEvents;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two nodes started at the same moment against one empty store, each through its own handle (its own connections, as
 * another process would hold them): exactly one of them makes and prints the first admin key, the other makes none.
 * Each round empties the keys again and releases both bootstraps together.
 */
class FirstAdminRaceTest {
    private static final int ROUNDS = 20;

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void twoNodesStartingTogetherMakeOneFirstAdminKey(String kind) throws Exception {
        Databases.Fresh fresh = Databases.open(kind);
        ExecutorService nodes = Executors.newFixedThreadPool(2);
        try (AutoCloseable drop = fresh.drop(); Database other = Database.open(fresh.url())) {
            List<Platform> platforms = List.of(platform(fresh.db()), platform(other));
            int doubled = 0;
            int none = 0;
            for (int round = 0; round < ROUNDS; round++) {
                fresh.db().transaction(c -> c.createStatement().executeUpdate("DELETE FROM api_keys"));
                CyclicBarrier start = new CyclicBarrier(2);
                List<Future<Optional<String>>> started = new ArrayList<>();
                for (Platform p : platforms) {
                    started.add(nodes.submit(() -> {
                        start.await();
                        return p.keys().bootstrapAdmin();
                    }));
                }
                List<String> printed = new ArrayList<>();
                for (Future<Optional<String>> f : started) {
                    f.get().ifPresent(printed::add);
                }
                int stored = fresh.db().transaction(c -> {
                    try (var rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM api_keys")) {
                        rs.next();
                        return rs.getInt(1);
                    }
                });
                assertThat(stored).as("keys stored in round %d", round).isEqualTo(printed.size());
                if (printed.size() > 1) {
                    doubled++;
                } else if (printed.isEmpty()) {
                    none++;
                } else {
                    String secret = printed.get(0);
                    assertThat(platforms.get(round % 2).keys().authenticate(secret).isAdmin()).isTrue();
                }
            }
            assertThat(doubled).as("rounds of %d in which both nodes made a first admin key", ROUNDS).isZero();
            assertThat(none).as("rounds of %d in which neither node made one", ROUNDS).isZero();
        } finally {
            nodes.shutdownNow();
            fresh.db().close();
        }
    }

    private static Platform platform(Database db) throws Exception {
        Platform p = new Platform(new JdbcPlatformStore(db), new FileBundleStore(Files.createTempDirectory("bundles")),
                Clock.systemUTC(), BundleLimits.defaults(), PlatformEvents.NONE);
        p.keys().bootstrapAdmin(); // opens the handle's connections before the first round, so both start warm
        return p;
    }
}
