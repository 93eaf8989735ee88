package io.openlive.server.store;

import io.openlive.engine.follow.FollowStore;
import io.openlive.engine.follow.Followee;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The follows store on SQLite and PostgreSQL: following twice, or from 16 threads at once, is one follow; unfollowing
 * twice removes one; counts are per host app and per followee, and a broadcaster and a room of the same id are apart.
 */
class JdbcFollowStoreTest {
    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void followingIsIdempotentEvenAtOnceAndCountedPerApp(String kind) throws Exception {
        Databases.Fresh fresh = Databases.open(kind);
        try (AutoCloseable drop = fresh.drop()) {
            JdbcFollowStore store = new JdbcFollowStore(fresh.db());
            Followee bea = new Followee(Followee.BROADCASTER, "bea");
            assertThat(store.roomOwner("rnosuch")).isEmpty();
            assertThat(store.follow(new FollowStore.Follow(bea, "shop", "alice", "r1", 1))).isTrue();
            assertThat(store.follow(new FollowStore.Follow(bea, "shop", "alice", "r2", 2))).as("again, from another room").isFalse();

            ExecutorService pool = Executors.newFixedThreadPool(16);
            try {
                List<Callable<Boolean>> same = new ArrayList<>();
                for (int i = 0; i < 16; i++) {
                    same.add(() -> store.follow(new FollowStore.Follow(bea, "pay", "bob", "r1", 3)));
                }
                long added = 0;
                for (Future<Boolean> f : pool.invokeAll(same)) {
                    added += f.get() ? 1 : 0;
                }
                assertThat(added).as("16 follows of one viewer at once").isEqualTo(1);
            } finally {
                pool.shutdown();
            }
            store.follow(new FollowStore.Follow(bea, "pay", "alice", "r1", 4)); // another app's alice
            store.follow(new FollowStore.Follow(new Followee(Followee.ROOM, "bea"), "shop", "carol", "bea", 5));
            assertThat(store.followers(bea)).isEqualTo(Map.of("shop", 1L, "pay", 2L));
            assertThat(store.isFollowing(bea, "shop", "alice")).isTrue();
            assertThat(store.isFollowing(bea, "shop", "carol")).isFalse();

            assertThat(store.unfollow(bea, "shop", "alice")).isTrue();
            assertThat(store.unfollow(bea, "shop", "alice")).isFalse();
            assertThat(store.isFollowing(bea, "shop", "alice")).isFalse();
            assertThat(store.isFollowing(bea, "pay", "alice")).isTrue();
            assertThat(store.followers(bea)).isEqualTo(Map.of("pay", 2L));
            assertThat(store.followers(new Followee(Followee.ROOM, "bea"))).isEqualTo(Map.of("shop", 1L));
        } finally {
            fresh.db().close();
        }
    }
}
