package io.openlive.server.store;

import io.openlive.engine.room.Room;
import io.openlive.engine.room.RoomState;
import io.openlive.engine.room.RoomStore;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** A room's LIVE then ENDED land in that order on a multi-threaded worker pool, even when the first write is slow. */
class RoomStateWritesTest {
    @Test
    void endedNeverLandsBeforeTheLiveItFollows() throws Exception {
        ExecutorService workers = Executors.newFixedThreadPool(4);
        try (Database db = Database.embedded(Files.createTempDirectory("openlive-state"))) {
            JdbcRoomStore store = new JdbcRoomStore(db, Clock.systemUTC());
            CountDownLatch liveStarted = new CountDownLatch(1);
            CountDownLatch endedAsked = new CountDownLatch(1);
            RoomStore slowLive = new SlowLive(store, liveStarted, endedAsked);
            RoomStateWrites writes = new RoomStateWrites(slowLive, workers);
            Room room = store.create("quick publish");
            Room other = store.create("unrelated");

            CompletableFuture<Void> live = writes.save(room.id(), RoomState.LIVE);
            assertThat(liveStarted.await(10, TimeUnit.SECONDS)).isTrue();
            CompletableFuture<Void> ended = writes.save(room.id(), RoomState.ENDED);
            writes.save(other.id(), RoomState.ENDED).get(10, TimeUnit.SECONDS); // other rooms do not wait
            endedAsked.countDown();
            CompletableFuture.allOf(live, ended).get(10, TimeUnit.SECONDS);

            assertThat(store.find(room.id()).orElseThrow().state()).isEqualTo(RoomState.ENDED);
            assertThat(store.find(other.id()).orElseThrow().state()).isEqualTo(RoomState.ENDED);
            assertThat(writes.pendingRooms()).isZero();
        } finally {
            workers.shutdownNow();
        }
    }

    /** The real store, whose LIVE write stalls (a slow disk, a lock) until the test has asked for ENDED. */
    private record SlowLive(JdbcRoomStore store, CountDownLatch liveStarted, CountDownLatch endedAsked) implements RoomStore {
        @Override
        public void setState(String id, RoomState state) {
            if (state == RoomState.LIVE) {
                liveStarted.countDown();
                try {
                    endedAsked.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            store.setState(id, state);
        }

        @Override
        public Room create(String title) {
            return store.create(title);
        }

        @Override
        public Optional<Room> find(String id) {
            return store.find(id);
        }

        @Override
        public Optional<Room> findByStreamKey(String streamKey) {
            return store.findByStreamKey(streamKey);
        }

        @Override
        public List<Room> list(int limit, int offset) {
            return store.list(limit, offset);
        }

        @Override
        public Room rotateStreamKey(String id) {
            return store.rotateStreamKey(id);
        }
    }
}
