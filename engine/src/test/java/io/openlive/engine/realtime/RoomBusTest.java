package io.openlive.engine.realtime;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** The in-memory room bus and its history: sequence, recovery and gaps, likes, presence expiry; and the token bucket. */
class RoomBusTest {
    private final AtomicLong now = new AtomicLong(1_000_000);
    private final Clock clock = new Clock() {
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
            return Instant.ofEpochMilli(now.get());
        }
    };

    private static com.fasterxml.jackson.databind.JsonNode text(String t) {
        return JsonNodeFactory.instance.objectNode().put("text", t);
    }

    @Test
    void messagesAreNumberedInOrderAndRecoveredAfterASeq() {
        MemoryRoomBus bus = new MemoryRoomBus(new BusConfig(5, 60_000, 3_000), clock);
        List<RoomMessage> got = new ArrayList<>();
        bus.subscribe("r", got::add);
        for (int i = 1; i <= 4; i++) {
            assertThat(bus.publish("r", "comment", Priority.NORMAL, text("m" + i)).toCompletableFuture().join().seq()).isEqualTo(i);
        }
        bus.publishEphemeral("r", "like", JsonNodeFactory.instance.objectNode().put("total", 3));
        assertThat(got).extracting(RoomMessage::seq).containsExactly(1L, 2L, 3L, 4L, 0L);
        assertThat(got.get(0).json()).isEqualTo("{\"op\":\"msg\",\"topic\":\"comment\",\"seq\":1,\"data\":{\"text\":\"m1\"}}");
        Recovery r = bus.since("r", 2).toCompletableFuture().join();
        assertThat(r.gap()).isFalse();
        assertThat(r.messages()).extracting(RoomMessage::seq).containsExactly(3L, 4L);
        assertThat(bus.since("r", 4).toCompletableFuture().join().messages()).isEmpty();
        assertThat(bus.since("other", 0).toCompletableFuture().join().gap()).isFalse();
        assertThat(bus.since("r", 9).toCompletableFuture().join().gap()).as("a client ahead of the room: numbering restarted").isTrue();
    }

    @Test
    void historyBeyondItsCountOrAgeIsAGap() {
        MemoryRoomBus bus = new MemoryRoomBus(new BusConfig(3, 10_000, 3_000), clock);
        for (int i = 0; i < 6; i++) {
            bus.publish("r", "gift", Priority.HIGH, text("g"));
        }
        assertThat(bus.since("r", 2).toCompletableFuture().join().gap()).as("seq 3 has left the last three").isTrue();
        assertThat(bus.since("r", 3).toCompletableFuture().join().messages()).extracting(RoomMessage::seq).containsExactly(4L, 5L, 6L);
        now.addAndGet(11_000);
        assertThat(bus.since("r", 3).toCompletableFuture().join().gap()).as("all older than 10 s").isTrue();
        assertThat(bus.since("r", 6).toCompletableFuture().join().gap()).as("nothing missed").isFalse();
    }

    @Test
    void likesAddUpAndPresenceForgetsSilentNodes() {
        MemoryRoomBus bus = new MemoryRoomBus(BusConfig.defaults(), clock);
        assertThat(bus.addLikes("r", 10).toCompletableFuture().join()).isEqualTo(10);
        assertThat(bus.addLikes("r", 5).toCompletableFuture().join()).isEqualTo(15);
        bus.reportPresence("a", "r", Map.of("shop", 2, "pay", 1));
        now.addAndGet(2_000);
        bus.reportPresence("b", "r", Map.of("shop", 4));
        assertThat(bus.presence("r").toCompletableFuture().join()).isEqualTo(Map.of("shop", 6, "pay", 1));
        now.addAndGet(1_500); // node a last reported 3.5 s ago
        assertThat(bus.presence("r").toCompletableFuture().join()).isEqualTo(Map.of("shop", 4));
    }

    @Test
    void idleRoomsAreForgottenAndRoomsWithAListenerKept() {
        MemoryRoomBus bus = new MemoryRoomBus(BusConfig.defaults(), clock, 600_000);
        for (int i = 0; i < 100; i++) {
            bus.publish("idle" + i, "comment", Priority.NORMAL, text("once"));
        }
        bus.subscribe("watched", m -> { });
        bus.publish("watched", "comment", Priority.NORMAL, text("kept"));
        assertThat(bus.rooms()).isEqualTo(101);
        now.addAndGet(599_000);
        bus.publish("busy", "comment", Priority.NORMAL, text("new"));
        assertThat(bus.rooms()).as("not idle long enough yet").isEqualTo(102);
        now.addAndGet(61_000); // idle sweeps are at most a minute apart
        bus.publish("busy", "comment", Priority.NORMAL, text("again"));
        assertThat(bus.rooms()).as("the idle rooms are gone; the watched and the busy one stay").isEqualTo(2);
        assertThat(bus.since("watched", 0).toCompletableFuture().join().last()).isEqualTo(1);
        assertThat(bus.publish("idle0", "comment", Priority.NORMAL, text("back")).toCompletableFuture().join().seq())
                .as("a forgotten room starts afresh").isEqualTo(1);
        assertThat(bus.since("idle0", 5).toCompletableFuture().join().gap()).as("and old clients resync").isTrue();
    }

    @Test
    void tokenBucketsAllowABurstThenTheRate() {
        TokenBucket b = new TokenBucket(2, 5, 0);
        int taken = 0;
        for (int i = 0; i < 10; i++) {
            taken += b.tryTake(1, 0) ? 1 : 0;
        }
        assertThat(taken).isEqualTo(5);
        assertThat(b.tryTake(1, 400_000_000L)).as("0.8 tokens after 400 ms").isFalse();
        assertThat(b.tryTake(1, 600_000_000L)).as("1.2 tokens after 600 ms").isTrue();
        assertThat(b.tryTake(1, 60_000_000_000L)).isTrue();
    }
}
