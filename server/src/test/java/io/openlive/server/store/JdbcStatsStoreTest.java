package io.openlive.server.store;

import io.openlive.engine.analytics.StatsStore;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The statistics store on SQLite and PostgreSQL: two nodes' additions sum, and old 10 s samples roll up to one per
 * minute and node (the node's highest of the minute) while recent ones stay as they are.
 */
class JdbcStatsStoreTest {
    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void nodesAddUpAndOldSamplesRollUpToMinutes(String kind) throws Exception {
        Databases.Fresh fresh = Databases.open(kind);
        try (AutoCloseable drop = fresh.drop()) {
            JdbcStatsStore store = new JdbcStatsStore(fresh.db());
            long minute = 1_764_000_000_000L - 1_764_000_000_000L % 60_000;
            for (String node : List.of("n1", "n2")) {
                store.flush(new StatsStore.Flush(node,
                        List.of(new StatsStore.Sample("r1", "a", minute, 3), new StatsStore.Sample("r1", "a", minute + 10_000, node.equals("n1") ? 7 : 2),
                                new StatsStore.Sample("r1", "a", minute + 50_000, 4), new StatsStore.Sample("r1", "a", minute + 60_000, 5)),
                        List.of(new StatsStore.Watch("r1", "a", "v-" + node, minute, 1000), new StatsStore.Watch("r1", "a", "shared", minute, 500)),
                        List.of(new StatsStore.Count("r1", "a", "", minute, "comments", 2))));
            }
            assertThat(store.points("r1", minute, minute + 120_000)).containsExactlyInAnyOrder(
                    new StatsStore.Point("a", minute, 6), new StatsStore.Point("a", minute + 10_000, 9),
                    new StatsStore.Point("a", minute + 50_000, 8), new StatsStore.Point("a", minute + 60_000, 10));
            assertThat(store.audience("r1")).containsExactly(new StatsStore.AudienceRow("a", 3, 3000));
            assertThat(store.counts("r1", minute, minute + 60_000)).containsExactly(new StatsStore.CountRow("a", "", "comments", 4));

            // the first minute is old, the second still fine-grained
            assertThat(store.rollUp(minute + 60_000 + 30_000)).isEqualTo(4);
            assertThat(store.points("r1", minute, minute + 120_000)).containsExactlyInAnyOrder(
                    new StatsStore.Point("a", minute, 11), new StatsStore.Point("a", minute + 60_000, 10));
            assertThat(store.rollUp(minute + 60_000 + 30_000)).as("rolling up again changes nothing").isZero();
        } finally {
            fresh.db().close();
        }
    }
}
