package io.openlive.engine.realtime;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** Messages carry the room's media time as it was when they were published, and none while the room is not live. */
class MediaClockTest {
    @Test
    void messagesAreStampedWhenPublished() {
        AtomicLong now = new AtomicLong(-1);
        MediaClock media = room -> room.equals("live") && now.get() >= 0 ? OptionalLong.of(now.get()) : OptionalLong.empty();
        MemoryRoomBus bus = new MemoryRoomBus(BusConfig.defaults(), Clock.systemUTC(), media);
        List<String> got = new ArrayList<>();
        bus.subscribe("live", m -> got.add(m.json()));
        bus.subscribe("idle", m -> got.add(m.json()));
        var data = JsonNodeFactory.instance.objectNode().put("text", "hi");
        bus.publish("live", "comment", Priority.NORMAL, data);
        now.set(81234);
        bus.publish("live", "comment", Priority.NORMAL, data);
        bus.publishEphemeral("live", "like", data);
        bus.publish("idle", "comment", Priority.NORMAL, data);
        assertThat(got).containsExactly(
                "{\"op\":\"msg\",\"topic\":\"comment\",\"seq\":1,\"data\":{\"text\":\"hi\"}}",
                "{\"op\":\"msg\",\"topic\":\"comment\",\"seq\":2,\"mt\":81234,\"data\":{\"text\":\"hi\"}}",
                "{\"op\":\"msg\",\"topic\":\"like\",\"mt\":81234,\"data\":{\"text\":\"hi\"}}",
                "{\"op\":\"msg\",\"topic\":\"comment\",\"seq\":1,\"data\":{\"text\":\"hi\"}}");
        bus.close();
    }
}
