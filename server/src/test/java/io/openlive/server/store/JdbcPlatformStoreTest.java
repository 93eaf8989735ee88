package io.openlive.server.store;

import io.openlive.engine.platform.Moderation;
import io.openlive.engine.room.Room;
import io.openlive.engine.room.RoomIds;
import io.openlive.engine.room.RoomState;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** Parts of the platform store the property test does not reach, on both databases: moderation rows. */
class JdbcPlatformStoreTest {
    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void moderationRowsComeBackAsTheRoomsModeration(String kind) throws Exception {
        Databases.Fresh fresh = Databases.open(kind);
        try (AutoCloseable drop = fresh.drop()) {
            JdbcPlatformStore store = new JdbcPlatformStore(fresh.db());
            String roomId = RoomIds.newRoomId();
            long now = System.currentTimeMillis();
            Moderation m = store.transact(tx -> {
                Instant t = Instant.now();
                tx.insertRoom(new Room(roomId, "r", RoomIds.newStreamKey(), RoomState.SCHEDULED, "owner", null, t, t));
                assertThat(tx.moderationOf(roomId)).isEqualTo(Moderation.NONE);
                tx.putModeration(roomId, "mute", "alice", now + 60_000);
                tx.putModeration(roomId, "mute", "old", now - 1);
                tx.putModeration(roomId, "ban", "mallory", 0);
                tx.putModeration(roomId, "keyword", "crypto", 0);
                tx.putModeration(roomId, "slow-mode", "room", 30);
                tx.putModeration(roomId, "slow-mode", "room", 10); // replaces
                tx.putModeration(roomId, "no-anonymous", "room", 0);
                return tx.moderationOf(roomId);
            });
            assertThat(m.muted()).containsOnlyKeys("alice");
            assertThat(m.isMuted("alice", now)).isTrue();
            assertThat(m.isBanned("mallory")).isTrue();
            assertThat(m.filtered("Buy CRYPTO now")).isEqualTo("crypto");
            assertThat(m.slowModeSeconds()).isEqualTo(10);
            assertThat(m.anonymousAllowed()).isFalse();
            Moderation after = store.transact(tx -> {
                tx.removeModeration(roomId, "ban", "mallory");
                tx.removeModeration(roomId, "no-anonymous", "room");
                return tx.moderationOf(roomId);
            });
            assertThat(after.isBanned("mallory")).isFalse();
            assertThat(after.anonymousAllowed()).isTrue();
        } finally {
            fresh.db().close();
        }
    }
}
