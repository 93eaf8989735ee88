package io.openlive.server.store;

import io.openlive.engine.room.Room;
import io.openlive.engine.room.RoomState;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The room store on both databases it supports, through the same Flyway migrations. */
class JdbcRoomStoreTest {
    /** A clock that ticks one millisecond per reading, so "newest first" is deterministic. */
    private static Clock ticking() {
        AtomicLong now = new AtomicLong(1_700_000_000_000L);
        return new Clock() {
            @Override
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return Instant.ofEpochMilli(now.incrementAndGet());
            }
        };
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void roomsAreCreatedFoundListedAndUpdated(String kind) throws Exception {
        Databases.Fresh fresh = Databases.open(kind);
        try (AutoCloseable drop = fresh.drop()) {
            JdbcRoomStore store = new JdbcRoomStore(fresh.db(), ticking());
            Room a = store.create("first");
            Room b = store.create("second");
            assertThat(a.id()).isNotEqualTo(b.id());
            assertThat(a.streamKey()).isNotEqualTo(a.id()).startsWith("sk_");
            assertThat(store.find(a.id())).contains(a);
            assertThat(store.findByStreamKey(b.streamKey())).contains(b);
            assertThat(store.find("rnope")).isEmpty();
            assertThat(store.list(10, 0)).extracting(Room::title).containsExactly("second", "first");
            assertThat(store.list(1, 1)).extracting(Room::title).containsExactly("first");

            store.setState(a.id(), RoomState.LIVE);
            assertThat(store.find(a.id()).orElseThrow().state()).isEqualTo(RoomState.LIVE);

            Room rotated = store.rotateStreamKey(a.id());
            assertThat(rotated.streamKey()).isNotEqualTo(a.streamKey());
            assertThat(store.findByStreamKey(a.streamKey())).as("the old key stops working at once").isEmpty();
            assertThat(store.findByStreamKey(rotated.streamKey())).map(Room::id).contains(a.id());
            assertThatThrownBy(() -> store.rotateStreamKey("rnope")).isInstanceOf(StoreException.class);

            store.putSetting("demo_room_id", a.id());
            store.putSetting("demo_room_id", b.id());
            assertThat(store.setting("demo_room_id")).contains(b.id());
            assertThat(store.setting("missing")).isEmpty();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void aFailedTransactionLeavesNothingHalfWritten(String kind) throws Exception {
        Databases.Fresh fresh = Databases.open(kind);
        try (AutoCloseable drop = fresh.drop()) {
            JdbcRoomStore store = new JdbcRoomStore(fresh.db(), ticking());
            Room a = store.create("kept");
            assertThatThrownBy(() -> fresh.db().transaction(c -> {
                try (var s = c.prepareStatement("UPDATE rooms SET title = 'changed' WHERE id = ?")) {
                    s.setString(1, a.id());
                    s.executeUpdate();
                }
                try (var s = c.prepareStatement("INSERT INTO rooms (id, title, stream_key, state, created_at, updated_at) VALUES (?, 'dup', ?, 'scheduled', 0, 0)")) {
                    s.setString(1, "rother");
                    s.setString(2, a.streamKey()); // unique violation: the whole transaction must roll back
                    s.executeUpdate();
                }
                return null;
            })).isInstanceOf(StoreException.class);
            assertThat(store.find(a.id()).orElseThrow().title()).isEqualTo("kept");
            List<Room> rooms = store.list(10, 0);
            assertThat(rooms).hasSize(1);
        }
    }
}
